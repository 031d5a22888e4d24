// Help text generated from the command registry and the option specs, the same for every plugin.
#pragma once

#include "command.hpp"
#include "command_registry.hpp"
#include "plugin_catalog.hpp"

#include <string>
#include <vector>

namespace aai::host {

/// `aai --help`: usage, global options, built-in commands, then each plugin's commands under
/// the plugin's summary.
std::string format_main_help(const CommandRegistry& commands, const PluginCatalog& catalog);

/// `aai CMD --help`: usage line, summary, description, arguments and options with value names,
/// choices, defaults and "repeatable".
std::string format_command_help(const CommandSpec& spec);

/// `aai GROUP`: the subcommands of a group prefix such as "transcripts".
std::string format_group_help(const std::string& prefix,
                              const std::vector<const Command*>& subcommands);

}  // namespace aai::host
