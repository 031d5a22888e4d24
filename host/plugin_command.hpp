// Runs a plugin's command through aai_invocation_t.
#pragma once

#include "application.hpp"
#include "command.hpp"

#include <aai/plugin.h>

namespace aai::host {

/// Builds the handler that calls `run` with an invocation over the parsed command line. The
/// handler returns the exit code, or throws CliError with what the plugin passed to fail (a
/// generic error naming the plugin when it failed without calling fail).
CommandHandler make_plugin_handler(PluginHost& host, const std::string& command_name,
                                   aai_command_run_fn run, void* context);

}  // namespace aai::host
