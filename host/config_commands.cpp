#include "builtin_commands.hpp"

#include "cli_error.hpp"
#include "secrets/secret_store.hpp"

#include <nlohmann/json.hpp>

namespace aai::host {

namespace {

std::string dump(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void add_builtin(Application& app, CommandSpec spec, CommandHandler run) {
  Command command;
  command.spec = std::move(spec);
  command.run = std::move(run);
  app.commands().add(std::move(command));
}

const ArgumentSpec kKeyArgument = {
    "KEY", "SECTION.KEY such as profile.default.env, or active_profile or env.", true, false};

int run_path(Application& app) {
  std::string path = app.config().path().string();
  app.output().write(app.output().is_json() ? dump({{"path", path}}) : path + "\n");
  return 0;
}

int run_list(Application& app) {
  auto entries = app.config().entries();
  if (app.output().is_json()) {
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (const auto& [section, pair] : entries) {
      values[section + "." + pair.first] = pair.second;
    }
    app.output().write(dump({{"path", app.config().path().string()},
                             {"active_profile", app.profile()},
                             {"values", values}}));
    return 0;
  }
  std::string text;
  for (const auto& [section, pair] : entries) {
    text += section + "." + pair.first + " = " + pair.second + "\n";
  }
  app.output().write(text);
  return 0;
}

int run_get(Application& app, const std::string& typed) {
  ConfigKey key = resolve_config_key(app, typed);
  auto value = app.config().get(key.section, key.key);
  if (app.output().is_json()) {
    app.output().write(
        dump({{"key", typed},
              {"value", value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json()}}));
  } else {
    app.output().write(value.value_or("unset") + "\n");
  }
  return 0;
}

void check_config_value(Application& app, const ConfigKey& key, const std::string& value) {
  if (key.section == "core" && key.key == "active_profile") {
    check_profile_name(value);
  }
  if (key.section.rfind("profile.", 0) == 0 && key.key == "env") {
    app.environments().require(value);
  }
  if (key.section == "core" && key.key == "secret_store") {
    parse_secret_store_choice(value);
  }
}

int run_set(Application& app, const std::string& typed, const std::optional<std::string>& value) {
  ConfigKey key = resolve_config_key(app, typed);
  if (value) {
    check_config_value(app, key, *value);
  }
  app.config().set(key.section, key.key, value);
  if (app.output().is_json()) {
    app.output().write(
        dump({{"key", typed},
              {"value", value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json()}}));
  } else {
    app.output().message(AAI_MESSAGE_NOTE,
                         value ? "Set " + key.section + "." + key.key + " to '" + *value + "'."
                               : "Removed " + key.section + "." + key.key + ".");
  }
  return 0;
}

}  // namespace

ConfigKey resolve_config_key(Application& app, const std::string& typed) {
  if (typed == "active_profile") {
    return {"core", "active_profile"};
  }
  if (typed == "env") {
    return {"profile." + app.profile(), "env"};
  }
  const std::string providers = "providers.";
  if (typed.rfind(providers, 0) == 0 && typed.size() > providers.size()) {
    return {"providers", typed.substr(providers.size())};
  }
  size_t dot = typed.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == typed.size()) {
    throw usage_error("Invalid config key '" + typed + "'.",
                      "Use SECTION.KEY such as profile.default.env, or the short forms "
                      "active_profile and env.");
  }
  return {typed.substr(0, dot), typed.substr(dot + 1)};
}

void register_config_commands(Application& app) {
  add_builtin(app, {"config path", "Print the config file's path.", "", {}, {}},
              [&app](const ParsedCommandLine&) { return run_path(app); });
  add_builtin(app, {"config list", "Print every config value.", "", {}, {}},
              [&app](const ParsedCommandLine&) { return run_list(app); });
  add_builtin(app, {"config get", "Print one config value, or `unset`.", "", {}, {kKeyArgument}},
              [&app](const ParsedCommandLine& line) { return run_get(app, line.arguments[0]); });
  add_builtin(app,
              {"config set",
               "Set a config value.",
               "`env` must name a registered environment; `active_profile` must be a valid "
               "profile name; `core.secret_store` must be auto, keyring or file.",
               {},
               {kKeyArgument, {"VALUE", "The value to store.", true, false}}},
              [&app](const ParsedCommandLine& line) {
                return run_set(app, line.arguments[0], line.arguments[1]);
              });
  add_builtin(app, {"config unset", "Remove a config value.", "", {}, {kKeyArgument}},
              [&app](const ParsedCommandLine& line) {
                return run_set(app, line.arguments[0], std::nullopt);
              });
}

}  // namespace aai::host
