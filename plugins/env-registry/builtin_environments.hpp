// The environments this plugin registers: AssemblyAI's production and sandbox000 endpoints.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace env_registry {

/// A named set of service endpoints, as handed to aai_registrar_t::add_environment.
struct EnvironmentDefinition {
  std::string name;
  std::string summary;
  std::vector<std::pair<std::string, std::string>> fields;
};

/// Returns production and sandbox000, in that order, with every documented field.
const std::vector<EnvironmentDefinition>& builtin_environments();

}  // namespace env_registry
