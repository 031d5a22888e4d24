// Registers the production and sandbox000 environments and the `env list` / `env show` commands.
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include <nlohmann/json.hpp>

#include "builtin_environments.hpp"
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

void register_env_registry(aai::Registrar& registrar) {
  for (const auto& environment : env_registry::builtin_environments()) {
    registrar.add_environment(environment.name, environment.summary, environment.fields);
  }
  registrar.add({"env list",
                 "List the environments (sets of service endpoints) aai can use",
                 "Marks the active environment with `*`. With --json, prints a JSON array of "
                 "{name, summary, plugin, fields}.",
                 {},
                 {},
                 &run_env_list});
  registrar.add({"env show",
                 "Show every field of an environment",
                 "Without NAME, shows the active environment and where its selection came from "
                 "(--env, --sandbox, AAI_ENV, profile or default).",
                 {},
                 {{"NAME", "Environment to show; the active one when omitted", false, false}},
                 &run_env_show});
}

}  // namespace

AAI_DEFINE_PLUGIN("env-registry", "0.1.0", "AssemblyAI's production and sandbox000 environments",
                  register_env_registry)

AAI_PLUGIN_MANIFEST(R"({"manifest": 1, "name": "env-registry", "version": "0.1.0", "abi": "1.3",
  "summary": "AssemblyAI's production and sandbox000 environments",
  "commands": ["env list", "env show"], "needs": []})");
