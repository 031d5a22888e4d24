#include "environment_commands.hpp"

#include <cstdlib>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "environment_file.hpp"
#include "environment_view.hpp"
#include "field_rules.hpp"
#include "user_environment_file.hpp"

namespace env_registry {

namespace fs = std::filesystem;

namespace {

// The keyring entry of a profile's API key as docs/login.md lays it out: service
// "assemblyai-cli", account the profile's name. `aai login` writes it. Keys that another
// credential provider keeps elsewhere are not checked by `env use`.
constexpr const char* kKeyringService = "assemblyai-cli";

// The fields `env add` has an option for; every other field comes from --set.
struct FieldOption {
  const char* option;
  const char* key;
};
constexpr FieldOption kFieldOptions[] = {{"api-base", "api_base"},
                                         {"streaming-base", "streaming_base"},
                                         {"llm-gateway-base", "llm_gateway_base"}};

std::optional<std::string> environment_variable(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
}

std::string string_member(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// Returns the host's entry for `name`, or nullptr.
const nlohmann::json* find_entry(const nlohmann::json& environments, const std::string& name) {
  for (const auto& environment : environments) {
    if (string_member(environment, "name") == name) {
      return &environment;
    }
  }
  return nullptr;
}

bool file_exists(const fs::path& file) {
  std::error_code error;
  return fs::exists(fs::symlink_status(file, error));
}

void require_valid_name(const std::string& name) {
  if (auto problem = check_environment_name(name)) {
    throw aai::usage_error("Invalid environment name '" + name + "': " + problem->reason + ".",
                           problem->suggestion);
  }
}

struct AddRequest {
  std::string name;
  std::string summary;
  std::vector<std::pair<std::string, std::string>> fields;
  bool force = false;
};

void add_setting(AddRequest& request, const std::string& setting) {
  size_t equals = setting.find('=');
  if (equals == std::string::npos) {
    throw aai::usage_error("Invalid --set '" + setting + "': expected KEY=VALUE.",
                           "Write it as --set region=eu.");
  }
  const std::string key = setting.substr(0, equals);
  const std::string value = setting.substr(equals + 1);
  if (auto problem = check_field_key(key)) {
    throw aai::usage_error("Invalid --set '" + setting + "': " + problem->reason + ".",
                           problem->suggestion);
  }
  if (key == "summary") {
    throw aai::usage_error("--set cannot set 'summary'.", "Use --summary TEXT.");
  }
  for (const auto& field : kFieldOptions) {
    if (key == field.key) {
      throw aai::usage_error("--set cannot set '" + key + "'.",
                             std::string("Use --") + field.option + " URL.");
    }
  }
  for (const auto& [existing, ignored] : request.fields) {
    if (existing == key) {
      throw aai::usage_error("--set sets '" + key + "' twice.", "Keep one --set per key.");
    }
  }
  require_writable_value("--set " + key, key, value);
  request.fields.emplace_back(key, value);
}

AddRequest read_add_request(const aai::Invocation& invocation) {
  AddRequest request;
  request.name = invocation.arguments().at(0);
  require_valid_name(request.name);
  request.force = invocation.flag("force");
  if (auto summary = invocation.option("summary")) {
    require_writable_value("--summary", "summary", *summary);
    request.summary = *summary;
  }
  for (const auto& field : kFieldOptions) {
    if (auto value = invocation.option(field.option)) {
      require_writable_value(std::string("--") + field.option, field.key, *value);
      request.fields.emplace_back(field.key, *value);
    }
  }
  if (request.fields.empty() || request.fields.front().first != "api_base") {
    throw aai::usage_error("`aai env add` needs --api-base URL.",
                           "Give the REST API's base URL, such as --api-base "
                           "https://api.acme.example.");
  }
  for (const auto& setting : invocation.options("set")) {
    add_setting(request, setting);
  }
  return request;
}

// Checks the new file exactly as the plugin checks files when it loads them.
void require_loadable(const std::string& name, const std::string& text, const fs::path& file) {
  ParsedFile parsed =
      parse_environment_file(text, {file.string(), file.string(), &environment_variable});
  if (!parsed.issues.empty()) {
    const Problem& problem = parsed.issues.front().problem;
    throw aai::usage_error("Cannot add the environment '" + name + "': " + problem.reason + ".",
                           problem.suggestion);
  }
}

// Stops `env add` when the new file would have no effect, or would replace something without
// --force.
void require_no_conflict(const AddRequest& request, const fs::path& file,
                         const RegistryState& state, const nlohmann::json& environments) {
  const nlohmann::json* entry = find_entry(environments, request.name);
  if (entry != nullptr && string_member(*entry, "plugin") != kPluginName) {
    throw aai::usage_error("The environment '" + request.name + "' comes from the plugin " +
                               string_member(*entry, "plugin") +
                               ", which takes precedence over environment files, so a file for "
                               "it would have no effect.",
                           "Pick another name.");
  }
  for (const auto& definition : state.catalog.all) {
    fs::path origin = definition.origin;
    if (definition.name == request.name && origin.parent_path() == state.user_folder &&
        origin.filename() > file.filename()) {
      throw aai::usage_error("The environment '" + request.name + "' is also defined in " +
                                 definition.origin + ", which is read after " +
                                 file.filename().string() + " and would override it.",
                             "Edit that file instead.");
    }
  }
  if (request.force) {
    return;
  }
  if (file_exists(file)) {
    throw aai::usage_error("The environment file " + file.string() + " already exists.",
                           "Pass --force to replace it, or remove it first with `aai env remove " +
                               request.name + "`.");
  }
  if (entry != nullptr) {
    throw aai::usage_error("The environment '" + request.name + "' already exists (origin: " +
                               string_member(*entry, "origin") + ").",
                           "Pass --force to override it with your own file, or pick another "
                           "name.");
  }
}

int run_env_add(const aai::Host& host, const aai::Invocation& invocation,
                const RegistryState& state) {
  AddRequest request = read_add_request(invocation);
  const fs::path file = state.user_folder / (request.name + ".ini");
  const std::string text = format_environment_file(request.name, request.summary, request.fields);
  require_loadable(request.name, text, file);
  require_no_conflict(request, file, state, nlohmann::json::parse(host.environments_json()));

  const bool replaced = file_exists(file);
  write_environment_file(file, text);
  if (host.is_json()) {
    nlohmann::ordered_json result = {
        {"added", request.name}, {"file", file.string()}, {"replaced", replaced}};
    host.write(result.dump() + "\n");
    return AAI_EXIT_OK;
  }
  host.write(std::string(replaced ? "Replaced" : "Added") + " the environment '" + request.name +
             "' in " + file.string() + ".\n");
  host.note("Use it with `aai --env " + request.name +
            " COMMAND`, or bind this profile to it "
            "with `aai env use " +
            request.name + "`.");
  return AAI_EXIT_OK;
}

// Describes where an environment comes from, after "Cannot remove the environment 'x': ".
std::string describe_origin(const std::string& origin) {
  if (origin == "built-in") {
    return "it is built in";
  }
  if (origin.starts_with("compiled in from ")) {
    return "it is " + origin;
  }
  if (origin.starts_with("plugin ")) {
    return "it comes from the " + origin;
  }
  return "it comes from " + origin;
}

std::string removal_suggestion(const std::string& origin) {
  if (origin.starts_with("plugin ")) {
    return "Remove the plugin's file to drop it; `aai plugins list` shows where it is.";
  }
  if (origin.starts_with("/")) {
    return "Edit or delete " + origin + " yourself.";
  }
  return "Use another environment with --env NAME or `aai env use NAME`.";
}

// Returns where `name` comes from once `removed` is gone, or nullopt when nothing defines it.
std::optional<std::string> remaining_origin(const std::string& name, const fs::path& removed,
                                            const RegistryState& state,
                                            const nlohmann::json& environments) {
  // A plugin's environment takes precedence over every file, so it was in effect all along.
  const nlohmann::json* entry = find_entry(environments, name);
  if (entry != nullptr && string_member(*entry, "plugin") != kPluginName) {
    return string_member(*entry, "origin");
  }
  for (auto definition = state.catalog.all.rbegin(); definition != state.catalog.all.rend();
       ++definition) {
    if (definition->name == name && definition->origin != removed.string()) {
      return definition->origin;
    }
  }
  return std::nullopt;
}

// Deletes only NAME.ini in the user's folder: an environment that another user file defines
// is reported with that file's path, to be edited by hand.
int run_env_remove(const aai::Host& host, const aai::Invocation& invocation,
                   const RegistryState& state) {
  const std::string name = invocation.arguments().at(0);
  require_valid_name(name);
  const nlohmann::json environments = nlohmann::json::parse(host.environments_json());
  const fs::path file = state.user_folder / (name + ".ini");
  if (!file_exists(file)) {
    const nlohmann::json& entry = find_environment(environments, name);
    const std::string origin = string_member(entry, "origin");
    throw aai::usage_error("Cannot remove the environment '" + name +
                               "': " + describe_origin(origin) +
                               ", and only environments added with `aai env add` can be removed.",
                           removal_suggestion(origin));
  }

  remove_environment_file(file);
  std::optional<std::string> remaining = remaining_origin(name, file, state, environments);
  if (host.is_json()) {
    nlohmann::ordered_json result = {{"removed", name}, {"file", file.string()}};
    result["remaining_origin"] = remaining ? nlohmann::ordered_json(*remaining) : nullptr;
    host.write(result.dump() + "\n");
    return AAI_EXIT_OK;
  }
  host.write("Removed the environment '" + name + "' (" + file.string() + ").\n");
  const std::string profile = host.profile();
  if (remaining) {
    host.note("'" + name + "' now comes from " + *remaining + ".");
  } else if (host.config("profile." + profile, "env") == name) {
    host.warn("Profile '" + profile + "' still uses '" + name +
              "', which no longer exists; pick another with `aai env use NAME`.");
  }
  return AAI_EXIT_OK;
}

// Throws when `env use` would move a signed-in profile to another environment, because the
// stored key would then go to that environment's hosts, which may belong to someone else.
void require_key_stays_home(const aai::Host& host, const std::string& profile,
                            const std::optional<std::string>& bound, const std::string& name) {
  if (bound == name || !host.secret(kKeyringService, profile)) {
    return;
  }
  const std::string suggestion = "Sign in there with `aai --env " + name +
                                 " login`, run `aai logout` first, or use another profile: "
                                 "`aai -p " +
                                 name + " env use " + name + "`.";
  if (bound) {
    throw aai::usage_error("Profile '" + profile + "' is signed in to '" + *bound +
                               "', so binding it to '" + name + "' would send that key to '" +
                               name + "'.",
                           suggestion);
  }
  throw aai::usage_error("Profile '" + profile +
                             "' has a stored API key but no recorded "
                             "environment, so binding it to '" +
                             name + "' could send that key to '" + name + "'.",
                         suggestion);
}

int run_env_use(const aai::Host& host, const aai::Invocation& invocation) {
  const std::string name = invocation.arguments().at(0);
  find_environment(nlohmann::json::parse(host.environments_json()), name);
  const std::string profile = host.profile();
  const std::string section = "profile." + profile;
  const std::optional<std::string> bound = host.config(section, "env");
  require_key_stays_home(host, profile, bound, name);

  host.set_config(section, "env", name);
  if (host.is_json()) {
    nlohmann::ordered_json result = {{"profile", profile}, {"env", name}};
    host.write(result.dump() + "\n");
  } else {
    host.write("Profile '" + profile + "' now uses the environment '" + name + "'.\n");
  }
  std::optional<std::string> aai_env = environment_variable("AAI_ENV");
  if (aai_env && !aai_env->empty() && *aai_env != name) {
    host.note("AAI_ENV is set to '" + *aai_env +
              "', which takes precedence over the profile's environment.");
  }
  return AAI_EXIT_OK;
}

}  // namespace

aai::Command env_add_command(const RegistryState& state) {
  return {"env add",
          "Add an environment for this user, or replace one with --force",
          "Writes NAME.ini in the user's environments.d folder (next to config.ini), checked as "
          "aai checks every environment file: URLs must use https (wss for --streaming-base), "
          "and only loopback hosts may use http or ws.",
          {aai::text("api-base", "URL",
                     "base URL of the REST API, such as https://api.acme.example "
                     "(required)"),
           aai::text("streaming-base", "URL", "base URL of real-time transcription (wss://...)"),
           aai::text("llm-gateway-base", "URL", "base URL of the LLM Gateway, including its /v1"),
           aai::text("summary", "TEXT", "one line for `aai env list`"),
           aai::repeated(aai::text("set", "KEY=VALUE",
                                   "any other field, such as region=eu; repeat for more")),
           aai::flag("force",
                     "replace an existing file, or override an environment of that name "
                     "from elsewhere")},
          {{"NAME", "Name of the environment: lower-case letters, digits and '-'", true, false}},
          [&state](const aai::Host& host, const aai::Invocation& invocation) {
            return run_env_add(host, invocation, state);
          }};
}

aai::Command env_remove_command(const RegistryState& state) {
  return {"env remove",
          "Remove an environment that `aai env add` added",
          "Deletes NAME.ini from the user's environments.d folder. An environment of that name "
          "from elsewhere (built in, compiled in, /etc/aai/environments.d or a plugin) is then "
          "used again.",
          {},
          {{"NAME", "Environment to remove", true, false}},
          [&state](const aai::Host& host, const aai::Invocation& invocation) {
            return run_env_remove(host, invocation, state);
          }};
}

aai::Command env_use_command() {
  return {"env use",
          "Make an environment the active profile's default",
          "Sets the profile's env key in config.ini, the one `aai login` sets. --env, --sandbox "
          "and AAI_ENV still take precedence. Rejects a profile that is signed in to "
          "another environment, because its key would then go there.",
          {},
          {{"NAME", "Environment the profile uses from now on", true, false}},
          &run_env_use};
}

}  // namespace env_registry
