// Registers the environments of every source (the built-in table, compiled-in files,
// /etc/aai/environments.d and the user's environments.d) and the `env` commands.
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "builtin_environments.hpp"
#include "compiled_in_environments.hpp"
#include "environment_commands.hpp"
#include "environment_sources.hpp"
#include "environment_view.hpp"

namespace {

int run_env_list(const aai::Host& host, const aai::Invocation&) {
  nlohmann::json environments = nlohmann::json::parse(host.environments_json());
  if (host.is_json()) {
    host.write(environments.dump() + "\n");
    return AAI_EXIT_OK;
  }
  host.write(env_registry::render_environment_table(environments, host.environment()));
  return AAI_EXIT_OK;
}

int run_env_show(const aai::Host& host, const aai::Invocation& invocation) {
  nlohmann::json environments = nlohmann::json::parse(host.environments_json());
  const std::string active = host.environment();
  std::vector<std::string> arguments = invocation.arguments();
  const bool named = !arguments.empty();
  const std::string name = named ? arguments.front() : active;

  const nlohmann::json& environment = env_registry::find_environment(environments, name);
  // An explicit NAME is shown because the user asked for it, whatever selects the active one.
  const std::string source = named ? "argument" : host.environment_source();
  nlohmann::json details =
      env_registry::environment_details_json(environment, source, name == active);
  if (host.is_json()) {
    host.write(details.dump() + "\n");
  } else {
    host.write(env_registry::render_environment_details(details));
  }
  return AAI_EXIT_OK;
}

std::optional<std::string> environment_variable(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
}

// Loaded once per process, when the plugin registers; the commands read it afterwards.
env_registry::RegistryState& registry_state() {
  static env_registry::RegistryState state;
  return state;
}

void register_environments(aai::Registrar& registrar) {
  const aai::Host host = registrar.host();
  env_registry::RegistryState& state = registry_state();
  state.user_folder = env_registry::user_environment_folder(host.config_path());

  env_registry::EnvironmentSources sources;
  sources.built_in = env_registry::builtin_environments();
  sources.compiled_in = env_registry::compiled_in_environment_files();
  sources.system_folder =
      env_registry::system_environment_folder(std::getenv("AAI_SYSTEM_CONFIG_DIR"));
  sources.user_folder = state.user_folder;
  env_registry::DiskEnvironmentFiles files;
  state.catalog = env_registry::load_environments(sources, files, &environment_variable);

  for (const auto& warning : state.catalog.warnings) {
    host.warn(warning);
  }
  for (const auto& replacement : state.catalog.replacements) {
    host.info(replacement);
  }
  // Replaceable, so that an environment another plugin registers (such as `local`, or a
  // company's own plugin) wins over a file of the same name whatever order plugins load in.
  for (const auto& environment : state.catalog.merged) {
    registrar.add_environment(aai::EnvironmentSpec{environment.name, environment.summary,
                                                   environment.fields, environment.origin, true});
  }
}

void register_env_registry(aai::Registrar& registrar) {
  register_environments(registrar);
  const env_registry::RegistryState& state = registry_state();
  registrar.add({"env list",
                 "List the environments (sets of service endpoints) aai can use",
                 "Marks the active environment with `*`. With --json, prints a JSON array of "
                 "{name, summary, plugin, origin, fields}.",
                 {},
                 {},
                 &run_env_list});
  registrar.add({"env show",
                 "Show every field of an environment and where it was defined",
                 "Without NAME, shows the active environment and where its selection came from "
                 "(--env, --sandbox, AAI_ENV, profile or default). `origin` says which source "
                 "defined it: built-in, a compiled-in file, a file's path or a plugin.",
                 {},
                 {{"NAME", "Environment to show; the active one when omitted", false, false}},
                 &run_env_show});
  registrar.add(env_registry::env_add_command(state));
  registrar.add(env_registry::env_remove_command(state));
  registrar.add(env_registry::env_use_command());
}

}  // namespace

AAI_DEFINE_PLUGIN("env-registry", "0.2.0",
                  "Environments: built in, compiled in, and from environments.d folders",
                  register_env_registry)

AAI_PLUGIN_MANIFEST(R"({"manifest": 1, "name": "env-registry", "version": "0.2.0",
  "abi": ")" AAI_MANIFEST_ABI R"(",
  "summary": "Environments: built in, compiled in, and from environments.d folders",
  "commands": ["env list", "env show", "env add", "env remove", "env use"], "needs": [],
  "summaries": {
    "env add": "Add an environment for this user, or replace one with --force",
    "env list": "List the environments (sets of service endpoints) aai can use",
    "env remove": "Remove an environment that `aai env add` added",
    "env show": "Show every field of an environment and where it was defined",
    "env use": "Make an environment the active profile's default"}})");
