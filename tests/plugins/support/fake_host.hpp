// In-memory stand-ins for the host side of the plugin C ABI, for plugin unit tests.
#pragma once

#include <aai/plugin.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace aai::testing {

/// A request a plugin sent through the fake aai.http/1 service.
struct RecordedRequest {
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string body_file;
  /// Content of body_file read at send time, since plugins may delete the file afterwards.
  std::string body_file_content;
  uint32_t timeout_ms = 0;
};

/// What the fake HTTP service returns for the next request: a response, or a transport failure
/// when `transport_error_message` is set.
struct ScriptedResponse {
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;
  std::optional<std::string> transport_error_message;
  int transport_error_exit_code = AAI_EXIT_FAILURE;
  std::string transport_error_type = "api_error";
};

/// One environment as the fake aai.environment/1 service stores it.
struct FakeEnvironment {
  std::string name;
  std::string summary;
  std::string plugin;
  std::vector<std::pair<std::string, std::string>> fields;
};

/// A fake aai_host_t whose output, log, progress, config, environment and HTTP services keep
/// everything in memory. Not copyable: the aai_host_t points back at this object.
class FakeHost {
 public:
  FakeHost();
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  const aai_host_t* raw() const { return &host_; }

  // Settings a test changes before running a command.
  bool json = false;
  bool quiet = false;
  bool stdout_closed = false;
  int32_t verbosity = 0;
  /// is_interrupted returns true from this call number on (1-based); 0 means never.
  int interrupt_on_check = 0;
  std::map<std::pair<std::string, std::string>, std::string> config;
  std::vector<FakeEnvironment> environments;
  std::string active_environment = "production";
  std::string active_source = "default";
  std::deque<ScriptedResponse> responses;

  // What the plugin did.
  std::string stdout_text;
  std::vector<std::pair<aai_message_kind_t, std::string>> messages;
  std::vector<std::pair<aai_log_severity_t, std::string>> log_lines;
  std::vector<std::string> secrets;
  std::vector<std::string> progress_labels;
  std::vector<RecordedRequest> requests;
  int interrupt_checks = 0;

  // Secret store (aai.secrets/1), keyed by (service, account).
  std::map<std::pair<std::string, std::string>, std::string> stored_secrets;
  std::map<std::pair<std::string, std::string>, std::string> stored_secret_labels;
  /// When set, every lookup fails with this message.
  std::optional<std::string> secret_lookup_error;
  /// When set, every remove fails with this message.
  std::optional<std::string> secret_remove_error;
  /// The store call with this number (1-based) fails; 0 means never.
  int fail_secret_store_on_call = 0;
  int secret_store_calls = 0;
  std::string secret_store_description = "the file /fake/secrets.json";

  /// File descriptors that is_terminal reports as terminals.
  std::set<int> terminal_fds;

  /// Environments named through select_environment, in order.
  std::vector<std::string> selected_environments;

  /// A config key whose set call fails, as (section, key).
  std::optional<std::pair<std::string, std::string>> failing_config_key;

  /// When set, every HTTP request first passes through this provider, as in the host's request
  /// pipeline. The editor's is_environment_host and environment_field come from the active
  /// environment's fields. A failure the provider reports becomes the send error, and a 401 to a
  /// request that carried a credential header fails with not_authenticated.
  aai_pre_request_fn provider = nullptr;
  void* provider_context = nullptr;

  /// Adds a response for the next request that has none yet.
  void respond(int status, std::string body);

  /// Adds an environment with the given fields.
  void add_environment(const std::string& name,
                       std::vector<std::pair<std::string, std::string>> fields);

  /// Adds an environment whose only field is api_base.
  void add_environment(const std::string& name, const std::string& api_base);

  /// Returns every log line joined by newlines, for checks that a secret never appears.
  std::string joined_log() const;

  // State the C callbacks use; public so the callbacks can reach it.
  std::string last_error_type;
  std::string last_error_message;
  std::string last_error_suggestion;
  int32_t last_error_exit_code = 0;
  std::string environments_json_cache;
  std::string config_value_cache;
  std::string secret_error_message;
  std::string secret_error_suggestion;

 private:
  aai_host_t host_{};
};

/// A command as registered through the fake registrar, with its strings copied.
struct RecordedCommand {
  std::string name;
  std::string summary;
  std::vector<aai_option_spec_t> options;
  std::vector<std::string> option_names;
  std::map<std::string, std::string> option_defaults;
  std::map<std::string, std::string> option_choices;
  std::vector<std::string> argument_names;
  void* context = nullptr;
  aai_command_run_fn run = nullptr;
};

struct RecordedProvider {
  std::string role;
  std::string name;
  std::string summary;
  void* context = nullptr;
  aai_pre_request_fn pre_request = nullptr;
};

/// A fake aai_registrar_t that records what a plugin registers.
class FakeRegistrar {
 public:
  FakeRegistrar();
  FakeRegistrar(const FakeRegistrar&) = delete;
  FakeRegistrar& operator=(const FakeRegistrar&) = delete;

  const aai_registrar_t* raw() const { return &registrar_; }

  /// Calls the descriptor's register_plugin with this registrar; returns its status.
  aai_status_t register_plugin(const aai_plugin_descriptor_t* descriptor, const FakeHost& host);

  /// Returns the command named `name`; throws std::out_of_range when none was registered.
  const RecordedCommand& command(const std::string& name) const;

  std::vector<RecordedCommand> commands;
  std::vector<FakeEnvironment> environments;
  std::vector<RecordedProvider> providers;
  std::string plugin_name;

 private:
  aai_registrar_t registrar_{};
};

/// The failure a command reported through aai_invocation_t::fail.
struct RecordedFailure {
  int32_t exit_code = 0;
  std::string type;
  std::string message;
  std::string suggestion;
  std::string details_json;
};

/// A fake aai_invocation_t built from option values and positional arguments. Options absent
/// from `options` read their spec's default value, as the real host does.
class FakeInvocation {
 public:
  FakeInvocation(std::map<std::string, std::vector<std::string>> options,
                 std::vector<std::string> arguments);
  FakeInvocation(const FakeInvocation&) = delete;
  FakeInvocation& operator=(const FakeInvocation&) = delete;

  /// Runs `command` through its C run callback and returns the exit code.
  int run(const RecordedCommand& command, const FakeHost& host);

  const aai_invocation_t* raw() const { return &invocation_; }

  std::map<std::string, std::vector<std::string>> options;
  std::vector<std::string> arguments;
  std::optional<RecordedFailure> failure;

 private:
  aai_invocation_t invocation_{};
};

/// A fake aai_request_editor_t for testing pre-request hooks and providers.
class FakeRequestEditor {
 public:
  FakeRequestEditor(std::string method, std::string url, bool is_environment_host);
  FakeRequestEditor(const FakeRequestEditor&) = delete;
  FakeRequestEditor& operator=(const FakeRequestEditor&) = delete;

  const aai_request_editor_t* raw() const { return &editor_; }

  /// Sets the field the editor reports through environment_field (ABI 1.1).
  void set_environment_field(std::optional<std::string> field);

  std::map<std::string, std::string> headers;
  std::vector<std::string> credential_header_names;
  std::optional<RecordedFailure> failure;

 private:
  std::string method_;
  std::string url_;
  std::optional<std::string> environment_field_;
  aai_request_editor_t editor_{};
};

}  // namespace aai::testing
