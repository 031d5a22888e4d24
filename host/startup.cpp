#include "startup.hpp"

#include "builtin_commands.hpp"
#include "plugin_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace aai::host {

namespace {

// Whether the command line asks for the main help (`aai`, `aai --help`, `aai help`), which runs
// no plugin command and so can list plugins from their manifests.
bool asks_for_main_help(const GlobalOptions& options) {
  const auto& words = options.command_words;
  return words.empty() || (words.size() == 1 && words[0] == "help");
}

}  // namespace

std::unique_ptr<Application> create_application(GlobalOptions options) {
  auto config_path = default_config_path(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
  bool needs_plugins = !options.version;
  PluginLoadRules rules;
  if (needs_plugins) {
    rules = plugin_load_rules_from_environment();
    rules.describe_from_manifests = asks_for_main_help(options);
  }
  auto application = std::make_unique<Application>(std::move(options), config_path, std::cerr, 1);
  register_builtin_commands(*application);
  if (needs_plugins) {
    std::error_code error;
    auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    load_plugins(*application,
                 plugin_directories(executable.parent_path(), std::getenv("AAI_PLUGIN_PATH"),
                                    std::getenv("XDG_DATA_HOME"), std::getenv("HOME")),
                 rules);
  }
  return application;
}

void report_error(Application* application, const std::vector<std::string>& args,
                  const CliError& error) {
  if (application != nullptr) {
    application->report(error);
    return;
  }
  bool json = std::any_of(args.begin(), args.end(),
                          [](const std::string& arg) { return arg == "-j" || arg == "--json"; });
  std::cerr << (json ? format_error_json(error) : format_error_text(error)) << std::flush;
}

}  // namespace aai::host
