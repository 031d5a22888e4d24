// The running host: global options, the registries plugins fill, the services they call and
// the dispatch of one command.
#pragma once

#include "command_registry.hpp"
#include "config_store.hpp"
#include "environment_registry.hpp"
#include "global_options.hpp"
#include "log_sink.hpp"
#include "output.hpp"
#include "plugin_catalog.hpp"
#include "progress_line.hpp"
#include "request_hooks.hpp"
#include "request_pipeline.hpp"
#include "secrets/secret_store.hpp"

#include <aai/plugin.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace aai::host {

class Application;

/// The aai_host_t given to one plugin; its host_data points back to this record.
struct PluginHost {
  aai_host_t raw{};
  std::string plugin_name;
  Application* application = nullptr;

  /// While register_plugin runs, error log lines land here instead of stderr, so a failed
  /// registration becomes one warning line that includes them.
  std::vector<std::string>* captured_errors = nullptr;
};

/// The host version string, from the CMake project version.
const char* host_version();

class Application final : public RequestContext {
 public:
  /// `messages` receives stderr output and `stdout_fd` the results; tests pass their own.
  Application(GlobalOptions options, std::filesystem::path config_path, std::ostream& messages,
              int stdout_fd);

  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  const GlobalOptions& options() const { return options_; }
  LogSink& log() { return log_; }
  Output& output() { return output_; }
  ProgressLine& progress() { return progress_; }
  ConfigStore& config() { return config_; }
  CommandRegistry& commands() { return commands_; }
  EnvironmentRegistry& environments() { return environments_; }
  ProviderRegistry& providers() { return providers_; }
  std::vector<RequestHook>& hooks() { return hooks_; }
  PluginCatalog& catalog() { return catalog_; }
  RequestPipeline& http() { return http_; }
  std::ostream& messages() { return messages_; }

  /// Replaces how the transport is made on the first send; tests inject a fake.
  void set_transport_factory(TransportFactory factory) { transport_factory_ = std::move(factory); }

  /// Returns the active profile: -p, then core.active_profile from config, then "default".
  const std::string& profile();

  /// Returns the active environment's name and source; resolved once, on first use.
  const EnvironmentSelection& environment_selection();

  /// Makes `name` the active environment for the rest of the run. Its source reads "--env"
  /// when --env named it, otherwise "command". Returns false for an unknown name.
  bool switch_environment(const std::string& name);

  /// Returns the secret store, created on first use with $XDG_DATA_HOME/aai as its data folder.
  SecretStore& secrets();

  /// Replaces the secret store; tests inject one with fake backends.
  void set_secret_store(std::unique_ptr<SecretStore> store) { secrets_ = std::move(store); }

  const Environment* active_environment() override;
  const Provider* credential_provider() override;
  bool is_interrupted() override;

  /// Creates the aai_host_t for a plugin; it stays valid for the life of the application.
  PluginHost& create_plugin_host(const std::string& plugin_name);

  /// Stores an error raised inside a service callback, which may not throw across the ABI; the
  /// command then fails with it.
  void defer_error(const CliError& error);

  /// Runs the command named by the global options' command words and returns the exit code.
  /// Throws CliError for every failure the user should see.
  int run();

  /// Prints an error on stderr in text or JSON form.
  void report(const CliError& error) { output_.error(error); }

  /// Switches to JSON output when -j/--json comes after the command name.
  void enable_json();

  /// The last failed HTTP send, for aai_http_service_t::last_error.

  /// Keeps a string alive for the life of the application and returns it.
  const std::string& keep(std::string text);

 private:
  int dispatch();
  int run_group_or_fail(const std::vector<std::string>& words);
  int print_group(const std::string& prefix, const std::vector<const Command*>& subcommands,
                  bool asked_for_help);
  int run_command(const Command& command, const std::vector<std::string>& words);
  int run_handler(const Command& command, const ParsedCommandLine& line);
  /// Throws CliError exit 1 `plugin_skipped` when the manifest of a skipped plugin file declares
  /// the command `word` (or a group of that name), naming the file and why it was skipped.
  void throw_if_skipped_plugin_command(const std::string& word) const;

  GlobalOptions options_;
  std::ostream& messages_;
  LogSink log_;
  Output output_;
  ProgressLine progress_;
  ConfigStore config_;
  CommandRegistry commands_;
  EnvironmentRegistry environments_;
  ProviderRegistry providers_;
  std::vector<RequestHook> hooks_;
  PluginCatalog catalog_;
  TransportFactory transport_factory_;
  RequestPipeline http_;
  std::deque<PluginHost> plugin_hosts_;
  std::deque<std::string> kept_strings_;
  std::optional<std::string> profile_;
  std::optional<EnvironmentSelection> environment_;
  std::optional<CliError> deferred_error_;
  std::unique_ptr<SecretStore> secrets_;
  int stdout_fd_;
};

}  // namespace aai::host
