// In-memory stand-ins for the host side of the plugin C ABI, for plugin unit tests.
#pragma once

#include <aai/plugin.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
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
  /// aai_http_request_t::flags and max_retries, as sent.
  uint32_t flags = 0;
  uint32_t max_retries = 0;
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

/// What the fake aai.websocket/1 service returns from one receive call.
struct ScriptedWebSocketEvent {
  aai_websocket_event_kind_t kind = AAI_WEBSOCKET_TEXT;
  std::string data;
  int32_t close_code = 0;
  std::string close_reason;
  /// The event is held back until the plugin has sent at least this many messages, so a test
  /// can place it after a given audio frame or after Terminate whatever the timing.
  size_t after_sent_messages = 0;
};

/// A message a plugin sent through the fake aai.websocket/1 service.
struct SentWebSocketMessage {
  bool binary = false;
  std::string data;
};

/// A connect call to the fake aai.websocket/1 service.
struct RecordedWebSocketConnect {
  std::string url;
  /// The request's headers plus those the provider set (when `anonymous` is false).
  std::vector<std::pair<std::string, std::string>> headers;
  uint32_t connect_timeout_ms = 0;
  bool anonymous = false;
};

/// A failure the fake returns from connect or send, as aai_websocket_service_t::last_error
/// reports it.
struct ScriptedWebSocketFailure {
  int32_t exit_code = AAI_EXIT_FAILURE;
  std::string type = "api_error";
  std::string message;
  std::string suggestion;
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
  /// When set, returns the response to every HTTP request in place of `responses`. It runs on the
  /// sending thread without any lock held, so requests sent from several threads reach it at the
  /// same time.
  std::function<ScriptedResponse(const RecordedRequest&)> http_handler;
  /// Guards `requests`, `responses`, `progress_labels`, `stdout_text` and `interrupt_checks`,
  /// because the HTTP service may be called from any thread. Tests read those fields only after
  /// the command returned, so they need not take it.
  std::mutex mutex;
  /// Guards `log_lines`, because the log service may be called from any thread. It is separate
  /// from `mutex`, which is held while a credential provider runs and logs.
  std::mutex log_mutex;

  // What the plugin did.
  std::string stdout_text;
  std::vector<std::pair<aai_message_kind_t, std::string>> messages;
  std::vector<std::pair<aai_log_severity_t, std::string>> log_lines;
  std::vector<std::string> secrets;
  std::vector<std::string> progress_labels;
  /// The `total` of each progress update: a byte count, or 0 for elapsed time only.
  std::vector<uint64_t> progress_totals;
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

  // The fake aai.websocket/1 service. Each receive returns the first scripted event once it is
  // due, otherwise AAI_WEBSOCKET_TIMEOUT without waiting. A CLOSED event is returned again by
  // every later receive; after the plugin's own close with nothing left to deliver, receive
  // returns CLOSED with the plugin's code.
  std::deque<ScriptedWebSocketEvent> websocket_events;
  /// When set, connect fails with it.
  std::optional<ScriptedWebSocketFailure> websocket_connect_failure;
  /// The send call with this number (1-based) and every later one fails with
  /// websocket_send_failure; 0 means never.
  int fail_websocket_send_from = 0;
  ScriptedWebSocketFailure websocket_send_failure{AAI_EXIT_FAILURE, "connection_error",
                                                  "Broken pipe", ""};
  std::vector<RecordedWebSocketConnect> websocket_connects;
  std::vector<SentWebSocketMessage> websocket_sent;
  std::vector<uint32_t> websocket_receive_timeouts;
  /// Close codes the plugin passed to close, in order.
  std::vector<int32_t> websocket_close_codes;
  int websocket_releases = 0;
  /// Called at the start of every receive with its timeout, for example to advance a fake clock.
  std::function<void(uint32_t timeout_ms)> on_websocket_receive;

  /// Adds a text event for the next receive calls.
  void script_text(std::string text, size_t after_sent_messages = 0);

  /// Adds a close event with `code` and `reason`.
  void script_close(int32_t code, std::string reason, size_t after_sent_messages = 0);

  /// Runs the provider over a request as the host's pipeline does, adding the headers it sets.
  /// The editor's is_environment_host and environment_field come from the active environment's
  /// fields. Returns false when the provider stopped the request; its failure is then the last
  /// error.
  bool run_provider(const std::string& method, const std::string& url,
                    std::vector<std::pair<std::string, std::string>>& headers,
                    bool& carries_credential);

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
  bool websocket_open = false;
  bool websocket_closed_by_plugin = false;
  int32_t websocket_plugin_close_code = 0;
  std::optional<ScriptedWebSocketEvent> websocket_final_event;
  ScriptedWebSocketEvent websocket_current_event;

 private:
  aai_host_t host_{};
};

/// The fake aai.websocket/1 table that FakeHost offers.
const aai_websocket_service_t* fake_websocket_service();

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
