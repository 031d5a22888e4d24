// `aai env add`, `aai env remove` and `aai env use`: the commands that change which environments
// exist and which one a profile uses.
#pragma once

#include <aai/plugin.hpp>

#include <filesystem>

#include "environment_sources.hpp"

namespace env_registry {

/// This plugin's name, as the host reports it in list_json's "plugin".
inline constexpr const char* kPluginName = "env-registry";

/// The environments and the user's folder that the plugin loaded at registration, for the
/// commands below.
struct RegistryState {
  EnvironmentCatalog catalog;

  /// The user's environments.d, where `env add` writes.
  std::filesystem::path user_folder;
};

/// `aai env add NAME --api-base URL ...`: writes NAME.ini in the user's folder.
aai::Command env_add_command(const RegistryState& state);

/// `aai env remove NAME`: deletes the user's NAME.ini.
aai::Command env_remove_command(const RegistryState& state);

/// `aai env use NAME`: binds the active profile to NAME.
aai::Command env_use_command();

}  // namespace env_registry
