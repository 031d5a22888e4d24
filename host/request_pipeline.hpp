// The request pipeline every plugin request goes through: URL check, pre-request hooks, the
// credential provider, the credential rule, -vv logging, the transport and error mapping. HTTP
// requests go all the way through send(); WebSocket handshakes share the hooks, the logging and
// the transports kept here (see websocket_service.cpp).
#pragma once

#include "cli_error.hpp"
#include "environment_registry.hpp"
#include "log_sink.hpp"
#include "net/http_transport.hpp"
#include "net/network_settings.hpp"
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

  /// Returns the network settings, read once. Throws CliError exit 2 `invalid_config` for an
  /// invalid value. The default returns the built-in defaults with no proxy.
  virtual const NetworkSettings& network_settings();
};

/// How RequestPipeline::send treats the answer; see aai_http_request_t::flags and max_retries.
struct SendOptions {
  /// Return HTTP 401 like any other status, even when the request carried a credential.
  bool keep_unauthorized = false;
  /// Pass only a 2xx body to on_body; keep any other in the response.
  bool stream_success_only = false;
  /// Sends after HTTP 429/500/502/503/504 or a failed connection, beyond the first. 0 means
  /// the `retries` setting for GET, HEAD, PUT, DELETE and OPTIONS, and none for other methods.
  unsigned max_retries = 0;
  /// Within max_retries, also sends again after a connection that dropped or timed out once the
  /// request was on its way (AAI_HTTP_RETRY_DROPPED). Always on for GET, HEAD, PUT, DELETE and
  /// OPTIONS.
  bool retry_dropped = false;
};

/// The maximum number of redirects RequestPipeline::send follows for one request.
inline constexpr unsigned kMaxRedirects = 5;

/// Whether a request with this method may be sent twice with the same effect (RFC 9110
/// idempotent methods except TRACE): GET, HEAD, PUT, DELETE and OPTIONS.
bool is_idempotent_method(const std::string& method);

/// Resolves a Location header value against the URL of the request that received it.
std::string resolve_redirect_location(const std::string& url, const std::string& location);

/// The wait before retry number `retry` (0 for the first), given the response's Retry-After.
using RetryDelayFunction = std::function<std::chrono::milliseconds(
    unsigned retry, const std::optional<std::chrono::milliseconds>& retry_after)>;

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
  /// http(s), exit 1 `api_error` for a transport failure or too many redirects, exit 130
  /// `interrupted` when cancelled, exit 2 `invalid_config` for invalid network settings, and
  /// exit 4 `not_authenticated` for HTTP 401 on a request that carried a credential (unless
  /// options.keep_unauthorized). Retries as options allow, and follows up to kMaxRedirects
  /// redirects (301, 302, 303, 307, 308). A redirect to another origin sends the plugin's own
  /// headers without Authorization, Proxy-Authorization and Cookie, and runs the hooks again for
  /// the new URL, so a credential reaches only the active environment's hosts.
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

  /// Replaces the wait before each retry; tests use it to avoid real backoff.
  void set_retry_delay(RetryDelayFunction delay) { retry_delay_ = std::move(delay); }

  /// Puts the network settings into a request for `url`: the connect timeout, the read timeout
  /// unless the request has one, the proxy chosen for the URL and the CA files.
  void apply_network_settings(TransportRequest& request);

  /// The last failed WebSocket connect or send, for aai_websocket_service_t::last_error.
  std::optional<CliError>& last_websocket_error() { return last_websocket_error_; }

 private:
  bool is_environment_host(const std::string& url);
  TransportResponse send_once(const TransportRequest& request);
  void wait_before_retry(const TransportRequest& request, const std::string& why,
                         std::chrono::milliseconds delay, unsigned retry, unsigned max_retries);
  bool follow_redirect(TransportRequest& request, const HeaderList& plugin_headers, int status,
                       const std::string& location, bool carries_credential);
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
  RetryDelayFunction retry_delay_;
};

/// The error for HTTP 401 on a request that carried a credential: exit 4 `not_authenticated`.
CliError rejected_key_error();

/// Returns `url` with the values of query parameters that carry secrets ("token", "key",
/// "*_token", "*_key") replaced by "[redacted]", for logs and messages.
std::string redact_url(const std::string& url);

/// Maps a transport failure to the error shown to the user. `proxy` is the proxy the request went
/// through, named in the suggestion when the connection failed.
CliError map_transport_error(const TransportError& error, const std::string& url,
                             const std::optional<ProxyServer>& proxy = std::nullopt);

}  // namespace aai::host
