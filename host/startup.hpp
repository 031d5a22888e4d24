// Builds the application for one process run: built-in commands, then every plugin found.
#pragma once

#include "application.hpp"
#include "global_options.hpp"

#include <memory>
#include <string>
#include <vector>

namespace aai::host {

/// Creates the application from the process environment (XDG_CONFIG_HOME, HOME,
/// AAI_PLUGIN_PATH, XDG_DATA_HOME) and loads plugins, except for --version, which needs none.
std::unique_ptr<Application> create_application(GlobalOptions options);

/// Prints an error on stderr: through the application when it exists, otherwise as JSON when
/// `args` contains -j or --json and as text when not.
void report_error(Application* application, const std::vector<std::string>& args,
                  const CliError& error);

}  // namespace aai::host
