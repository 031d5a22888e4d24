// Commands as the host stores them: owned copies of the plugin specs plus a handler.
#pragma once

#include <aai/plugin.h>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aai::host {

struct OptionSpec {
  std::string name;
  char short_name = 0;
  aai_option_type_t type = AAI_OPTION_STRING;
  std::optional<std::string> default_value;
  std::string value_name;
  std::vector<std::string> choices;
  bool repeatable = false;
  std::string help;
};

struct ArgumentSpec {
  std::string name;
  std::string help;
  bool required = true;
  bool variadic = false;
};

struct CommandSpec {
  std::string name;
  std::string summary;
  std::string description;
  std::vector<OptionSpec> options;
  std::vector<ArgumentSpec> arguments;
};

/// One command run's parsed command line: option values by long name (defaults filled in) and
/// positional values in order.
struct ParsedCommandLine {
  std::map<std::string, std::vector<std::string>> options;
  std::vector<std::string> arguments;
};

using CommandHandler = std::function<int(const ParsedCommandLine&)>;

/// A registered command. `plugin_name` is empty for the host's built-in commands.
struct Command {
  CommandSpec spec;
  std::string plugin_name;
  std::filesystem::path plugin_file;
  CommandHandler run;

  /// Files of later plugins that registered the same name; running the command then fails.
  std::vector<std::filesystem::path> conflicting_files;
};

}  // namespace aai::host
