#include "host/net/beast_websocket_transport.hpp"

#include "host/net/beast_websocket_connection.hpp"
#include "host/url_origin.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

#include <openssl/ssl.h>

namespace aai::host {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::system::error_code;

constexpr std::chrono::milliseconds kPollInterval{50};

// The parts of a ws or wss URL that connecting needs.
struct WebSocketTarget {
  bool secure = false;
  std::string host;         // without IPv6 brackets, for resolving, SNI and verification
  std::string host_header;  // host[:port] as the Host header carries it
  std::string port;
  std::string path;  // path and query, at least "/"
};

WebSocketTarget parse_target(const std::string& url) {
  auto origin = parse_origin(url);
  if (!origin || (origin->scheme != "ws" && origin->scheme != "wss")) {
    throw TransportError(TransportError::Kind::kInvalidUrl, "expected an absolute ws or wss URL");
  }
  WebSocketTarget target;
  target.secure = origin->scheme == "wss";
  target.host = origin->host;
  if (target.host.size() > 2 && target.host.front() == '[') {
    target.host = target.host.substr(1, target.host.size() - 2);
  }
  target.port = std::to_string(origin->port);
  bool default_port = origin->port == (target.secure ? 443 : 80);
  target.host_header = default_port ? origin->host : origin->host + ":" + target.port;

  size_t authority_start = url.find("://") + 3;
  size_t path_start = url.find_first_of("/?#", authority_start);
  std::string rest = path_start == std::string::npos ? "" : url.substr(path_start);
  rest = rest.substr(0, rest.find('#'));
  target.path = rest.empty() || rest.front() != '/' ? "/" + rest : rest;
  return target;
}

std::string describe_duration(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0) {
    return std::to_string(duration.count() / 1000) + " seconds";
  }
  return std::to_string(duration.count()) + " ms";
}

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The step of the opening handshake that failed, with its error.
struct HandshakeProgress {
  enum class Step { kResolve, kConnect, kTls, kUpgrade };
  bool done = false;
  Step step = Step::kResolve;
  error_code error;

  void finish(Step failed_step, error_code failure) {
    step = failed_step;
    error = failure;
    done = true;
  }
};

TransportError handshake_error(const HandshakeProgress& progress) {
  using Step = HandshakeProgress::Step;
  const error_code& error = progress.error;
  switch (progress.step) {
    case Step::kResolve:
      return TransportError(TransportError::Kind::kConnectionFailed,
                            "the host name could not be resolved (" + error.message() + ")");
    case Step::kConnect:
      if (error == asio::error::connection_refused) {
        return TransportError(TransportError::Kind::kConnectionFailed,
                              "the connection was refused");
      }
      return TransportError(TransportError::Kind::kConnectionFailed,
                            "the connection failed (" + error.message() + ")");
    case Step::kTls:
      return TransportError(TransportError::Kind::kConnectionFailed,
                            "the TLS handshake failed (" + error.message() + ")");
    case Step::kUpgrade:
      break;
  }
  return TransportError(
      TransportError::Kind::kConnectionFailed,
      "the WebSocket handshake failed (" + describe_dropped_connection(error) + ")");
}

// Runs `io_context` on this thread until the handshake is done, the deadline passes or the
// request is cancelled. On the last two, `abort` closes the socket and TransportError is thrown.
void run_handshake(asio::io_context& io_context, const HandshakeProgress& progress,
                   const WebSocketConnectRequest& request, const std::function<void()>& abort) {
  auto deadline = std::chrono::steady_clock::now() + request.connect_timeout;
  while (!progress.done) {
    if (request.is_cancelled && request.is_cancelled()) {
      abort();
      throw TransportError(TransportError::Kind::kCancelled,
                           "the connection attempt was cancelled");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      abort();
      throw TransportError(TransportError::Kind::kTimedOut,
                           "timed out after " + describe_duration(request.connect_timeout));
    }
    io_context.run_for(kPollInterval);
    if (io_context.stopped()) {
      io_context.restart();
    }
  }
}

template <typename Stream>
void start_upgrade(websocket::stream<Stream>& stream, const WebSocketTarget& target,
                   websocket::response_type& response, HandshakeProgress& progress) {
  stream.async_handshake(response, target.host_header, target.path, [&progress](error_code error) {
    progress.finish(HandshakeProgress::Step::kUpgrade, error);
  });
}

// Starts TLS (for wss) and then the upgrade, once TCP is connected.
template <typename Stream>
void start_after_connect(websocket::stream<Stream>& stream, const WebSocketTarget& target,
                         websocket::response_type& response, HandshakeProgress& progress) {
  error_code ignored;
  beast::get_lowest_layer(stream).socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  if constexpr (std::is_same_v<Stream, SecureWebSocketStream>) {
    auto& tls = stream.next_layer();
    tls.set_verify_mode(asio::ssl::verify_peer);
    tls.set_verify_callback(asio::ssl::host_name_verification(target.host));
    SSL_set_tlsext_host_name(tls.native_handle(), target.host.c_str());
    tls.async_handshake(asio::ssl::stream_base::client, [&, target](error_code error) {
      if (error) {
        return progress.finish(HandshakeProgress::Step::kTls, error);
      }
      start_upgrade(stream, target, response, progress);
    });
  } else {
    start_upgrade(stream, target, response, progress);
  }
}

template <typename Stream>
WebSocketHandshake open_connection(const WebSocketConnectRequest& request,
                                   const WebSocketTarget& target,
                                   std::shared_ptr<asio::ssl::context> tls) {
  auto connection = std::make_unique<BeastWebSocketConnection<Stream>>(std::move(tls));
  auto& stream = connection->stream();
  stream.set_option(websocket::stream_base::decorator(
      [headers = request.headers](websocket::request_type& upgrade) {
        for (const auto& [name, value] : headers) {
          upgrade.set(name, value);
        }
      }));

  asio::ip::tcp::resolver resolver(connection->io_context());
  websocket::response_type response;
  HandshakeProgress progress;
  resolver.async_resolve(
      target.host, target.port,
      [&](error_code error, const asio::ip::tcp::resolver::results_type& endpoints) {
        if (error) {
          return progress.finish(HandshakeProgress::Step::kResolve, error);
        }
        beast::get_lowest_layer(stream).async_connect(
            endpoints, [&](error_code connect_error, const asio::ip::tcp::endpoint&) {
              if (connect_error) {
                return progress.finish(HandshakeProgress::Step::kConnect, connect_error);
              }
              start_after_connect(stream, target, response, progress);
            });
      });
  // Cancelling cannot stop a name lookup already running: Asio runs getaddrinfo on a thread of
  // its own and joins it when the io_context is destroyed, so a hanging DNS server delays
  // Ctrl-C and the timeout until getaddrinfo returns.
  run_handshake(connection->io_context(), progress, request, [&] {
    resolver.cancel();
    beast::get_lowest_layer(stream).close();
  });

  WebSocketHandshake handshake;
  if (progress.error && progress.error != websocket::error::upgrade_declined) {
    throw handshake_error(progress);
  }
  handshake.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    handshake.headers.emplace_back(to_lower(std::string(field.name_string())),
                                   std::string(field.value()));
  }
  if (progress.error) {
    handshake.body = response.body();
    return handshake;
  }
  connection->start();
  handshake.connection = std::move(connection);
  return handshake;
}

}  // namespace

WebSocketHandshake BeastWebSocketTransport::connect(const WebSocketConnectRequest& request) {
  WebSocketTarget target = parse_target(request.url);
  if (!target.secure) {
    return open_connection<PlainWebSocketStream>(request, target, nullptr);
  }
  auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  error_code error;
  tls->set_default_verify_paths(error);
  if (error) {
    throw TransportError(
        TransportError::Kind::kConnectionFailed,
        "the system's CA certificates could not be loaded (" + error.message() + ")");
  }
  return open_connection<SecureWebSocketStream>(request, target, std::move(tls));
}

}  // namespace aai::host
