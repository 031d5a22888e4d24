// The request pipeline every plugin request goes through: URL check, pre-request hooks, the
// credential provider, the credential rule, -vv logging, the transport and error mapping. HTTP
// requests go all the way through send(); WebSocket handshakes share the hooks, the logging and
// the transports kept here (see websocket_service.cpp).
#pragma once

#include "cli_error.hpp"
#include "environment_registry.hpp"
#include "log_sink.hpp"
#include "net/http_transport.hpp"
#include "net/websocket_transport.hpp"
#include "request_hooks.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace aai::host {

/// What the pipeline needs from the rest of the host; the application implements it and tests
/// fake it.
class RequestContext {
 public:
  virtual ~RequestContext() = default;

  /// Returns the active environment, or nullptr when no plugin registers one. Throws CliError
  /// for an unknown environment name.
  virtual const Environment* active_environment() = 0;

  /// Returns the selected credential provider, or nullptr when none is installed. Throws CliError
  /// when the choice is ambiguous.
  virtual const Provider* credential_provider() = 0;

  virtual bool is_interrupted() = 0;
};

/// How RequestPipeline::send treats the answer; see aai_http_request_t::flags and max_retries.
struct SendOptions {
  /// Return HTTP 401 like any other status, even when the request carried a credential.
  bool keep_unauthorized = false;
  /// Pass only a 2xx body to on_body; keep any other in the response.
  bool stream_success_only = false;
  /// Sends after HTTP 429/500/502/503/504 or a failed connection, beyond the first.
  unsigned max_retries = 0;
  /// Within max_retries, also sends again after a connection that dropped or timed out once the
  /// request was on its way (AAI_HTTP_RETRY_DROPPED).
  bool retry_dropped = false;
};

using TransportFactory = std::function<std::unique_ptr<HttpTransport>()>;
using WebSocketTransportFactory = std::function<std::unique_ptr<WebSocketTransport>()>;

/// Returns a factory that loads the WebSocket transport from libaai-net.so next to the
/// executable (lib/aai/), on its first call only.
WebSocketTransportFactory default_websocket_transport_factory();

class RequestPipeline {
 public:
  /// `hooks` is read at every send, so hooks registered later still run. `make_transport` is
  /// called on the first send only.
  RequestPipeline(
      RequestContext& context, const std::vector<RequestHook>& hooks, LogSink& log,
      TransportFactory make_transport,
      WebSocketTransportFactory make_websocket_transport = default_websocket_transport_factory());

  /// Sends the request and returns the response, whatever its HTTP status. Safe to call from
  /// several threads at once: hooks and the credential provider run for one request at a time,
  /// the transfers in parallel. Throws CliError: a
  /// hook's or provider's failure as given, exit 1 `invalid_url` for a URL that is not absolute
  /// http(s), exit 1 `api_error` for a transport failure, exit 130 `interrupted` when cancelled,
  /// and exit 4 `not_authenticated` for HTTP 401 on a request that carried a credential (unless
  /// options.keep_unauthorized). Retries as options.max_retries allows.
  TransportResponse send(TransportRequest request, const SendOptions& options = {});

  /// Runs the pre-request hooks on `request`, then the credential provider unless `anonymous`.
  /// Returns whether a credential header was attached. Throws CliError for a hook's failure.
  /// Holds a lock meanwhile, because hooks and providers were written for one thread.
  bool apply_hooks(TransportRequest& request, bool anonymous);

  /// Writes the -vv lines of an outgoing request: `> METHOD URL`, then one `> Name: value` line
  /// per header. Sensitive headers and token query parameters show as "[redacted]".
  void log_request(const TransportRequest& request);

  RequestContext& context() { return context_; }
  LogSink& log() { return log_; }

  /// Returns the WebSocket transport, made on first use. Throws CliError exit 1
  /// `internal_error` when the network library cannot be loaded.
  WebSocketTransport& websocket_transport();

  /// Replaces how the WebSocket transport is made; tests inject a fake.
  void set_websocket_transport_factory(WebSocketTransportFactory factory);

  /// The last failed WebSocket connect or send, for aai_websocket_service_t::last_error.
  std::optional<CliError>& last_websocket_error() { return last_websocket_error_; }

 private:
  bool is_environment_host(const std::string& url);
  TransportResponse send_once(const TransportRequest& request);
  void wait_before_retry(const TransportRequest& request, const std::string& why,
                         std::chrono::milliseconds delay, unsigned retry, unsigned max_retries);
  void run_hook(const aai_host_t* host, const std::string& plugin_name, void* hook_context,
                aai_pre_request_fn hook, struct EditorState& state);
  HttpTransport& transport();

  RequestContext& context_;
  const std::vector<RequestHook>& hooks_;
  LogSink& log_;
  TransportFactory make_transport_;
  std::mutex hooks_mutex_;
  std::mutex transport_mutex_;
  std::unique_ptr<HttpTransport> transport_;
  WebSocketTransportFactory make_websocket_transport_;
  std::unique_ptr<WebSocketTransport> websocket_transport_;
  std::optional<CliError> last_websocket_error_;
};

/// The error for HTTP 401 on a request that carried a credential: exit 4 `not_authenticated`.
CliError rejected_key_error();

/// Returns `url` with the values of query parameters that carry secrets ("token", "key",
/// "*_token", "*_key") replaced by "[redacted]", for logs and messages.
std::string redact_url(const std::string& url);

/// Maps a transport failure to the error the user sees.
CliError map_transport_error(const TransportError& error, const std::string& url);

}  // namespace aai::host
