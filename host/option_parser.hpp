// Parses one command's words against its option and argument specs with Boost.Program_options.
#pragma once

#include "command.hpp"

#include <string>
#include <vector>

namespace aai::host {

struct CommandLineParse {
  ParsedCommandLine line;

  /// -h/--help was given: print the command's help and ignore everything else.
  bool help = false;

  /// -j/--json was given after the command name.
  bool json = false;
};

/// Parses `words` (what follows the command name) for `spec`. Throws CliError (exit 2) with the
/// exact message for an unknown option, a missing or invalid value, a value outside the choices,
/// a repeated option that is not repeatable, a missing required argument or an extra argument.
CommandLineParse parse_command_line(const CommandSpec& spec, const std::vector<std::string>& words);

/// Checks one option value against its type and choices; throws CliError (exit 2) when invalid.
void check_option_value(const OptionSpec& option, const std::string& value);

}  // namespace aai::host
