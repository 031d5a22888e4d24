// The host's own commands: help, version, completion, config and the plugins commands (list,
// install, remove, verify). They go through the same registry as plugin commands.
#pragma once

#include "application.hpp"

#include <string>

namespace aai::host {

/// Registers help, version, completion, the plugins commands and the config commands.
void register_builtin_commands(Application& application);

/// Registers config path, list, get, set and unset.
void register_config_commands(Application& application);

/// Registers `completion SHELL`, which prints a completion script for bash, zsh or fish.
void register_completion_command(Application& application);

struct ConfigKey {
  std::string section;
  std::string key;
};

/// Resolves a KEY argument: `active_profile` is core.active_profile, `env` is the active
/// profile's env, `providers.ROLE` keeps the dots of ROLE, and anything else splits at the last
/// dot (profile.default.env is section profile.default, key env). Throws CliError exit 2
/// `usage_error` for a key without a section.
ConfigKey resolve_config_key(Application& application, const std::string& typed);

}  // namespace aai::host
