// The environments built into this plugin: AssemblyAI's production and sandbox000 endpoints.
#pragma once

#include <vector>

#include "environment_definition.hpp"

namespace env_registry {

/// Origin of the environments below.
inline constexpr const char* kBuiltInOrigin = "built-in";

/// Returns production and sandbox000, in that order, with every documented field.
const std::vector<EnvironmentDefinition>& builtin_environments();

}  // namespace env_registry
