#include "installed_plugins.hpp"

#include "atomic_file.hpp"
#include "plugin_specs.hpp"
#include "sha256.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

using nlohmann::json;

// Format revision of installed.json, stored in its "format" member.
constexpr int kInstalledPluginsFormat = 1;

[[noreturn]] void reject(const std::string& reason) {
  throw InvalidInstalledPlugins(reason);
}

std::string string_member(const json& entry, const char* name, size_t index) {
  auto found = entry.find(name);
  if (found == entry.end() || !found->is_string()) {
    reject("plugins[" + std::to_string(index) + "] has no string \"" + name + "\"");
  }
  return found->get<std::string>();
}

bool is_lower_hex(const std::string& text) {
  return is_sha256_hex(text) &&
         std::none_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'F'; });
}

}  // namespace

fs::path installed_plugins_path(const fs::path& folder) {
  return folder / kInstalledPluginsFileName;
}

std::vector<InstalledPlugin> parse_installed_plugins(const std::string& text) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& error) {
    // Drops the "[json.exception.parse_error.101] " prefix of the parser's message.
    std::string reason = error.what();
    if (size_t end = reason.find("] "); end != std::string::npos) {
      reason.erase(0, end + 2);
    }
    reject("it is not valid JSON: " + reason);
  }
  if (!document.is_object()) {
    reject("it must be a JSON object");
  }
  auto format = document.find("format");
  if (format == document.end() || !format->is_number_integer() ||
      format->get<int64_t>() != kInstalledPluginsFormat) {
    reject("\"format\" must be " + std::to_string(kInstalledPluginsFormat));
  }
  auto entries = document.find("plugins");
  if (entries == document.end() || !entries->is_array()) {
    reject("\"plugins\" must be an array");
  }
  std::vector<InstalledPlugin> plugins;
  std::set<std::string> names;
  for (size_t i = 0; i < entries->size(); ++i) {
    const json& entry = (*entries)[i];
    if (!entry.is_object()) {
      reject("plugins[" + std::to_string(i) + "] must be an object");
    }
    InstalledPlugin plugin;
    plugin.name = string_member(entry, "name", i);
    plugin.version = string_member(entry, "version", i);
    plugin.sha256 = string_member(entry, "sha256", i);
    plugin.source = string_member(entry, "source", i);
    // The name becomes a file name, so it must not be able to name another folder.
    if (!is_valid_word(plugin.name)) {
      reject("plugins[" + std::to_string(i) + "] has the invalid name '" + plugin.name + "'");
    }
    if (!is_lower_hex(plugin.sha256)) {
      reject("plugins[" + std::to_string(i) +
             "] has an invalid \"sha256\": expected 64 lower-case hexadecimal digits");
    }
    if (!names.insert(plugin.name).second) {
      reject("it lists the plugin '" + plugin.name + "' twice");
    }
    plugins.push_back(std::move(plugin));
  }
  return plugins;
}

std::string format_installed_plugins(std::vector<InstalledPlugin> plugins) {
  std::sort(plugins.begin(), plugins.end(),
            [](const auto& left, const auto& right) { return left.name < right.name; });
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const auto& plugin : plugins) {
    entries.push_back({{"name", plugin.name},
                       {"version", plugin.version},
                       {"sha256", plugin.sha256},
                       {"source", plugin.source}});
  }
  nlohmann::ordered_json document = {{"format", kInstalledPluginsFormat}, {"plugins", entries}};
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::vector<InstalledPlugin> read_installed_plugins(const fs::path& folder) {
  fs::path path = installed_plugins_path(folder);
  std::error_code ignored;
  if (fs::symlink_status(path, ignored).type() == fs::file_type::not_found) {
    return {};
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    throw InvalidInstalledPlugins("could not read " + path.string() + ": " + std::strerror(errno));
  }
  std::stringstream text;
  text << stream.rdbuf();
  try {
    return parse_installed_plugins(text.str());
  } catch (const InvalidInstalledPlugins& error) {
    throw InvalidInstalledPlugins(path.string() + " is invalid: " + error.what());
  }
}

void write_installed_plugins(const fs::path& folder, const std::vector<InstalledPlugin>& plugins) {
  write_private_file(installed_plugins_path(folder), format_installed_plugins(plugins));
}

const InstalledPlugin* find_installed(const std::vector<InstalledPlugin>& plugins,
                                      const std::string& name) {
  for (const auto& plugin : plugins) {
    if (plugin.name == name) {
      return &plugin;
    }
  }
  return nullptr;
}

}  // namespace aai::host
