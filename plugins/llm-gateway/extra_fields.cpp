#include "extra_fields.hpp"

#include <aai/plugin.hpp>

#include <map>

namespace llm {
namespace {

// The option that sets each key the gateway's body must not get twice.
const std::map<std::string, std::string>& reserved_keys() {
  static const std::map<std::string, std::string> keys = {
      {"messages", "Pass the prompt as an argument, and use --system for a system message."},
      {"model", "Use --model."},
      {"prompt", "Pass the prompt as an argument."},
      {"stream", "aai llm streams on a terminal for models that support it; --json turns it off."},
  };
  return keys;
}

}  // namespace

nlohmann::json parse_extra_fields(const std::vector<std::string>& items) {
  nlohmann::json fields = nlohmann::json::object();
  for (const std::string& item : items) {
    const size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw aai::usage_error("Invalid --config '" + item + "': expected KEY=VALUE.",
                             "Pass a request field such as --config top_p=0.9.");
    }
    const std::string key = item.substr(0, equals);
    const std::string value = item.substr(equals + 1);
    if (auto reserved = reserved_keys().find(key); reserved != reserved_keys().end()) {
      throw aai::usage_error("--config cannot set '" + key + "'.", reserved->second);
    }
    nlohmann::json parsed = nlohmann::json::parse(value, nullptr, false);
    fields[key] = parsed.is_discarded() ? nlohmann::json(value) : std::move(parsed);
  }
  return fields;
}

}  // namespace llm
