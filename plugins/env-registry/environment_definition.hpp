// One environment as the env-registry plugin registers it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace env_registry {

/// A named set of service endpoints and where it was defined.
struct EnvironmentDefinition {
  std::string name;
  std::string summary;
  std::vector<std::pair<std::string, std::string>> fields;

  /// "built-in", "compiled in from acme.ini", or the path of the file that defined it.
  std::string origin;
};

}  // namespace env_registry
