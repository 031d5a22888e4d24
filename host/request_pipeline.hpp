// The HTTP request pipeline every plugin request goes through: URL check, pre-request hooks,
// the credential provider, the credential rule, -vv logging, the transport and error mapping.
#pragma once

#include "cli_error.hpp"
#include "environment_registry.hpp"
#include "log_sink.hpp"
#include "net/http_transport.hpp"
#include "request_hooks.hpp"

#include <functional>
#include <memory>
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

using TransportFactory = std::function<std::unique_ptr<HttpTransport>()>;

class RequestPipeline {
 public:
  /// `hooks` is read at every send, so hooks registered later still run. `make_transport` is
  /// called on the first send only.
  RequestPipeline(RequestContext& context, const std::vector<RequestHook>& hooks, LogSink& log,
                  TransportFactory make_transport);

  /// Sends the request and returns the response, whatever its HTTP status. Throws CliError: a
  /// hook's or provider's failure as given, exit 1 `invalid_url` for a URL that is not absolute
  /// http(s), exit 1 `api_error` for a transport failure, exit 130 `interrupted` when cancelled,
  /// and exit 4 `not_authenticated` for HTTP 401 on a request that carried a credential.
  TransportResponse send(TransportRequest request);

 private:
  bool is_environment_host(const std::string& url);
  void run_hook(const aai_host_t* host, const std::string& plugin_name, void* hook_context,
                aai_pre_request_fn hook, struct EditorState& state);
  void log_request(const TransportRequest& request);
  HttpTransport& transport();

  RequestContext& context_;
  const std::vector<RequestHook>& hooks_;
  LogSink& log_;
  TransportFactory make_transport_;
  std::unique_ptr<HttpTransport> transport_;
};

/// Maps a transport failure to the error the user sees.
CliError map_transport_error(const TransportError& error, const std::string& url);

}  // namespace aai::host
