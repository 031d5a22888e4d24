// The options that come before the command name: aai [GLOBAL OPTIONS] COMMAND ...
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace aai::host {

struct GlobalOptions {
  std::optional<std::string> env;
  bool sandbox = false;
  std::optional<std::string> profile;
  bool json = false;
  bool quiet = false;

  /// Number of -v given, capped at 2.
  int verbosity = 0;

  bool version = false;
  bool help = false;

  /// The command name and everything after it.
  std::vector<std::string> command_words;

  /// Warnings to print once output is set up, such as --env overriding --sandbox.
  std::vector<std::string> warnings;
};

/// Parses the arguments after argv[0]. Throws CliError: exit 2 `usage_error` for an unknown or
/// incomplete global option, exit 2 `invalid_profile` for a profile name outside
/// [A-Za-z0-9_-]+.
GlobalOptions parse_global_options(const std::vector<std::string>& args);

/// Returns whether `name` is a valid profile name: letters, digits, '-' and '_', not empty.
bool is_valid_profile_name(const std::string& name);

/// Throws CliError exit 2 `invalid_profile` when `name` is not a valid profile name.
void check_profile_name(const std::string& name);

}  // namespace aai::host
