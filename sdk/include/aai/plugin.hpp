// Header-only C++ layer over the aai plugin C ABI: RAII, std::string and exceptions that stop at
// the ABI boundary.
#pragma once

#include <aai/plugin.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace aai {

/// A failure a command reports to the user. The trampolines in this header catch it and pass it
/// to the host through aai_invocation_t::fail, so it never crosses the ABI.
class Error : public std::runtime_error {
 public:
  Error(int exit_code, std::string type, const std::string& message, std::string suggestion = {},
        std::string details_json = {})
      : std::runtime_error(message),
        exit_code_(exit_code),
        type_(std::move(type)),
        suggestion_(std::move(suggestion)),
        details_json_(std::move(details_json)) {}

  int exit_code() const { return exit_code_; }
  const std::string& type() const { return type_; }
  const std::string& suggestion() const { return suggestion_; }

  /// JSON object whose members are added to the error object, or empty.
  const std::string& details_json() const { return details_json_; }

 private:
  int exit_code_;
  std::string type_;
  std::string suggestion_;
  std::string details_json_;
};

/// A usage error (exit 2) with type "usage_error" unless another type is given.
inline Error usage_error(const std::string& message, std::string suggestion = {},
                         std::string type = "usage_error") {
  return Error(AAI_EXIT_USAGE, std::move(type), message, std::move(suggestion));
}

/// Thrown by Host::write when stdout is a closed pipe; the trampoline turns it into exit 0.
class StdoutClosed : public std::exception {
 public:
  const char* what() const noexcept override { return "stdout is closed"; }
};

/// An option spec with owned strings; see aai_option_spec_t.
struct Option {
  std::string name;
  char short_name = 0;
  aai_option_type_t type = AAI_OPTION_STRING;
  std::optional<std::string> default_value;
  std::string value_name;
  std::string choices;
  bool repeatable = false;
  std::string help;
};

inline Option flag(std::string name, std::string help, char short_name = 0) {
  return Option{std::move(name), short_name, AAI_OPTION_FLAG, {}, {}, {}, false, std::move(help)};
}

inline Option boolean(std::string name, std::string help) {
  return Option{std::move(name), 0, AAI_OPTION_BOOLEAN, {}, {}, {}, false, std::move(help)};
}

inline Option text(std::string name, std::string value_name, std::string help,
                   char short_name = 0) {
  return Option{std::move(name), short_name,     AAI_OPTION_STRING, {}, std::move(value_name), {},
                false,           std::move(help)};
}

inline Option integer(std::string name, std::string value_name, std::string help) {
  return Option{std::move(name), 0, AAI_OPTION_INTEGER, {}, std::move(value_name), {}, false,
                std::move(help)};
}

inline Option number(std::string name, std::string value_name, std::string help) {
  return Option{std::move(name), 0, AAI_OPTION_NUMBER, {}, std::move(value_name), {}, false,
                std::move(help)};
}

inline Option choice(std::string name, std::string choices, std::string help, char short_name = 0) {
  return Option{std::move(name),    short_name, AAI_OPTION_STRING, {}, {},
                std::move(choices), false,      std::move(help)};
}

inline Option repeated(Option option) {
  option.repeatable = true;
  return option;
}

inline Option with_default(Option option, std::string value) {
  option.default_value = std::move(value);
  return option;
}

/// A positional argument spec; see aai_argument_spec_t.
struct Argument {
  std::string name;
  std::string help;
  bool required = true;
  bool variadic = false;
};

/// Read access to one command run's parsed arguments.
class Invocation {
 public:
  explicit Invocation(const aai_invocation_t* invocation) : invocation_(invocation) {}

  /// Returns the option's first value, or nullopt when absent.
  std::optional<std::string> option(const std::string& name) const {
    const char* value = invocation_->option_value(invocation_, name.c_str(), 0);
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  }

  /// Returns every value of a repeatable option, in the order given.
  std::vector<std::string> options(const std::string& name) const {
    std::vector<std::string> values;
    uint32_t count = invocation_->option_count(invocation_, name.c_str());
    for (uint32_t i = 0; i < count; ++i) {
      values.emplace_back(invocation_->option_value(invocation_, name.c_str(), i));
    }
    return values;
  }

  /// Returns true when a flag was given (or a boolean option was given as true).
  bool flag(const std::string& name) const { return option(name).value_or("false") == "true"; }

  std::vector<std::string> arguments() const {
    std::vector<std::string> values;
    uint32_t count = invocation_->argument_count(invocation_);
    for (uint32_t i = 0; i < count; ++i) {
      values.emplace_back(invocation_->argument_value(invocation_, i));
    }
    return values;
  }

  const aai_invocation_t* raw() const { return invocation_; }

 private:
  const aai_invocation_t* invocation_;
};

/// An HTTP request with owned strings; see aai_http_request_t.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string body_file;
  uint32_t timeout_ms = 0;
  std::function<bool(const char* data, size_t size)> on_body;
  std::function<void(uint64_t sent, uint64_t total)> on_progress;
  /// AAI_HTTP_KEEP_UNAUTHORIZED: a 401 comes back as a response instead of an Error.
  bool keep_unauthorized = false;
  /// AAI_HTTP_STREAM_SUCCESS_ONLY: on_body gets only a 2xx body; others land in the response.
  bool stream_success_only = false;
  /// aai_http_request_t::max_retries: retries after 429, 5xx or a failed connection.
  uint32_t max_retries = 0;
  /// AAI_HTTP_RETRY_DROPPED: with max_retries, also resend after a connection dropped mid-request.
  /// Only for requests that are safe to repeat.
  bool retry_dropped = false;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// A WebSocket handshake with owned strings; see aai_websocket_request_t.
struct WebSocketRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  uint32_t connect_timeout_ms = 0;
  bool anonymous = false;
};

/// One thing WebSocket::receive found; see aai_websocket_event_t.
struct WebSocketEvent {
  enum class Kind { kTimeout, kText, kBinary, kClosed };
  Kind kind = Kind::kTimeout;
  std::string data;
  int close_code = 0;
  std::string close_reason;
};

/// An open WebSocket connection from Host::connect_websocket, released when destroyed.
/// Every call is main-thread only, like the service it wraps.
class WebSocket {
 public:
  WebSocket(const aai_host_t* host, const aai_websocket_service_t* service, aai_websocket_t* socket)
      : host_(host), service_(service), socket_(socket) {}
  ~WebSocket() {
    if (socket_ != nullptr) {
      service_->release(host_, socket_);
    }
  }
  WebSocket(WebSocket&& other) noexcept
      : host_(other.host_), service_(other.service_), socket_(other.socket_) {
    other.socket_ = nullptr;
  }
  WebSocket& operator=(WebSocket&&) = delete;
  WebSocket(const WebSocket&) = delete;
  WebSocket& operator=(const WebSocket&) = delete;

  /// Sends a text message; throws Error when the connection is closed or broken.
  void send_text(const std::string& text) const { send(false, text.data(), text.size()); }

  /// Sends a binary message; throws Error when the connection is closed or broken.
  void send_binary(const void* data, size_t size) const {
    send(true, static_cast<const char*>(data), size);
  }

  /// Waits up to `timeout_ms` for the next message or the close.
  WebSocketEvent receive(uint32_t timeout_ms) const {
    aai_websocket_event_t raw{};
    raw.struct_size = sizeof raw;
    WebSocketEvent event;
    if (service_->receive(host_, socket_, timeout_ms, &raw) != AAI_STATUS_OK) {
      throw last_error(*service_, host_);
    }
    switch (raw.kind) {
      case AAI_WEBSOCKET_TEXT:
        event.kind = WebSocketEvent::Kind::kText;
        break;
      case AAI_WEBSOCKET_BINARY:
        event.kind = WebSocketEvent::Kind::kBinary;
        break;
      case AAI_WEBSOCKET_CLOSED:
        event.kind = WebSocketEvent::Kind::kClosed;
        event.close_code = raw.close_code;
        event.close_reason = raw.close_reason != nullptr ? raw.close_reason : "";
        return event;
      default:
        return event;
    }
    event.data.assign(raw.data != nullptr ? raw.data : "", raw.size);
    return event;
  }

  /// Starts the closing handshake; receive then reports kClosed once the peer answers.
  void close(int code = 1000, const std::string& reason = "") const {
    service_->close(host_, socket_, code, reason.empty() ? nullptr : reason.c_str());
  }

  /// Builds an Error from the service's last failure.
  static Error last_error(const aai_websocket_service_t& service, const aai_host_t* host) {
    int32_t exit_code = AAI_EXIT_FAILURE;
    const char* type = nullptr;
    const char* message = nullptr;
    const char* suggestion = nullptr;
    service.last_error(host, &exit_code, &type, &message, &suggestion);
    return Error(exit_code, type != nullptr ? type : "api_error",
                 message != nullptr ? message : "The WebSocket connection failed.",
                 suggestion != nullptr ? suggestion : "");
  }

 private:
  void send(bool binary, const char* data, size_t size) const {
    if (service_->send(host_, socket_, binary, data, size) != AAI_STATUS_OK) {
      throw last_error(*service_, host_);
    }
  }

  const aai_host_t* host_;
  const aai_websocket_service_t* service_;
  aai_websocket_t* socket_;
};

/// The host as seen from C++. Cheap to copy: it holds the host pointer and looks services up on
/// first use.
class Host {
 public:
  explicit Host(const aai_host_t* host) : host_(host) {}

  const aai_host_t* raw() const { return host_; }

  void log(aai_log_severity_t severity, const std::string& message) const {
    if (auto* service = log_service()) {
      service->log(host_, severity, message.c_str());
    }
  }
  void debug(const std::string& message) const { log(AAI_LOG_DEBUG, message); }
  void info(const std::string& message) const { log(AAI_LOG_INFO, message); }

  int verbosity() const {
    auto* service = log_service();
    return service != nullptr ? service->verbosity(host_) : 0;
  }

  void add_secret(const std::string& secret) const {
    if (auto* service = log_service(); service != nullptr && !secret.empty()) {
      service->add_secret(host_, secret.c_str());
    }
  }

  /// Writes result data to stdout; throws StdoutClosed when stdout is a closed pipe.
  void write(const std::string& data) const {
    if (output().write(host_, data.data(), data.size()) != AAI_STATUS_OK) {
      throw StdoutClosed();
    }
  }

  void note(const std::string& text) const {
    output().message(host_, AAI_MESSAGE_NOTE, text.c_str());
  }
  void warn(const std::string& text) const {
    output().message(host_, AAI_MESSAGE_WARNING, text.c_str());
  }

  bool is_json() const { return output().is_json(host_); }
  bool is_quiet() const { return output().is_quiet(host_); }
  bool is_terminal(int fd) const { return output().is_terminal(host_, fd); }
  bool is_interrupted() const { return output().is_interrupted(host_); }

  /// Throws the interruption error (exit 130) when Ctrl-C or SIGTERM arrived.
  void check_interrupted() const {
    if (is_interrupted()) {
      throw Error(AAI_EXIT_INTERRUPTED, "interrupted", "Interrupted.");
    }
  }

  void progress(const std::string& label, uint64_t done, uint64_t total) const {
    if (auto* progress_service = service<aai_progress_service_t>(AAI_SERVICE_PROGRESS)) {
      progress_service->update(host_, label.c_str(), done, total);
    }
  }
  void clear_progress() const {
    if (auto* progress_service = service<aai_progress_service_t>(AAI_SERVICE_PROGRESS)) {
      progress_service->clear(host_);
    }
  }

  std::optional<std::string> config(const std::string& section, const std::string& key) const {
    const char* value = config_service().get(host_, section.c_str(), key.c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  }

  /// Sets a config value (nullopt removes it); throws when the file cannot be written.
  void set_config(const std::string& section, const std::string& key,
                  const std::optional<std::string>& value) const {
    const char* raw_value = value ? value->c_str() : nullptr;
    if (config_service().set(host_, section.c_str(), key.c_str(), raw_value) != AAI_STATUS_OK) {
      throw Error(AAI_EXIT_FAILURE, "config_error",
                  "Could not write the config file " + config_path() + ".",
                  "Check that its folder exists and is writable.");
    }
  }

  std::string profile() const { return config_service().profile(host_); }
  std::string config_path() const { return config_service().path(host_); }

  /// Returns the active environment's name; throws when no environment is registered.
  std::string environment() const {
    const char* name = environments().active(host_);
    if (name == nullptr) {
      throw Error(AAI_EXIT_FAILURE, "invalid_environment", "No environment is registered.",
                  "Install the env-registry plugin, or run `aai plugins list` to see what loaded.");
    }
    return name;
  }

  /// Returns a field of the active environment (or of `name`), or nullopt.
  std::optional<std::string> environment_field(const std::string& field,
                                               const std::string& name = {}) const {
    const char* value =
        environments().get(host_, name.empty() ? nullptr : name.c_str(), field.c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  }

  /// Returns a field of the active environment; throws invalid_environment when it is unset.
  std::string require_environment_field(const std::string& field) const {
    if (auto value = environment_field(field)) {
      return *value;
    }
    throw Error(AAI_EXIT_USAGE, "invalid_environment",
                "The environment '" + environment() + "' has no " + field + ".",
                "Pick another environment with --env; `aai env list` shows them.");
  }

  std::string environments_json() const { return environments().list_json(host_); }
  std::string environment_source() const { return environments().active_source(host_); }

  /// Makes `name` the active environment for the rest of the run; throws invalid_environment for
  /// an unknown name, and internal_error in a host older than ABI 1.1.
  void select_environment(const std::string& name) const {
    const aai_environment_service_t& service = environments();
    if (service.struct_size <= offsetof(aai_environment_service_t, select) ||
        service.select == nullptr) {
      throw Error(AAI_EXIT_FAILURE, "internal_error",
                  "This version of aai cannot switch environments for a command.",
                  "Update aai to a version that matches this plugin.");
    }
    if (service.select(host_, name.c_str()) != AAI_STATUS_OK) {
      throw Error(AAI_EXIT_USAGE, "invalid_environment", "Unknown environment '" + name + "'.",
                  "Run `aai env list` to see the environments.");
    }
  }

  /// Returns the secret stored under `service` and `account`, or nullopt when none is; throws
  /// keyring_error (exit 1) when the store cannot be read.
  std::optional<std::string> secret(const std::string& service_name,
                                    const std::string& account) const {
    const aai_secrets_service_t& store = secrets();
    char* value = nullptr;
    if (store.lookup(host_, service_name.c_str(), account.c_str(), &value) != AAI_STATUS_OK) {
      throw secrets_error(store);
    }
    if (value == nullptr) {
      return std::nullopt;
    }
    std::string copy = value;
    store.release(host_, value);
    return copy;
  }

  /// Stores a secret; throws keyring_error (exit 1) when it cannot be written.
  void store_secret(const std::string& service_name, const std::string& account,
                    const std::string& label, const std::string& value) const {
    const aai_secrets_service_t& store = secrets();
    if (store.store(host_, service_name.c_str(), account.c_str(), label.c_str(), value.c_str()) !=
        AAI_STATUS_OK) {
      throw secrets_error(store);
    }
  }

  /// Removes a secret; returns whether one was stored. Throws keyring_error (exit 1) on failure.
  bool remove_secret(const std::string& service_name, const std::string& account) const {
    const aai_secrets_service_t& store = secrets();
    bool removed = false;
    if (store.remove(host_, service_name.c_str(), account.c_str(), &removed) != AAI_STATUS_OK) {
      throw secrets_error(store);
    }
    return removed;
  }

  /// Says where secrets are kept: "the Secret Service keyring" or "the file PATH".
  std::string secret_store_description() const { return secrets().describe(host_); }

  /// Sends a request through the host. Returns any HTTP status; throws Error on a transport
  /// failure or when a hook stopped the request.
  HttpResponse send(const HttpRequest& request) const;

  /// Opens a WebSocket through the host; throws Error when the connection or handshake fails.
  WebSocket connect_websocket(const WebSocketRequest& request) const;

  template <typename Service>
  const Service* service(const char* id) const {
    return static_cast<const Service*>(host_->get_service(host_, id));
  }

 private:
  template <typename Service>
  const Service& require(const char* id) const {
    const Service* found = service<Service>(id);
    if (found == nullptr) {
      throw Error(AAI_EXIT_FAILURE, "internal_error",
                  std::string("The host does not offer the service ") + id + ".",
                  "Update aai to a version that matches this plugin.");
    }
    return *found;
  }

  const aai_log_service_t* log_service() const {
    return service<aai_log_service_t>(AAI_SERVICE_LOG);
  }
  const aai_output_service_t& output() const {
    return require<aai_output_service_t>(AAI_SERVICE_OUTPUT);
  }
  const aai_config_service_t& config_service() const {
    return require<aai_config_service_t>(AAI_SERVICE_CONFIG);
  }
  const aai_environment_service_t& environments() const {
    return require<aai_environment_service_t>(AAI_SERVICE_ENVIRONMENT);
  }
  const aai_secrets_service_t& secrets() const {
    return require<aai_secrets_service_t>(AAI_SERVICE_SECRETS);
  }
  Error secrets_error(const aai_secrets_service_t& store) const {
    const char* message = nullptr;
    const char* suggestion = nullptr;
    store.last_error(host_, &message, &suggestion);
    return Error(AAI_EXIT_FAILURE, "keyring_error",
                 message != nullptr && *message != '\0' ? message : "The secret store failed.",
                 suggestion != nullptr ? suggestion : "");
  }

  const aai_host_t* host_;
};

namespace detail {

inline aai_status_t forward_body(void* context, const char* data, size_t size) {
  auto* callback = static_cast<const std::function<bool(const char*, size_t)>*>(context);
  return (*callback)(data, size) ? AAI_STATUS_OK : AAI_STATUS_ERROR;
}

inline void forward_progress(void* context, uint64_t sent, uint64_t total) {
  (*static_cast<const std::function<void(uint64_t, uint64_t)>*>(context))(sent, total);
}

}  // namespace detail

inline HttpResponse Host::send(const HttpRequest& request) const {
  const auto& http = require<aai_http_service_t>(AAI_SERVICE_HTTP);

  std::vector<aai_field_t> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    headers.push_back({name.c_str(), value.c_str()});
  }

  aai_http_request_t raw{};
  raw.struct_size = sizeof raw;
  raw.method = request.method.c_str();
  raw.url = request.url.c_str();
  raw.headers = headers.data();
  raw.header_count = static_cast<uint32_t>(headers.size());
  raw.body = request.body.empty() ? nullptr : request.body.data();
  raw.body_size = request.body.size();
  raw.body_file = request.body_file.empty() ? nullptr : request.body_file.c_str();
  raw.timeout_ms = request.timeout_ms;
  if (request.on_body) {
    raw.on_body = &detail::forward_body;
    raw.on_body_context = const_cast<void*>(static_cast<const void*>(&request.on_body));
  }
  if (request.on_progress) {
    raw.on_progress = &detail::forward_progress;
    raw.on_progress_context = const_cast<void*>(static_cast<const void*>(&request.on_progress));
  }
  raw.flags = (request.keep_unauthorized ? AAI_HTTP_KEEP_UNAUTHORIZED : 0u) |
              (request.stream_success_only ? AAI_HTTP_STREAM_SUCCESS_ONLY : 0u) |
              (request.retry_dropped ? AAI_HTTP_RETRY_DROPPED : 0u);
  raw.max_retries = request.max_retries;

  aai_http_response_t* response = nullptr;
  if (http.send(host_, &raw, &response) != AAI_STATUS_OK) {
    int32_t exit_code = AAI_EXIT_FAILURE;
    const char* type = nullptr;
    const char* message = nullptr;
    const char* suggestion = nullptr;
    http.last_error(host_, &exit_code, &type, &message, &suggestion);
    throw Error(exit_code, type != nullptr ? type : "api_error",
                message != nullptr ? message : "The request failed.",
                suggestion != nullptr ? suggestion : "");
  }

  std::unique_ptr<aai_http_response_t, std::function<void(aai_http_response_t*)>> owned(
      response, [&](aai_http_response_t* r) { http.release(host_, r); });
  HttpResponse result;
  result.status = response->status;
  result.body.assign(response->body != nullptr ? response->body : "", response->body_size);
  for (const char* name : {"content-type", "retry-after", "location"}) {
    if (const char* value = http.header(response, name)) {
      result.headers.emplace_back(name, value);
    }
  }
  return result;
}

inline WebSocket Host::connect_websocket(const WebSocketRequest& request) const {
  const auto& websockets = require<aai_websocket_service_t>(AAI_SERVICE_WEBSOCKET);
  std::vector<aai_field_t> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    headers.push_back({name.c_str(), value.c_str()});
  }
  aai_websocket_request_t raw{};
  raw.struct_size = sizeof raw;
  raw.url = request.url.c_str();
  raw.headers = headers.data();
  raw.header_count = static_cast<uint32_t>(headers.size());
  raw.connect_timeout_ms = request.connect_timeout_ms;
  raw.anonymous = request.anonymous;
  aai_websocket_t* socket = nullptr;
  if (websockets.connect(host_, &raw, &socket) != AAI_STATUS_OK || socket == nullptr) {
    throw WebSocket::last_error(websockets, host_);
  }
  return WebSocket(host_, &websockets, socket);
}

/// A pre-request hook's view of the outgoing request.
class RequestEditor {
 public:
  explicit RequestEditor(const aai_request_editor_t* editor) : editor_(editor) {}

  std::string method() const { return editor_->method; }
  std::string url() const { return editor_->url; }
  bool is_environment_host() const { return editor_->is_environment_host; }

  /// The active environment's field whose URL this request falls under ("api_base",
  /// "llm_gateway_base", ...), or nullopt when none does or the host predates ABI 1.1.
  std::optional<std::string> environment_field() const {
    if (editor_->struct_size <= offsetof(aai_request_editor_t, environment_field) ||
        editor_->environment_field == nullptr) {
      return std::nullopt;
    }
    return std::string(editor_->environment_field);
  }

  void set_header(const std::string& name, const std::string& value) const {
    editor_->set_header(editor_, name.c_str(), value.c_str());
  }

  /// Sets a header carrying a secret; returns false when the host refused because the URL is not
  /// a host of the active environment.
  bool set_credential_header(const std::string& name, const std::string& value) const {
    return editor_->set_credential_header(editor_, name.c_str(), value.c_str()) == AAI_STATUS_OK;
  }

 private:
  const aai_request_editor_t* editor_;
};

/// The value of the Authorization header that carries an AssemblyAI API key to the endpoint an
/// environment field names: the bare key for "api_base" and "streaming_base", "Bearer KEY" for
/// "llm_gateway_base". Returns nullopt for every other field (the account service, the login
/// provider), which must never receive the key.
inline std::optional<std::string> api_key_authorization(const std::optional<std::string>& field,
                                                        const std::string& key) {
  if (field == "api_base" || field == "streaming_base") {
    return key;
  }
  if (field == "llm_gateway_base") {
    return "Bearer " + key;
  }
  return std::nullopt;
}

using RunFunction = std::function<int(const Host&, const Invocation&)>;
using PreRequestFunction = std::function<void(const Host&, const RequestEditor&)>;

/// A command with owned strings and a C++ run function.
struct Command {
  std::string name;
  std::string summary;
  std::string description;
  std::vector<Option> options;
  std::vector<Argument> arguments;
  RunFunction run;
};

namespace detail {

/// Plugin-wide storage. Plugins are built with hidden visibility, so each plugin has its own.
struct PluginState {
  std::deque<Command> commands;
  std::deque<PreRequestFunction> hooks;
};

inline PluginState& plugin_state() {
  static PluginState state;
  return state;
}

inline int32_t run_command(void* context, const aai_host_t* host,
                           const aai_invocation_t* invocation) {
  auto* command = static_cast<Command*>(context);
  try {
    return command->run(Host(host), Invocation(invocation));
  } catch (const StdoutClosed&) {
    return AAI_EXIT_OK;
  } catch (const Error& error) {
    invocation->fail(invocation, error.exit_code(), error.type().c_str(), error.what(),
                     error.suggestion().empty() ? nullptr : error.suggestion().c_str(),
                     error.details_json().empty() ? nullptr : error.details_json().c_str());
    return error.exit_code();
  } catch (const std::exception& error) {
    invocation->fail(invocation, AAI_EXIT_FAILURE, "internal_error", error.what(), nullptr,
                     nullptr);
    return AAI_EXIT_FAILURE;
  } catch (...) {
    invocation->fail(invocation, AAI_EXIT_FAILURE, "internal_error",
                     "The command failed with an unknown exception.", nullptr, nullptr);
    return AAI_EXIT_FAILURE;
  }
}

inline aai_status_t run_hook(void* context, const aai_host_t* host,
                             const aai_request_editor_t* editor) {
  auto* hook = static_cast<PreRequestFunction*>(context);
  try {
    (*hook)(Host(host), RequestEditor(editor));
    return AAI_STATUS_OK;
  } catch (const Error& error) {
    editor->fail(editor, error.exit_code(), error.type().c_str(), error.what(),
                 error.suggestion().empty() ? nullptr : error.suggestion().c_str());
  } catch (const std::exception& error) {
    editor->fail(editor, AAI_EXIT_FAILURE, "internal_error", error.what(), nullptr);
  } catch (...) {
    editor->fail(editor, AAI_EXIT_FAILURE, "internal_error",
                 "A pre-request hook failed with an unknown exception.", nullptr);
  }
  return AAI_STATUS_ERROR;
}

}  // namespace detail

/// An environment with owned strings and the source it came from; see aai_environment_spec_t.
struct EnvironmentSpec {
  std::string name;
  std::string summary;
  std::vector<std::pair<std::string, std::string>> fields;
  /// The source that defined it ("/etc/aai/environments.d/acme.ini"). Empty reads as
  /// "plugin NAME".
  std::string origin;
  /// Whether another plugin's environment of the same name takes precedence over this one.
  bool replaceable = false;
};

/// What a plugin's register function receives.
class Registrar {
 public:
  Registrar(const aai_host_t* host, const aai_registrar_t* registrar)
      : host_(host), registrar_(registrar) {}

  Host host() const { return host_; }

  /// Adds a command; throws std::invalid_argument when the host rejects the spec.
  void add(Command command) const {
    auto& stored = detail::plugin_state().commands.emplace_back(std::move(command));

    std::vector<aai_option_spec_t> options;
    for (const auto& option : stored.options) {
      aai_option_spec_t spec{};
      spec.struct_size = sizeof spec;
      spec.name = option.name.c_str();
      spec.short_name = option.short_name;
      spec.type = option.type;
      spec.default_value = option.default_value ? option.default_value->c_str() : nullptr;
      spec.value_name = option.value_name.empty() ? nullptr : option.value_name.c_str();
      spec.choices = option.choices.empty() ? nullptr : option.choices.c_str();
      spec.repeatable = option.repeatable;
      spec.help = option.help.c_str();
      options.push_back(spec);
    }
    std::vector<aai_argument_spec_t> arguments;
    for (const auto& argument : stored.arguments) {
      arguments.push_back({sizeof(aai_argument_spec_t), argument.name.c_str(),
                           argument.help.c_str(), argument.required, argument.variadic});
    }

    aai_command_spec_t spec{};
    spec.struct_size = sizeof spec;
    spec.name = stored.name.c_str();
    spec.summary = stored.summary.c_str();
    spec.description = stored.description.empty() ? nullptr : stored.description.c_str();
    spec.options = options.data();
    spec.option_count = static_cast<uint32_t>(options.size());
    spec.arguments = arguments.data();
    spec.argument_count = static_cast<uint32_t>(arguments.size());
    spec.context = &stored;
    spec.run = &detail::run_command;
    check(registrar_->add_command(registrar_, &spec), "command " + stored.name);
  }

  void add_environment(const std::string& name, const std::string& summary,
                       const std::vector<std::pair<std::string, std::string>>& fields) const {
    std::vector<aai_field_t> raw;
    for (const auto& [key, value] : fields) {
      raw.push_back({key.c_str(), value.c_str()});
    }
    check(registrar_->add_environment(registrar_, name.c_str(), summary.c_str(), raw.data(),
                                      static_cast<uint32_t>(raw.size())),
          "environment " + name);
  }

  /// Adds an environment with its origin; throws std::invalid_argument when the host rejects it.
  /// A host older than ABI 1.4 has no add_environment_spec, so there the environment is added
  /// with add_environment instead: without its origin, and not replaceable.
  void add_environment(const EnvironmentSpec& spec) const {
    if (registrar_->struct_size < offsetof(aai_registrar_t, add_environment_spec) +
                                      sizeof registrar_->add_environment_spec ||
        registrar_->add_environment_spec == nullptr) {
      add_environment(spec.name, spec.summary, spec.fields);
      return;
    }
    std::vector<aai_field_t> raw_fields;
    for (const auto& [key, value] : spec.fields) {
      raw_fields.push_back({key.c_str(), value.c_str()});
    }
    aai_environment_spec_t raw{};
    raw.struct_size = sizeof raw;
    raw.name = spec.name.c_str();
    raw.summary = spec.summary.c_str();
    raw.fields = raw_fields.data();
    raw.field_count = static_cast<uint32_t>(raw_fields.size());
    raw.origin = spec.origin.empty() ? nullptr : spec.origin.c_str();
    raw.replaceable = spec.replaceable;
    check(registrar_->add_environment_spec(registrar_, &raw), "environment " + spec.name);
  }

  void add_pre_request_hook(PreRequestFunction hook) const {
    auto& stored = detail::plugin_state().hooks.emplace_back(std::move(hook));
    check(registrar_->add_pre_request_hook(registrar_, &stored, &detail::run_hook),
          "pre-request hook");
  }

  void add_provider(const std::string& role, const std::string& name, const std::string& summary,
                    PreRequestFunction pre_request) const {
    auto& stored = detail::plugin_state().hooks.emplace_back(std::move(pre_request));
    aai_provider_spec_t spec{};
    spec.struct_size = sizeof spec;
    spec.role = role.c_str();
    spec.name = name.c_str();
    spec.summary = summary.c_str();
    spec.context = &stored;
    spec.pre_request = &detail::run_hook;
    check(registrar_->add_provider(registrar_, &spec), "provider " + name);
  }

 private:
  static void check(aai_status_t status, const std::string& what) {
    if (status != AAI_STATUS_OK) {
      throw std::invalid_argument("the host rejected " + what);
    }
  }

  Host host_;
  const aai_registrar_t* registrar_;
};

namespace detail {

template <void (*Register)(Registrar&)>
aai_status_t register_plugin(const aai_host_t* host, const aai_registrar_t* registrar) {
  try {
    Registrar wrapped(host, registrar);
    Register(wrapped);
    return AAI_STATUS_OK;
  } catch (const std::exception& error) {
    Host(host).log(AAI_LOG_ERROR, std::string("registration failed: ") + error.what());
  } catch (...) {
    Host(host).log(AAI_LOG_ERROR, "registration failed with an unknown exception");
  }
  return AAI_STATUS_ERROR;
}

}  // namespace detail

}  // namespace aai

/// Defines a plugin's descriptor and entry point around a `void REGISTER(aai::Registrar&)`.
///
///     static void register_hello(aai::Registrar& registrar) {
///       registrar.add({"hello", "Print a greeting", "", {}, {},
///                      [](const aai::Host& host, const aai::Invocation&) {
///                        host.write("hello\n");
///                        return 0;
///                      }});
///     }
///     AAI_DEFINE_PLUGIN("hello", "1.0.0", "Says hello", register_hello)
#define AAI_DEFINE_PLUGIN(NAME, VERSION, SUMMARY, REGISTER)                            \
  extern "C" AAI_PLUGIN_EXPORT const aai_plugin_descriptor_t* aai_plugin_entry(void) { \
    static const aai_plugin_descriptor_t descriptor = {                                \
        sizeof(aai_plugin_descriptor_t),                                               \
        {AAI_ABI_VERSION_MAJOR, AAI_ABI_VERSION_MINOR, AAI_ABI_VERSION_PATCH},         \
        NAME,                                                                          \
        VERSION,                                                                       \
        SUMMARY,                                                                       \
        &aai::detail::register_plugin<REGISTER>};                                      \
    return &descriptor;                                                                \
  }
