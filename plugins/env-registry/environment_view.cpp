#include "environment_view.hpp"

#include <aai/plugin.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace env_registry {
namespace {

std::string string_member(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

std::string pad(const std::string& text, size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

}  // namespace

std::string render_environment_table(const nlohmann::json& environments,
                                     const std::string& active_name) {
  using Row = std::array<std::string, 5>;
  std::vector<Row> rows = {{" ", "NAME", "API BASE", "PLUGIN", "SUMMARY"}};
  for (const auto& environment : environments) {
    std::string name = string_member(environment, "name");
    std::string api_base;
    if (auto fields = environment.find("fields"); fields != environment.end()) {
      api_base = string_member(*fields, "api_base");
    }
    rows.push_back({name == active_name ? "*" : " ", name, api_base,
                    string_member(environment, "plugin"), string_member(environment, "summary")});
  }

  std::array<size_t, 5> widths{};
  for (const auto& row : rows) {
    for (size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }
  std::string table;
  for (const auto& row : rows) {
    std::string line;
    for (size_t column = 0; column + 1 < row.size(); ++column) {
      line += pad(row[column], widths[column]) + "  ";
    }
    line += row.back();
    line.erase(line.find_last_not_of(' ') + 1);
    table += line + "\n";
  }
  return table;
}

const nlohmann::json& find_environment(const nlohmann::json& environments,
                                       const std::string& name) {
  std::string known;
  for (const auto& environment : environments) {
    std::string candidate = string_member(environment, "name");
    if (candidate == name) {
      return environment;
    }
    known += (known.empty() ? "" : ", ") + candidate;
  }
  throw aai::usage_error("Unknown environment '" + name +
                             "'. Known environments: " + (known.empty() ? "none" : known) + ".",
                         "Run `aai env list` to see every environment and the plugin that adds it.",
                         "invalid_environment");
}

nlohmann::json environment_details_json(const nlohmann::json& environment,
                                        const std::string& source, bool is_active) {
  nlohmann::json fields = environment.value("fields", nlohmann::json::object());
  return {{"name", string_member(environment, "name")},
          {"source", source},
          {"active", is_active},
          {"plugin", string_member(environment, "plugin")},
          {"origin", string_member(environment, "origin")},
          {"summary", string_member(environment, "summary")},
          {"fields", fields}};
}

std::string render_environment_details(const nlohmann::json& details) {
  std::string text = "name: " + string_member(details, "name") + "\n";
  text += "source: " + string_member(details, "source") + "\n";
  text += std::string("active: ") + (details.value("active", false) ? "yes" : "no") + "\n";
  text += "plugin: " + string_member(details, "plugin") + "\n";
  text += "origin: " + string_member(details, "origin") + "\n";
  text += "summary: " + string_member(details, "summary") + "\n";
  text += "fields:\n";
  for (const auto& [key, value] : details["fields"].items()) {
    text +=
        "  " + key + ": " + (value.is_string() ? value.get<std::string>() : value.dump()) + "\n";
  }
  return text;
}

}  // namespace env_registry
