#include "host/net/beast_websocket_transport.hpp"

#include "host/net/beast_websocket_connection.hpp"
#include "host/url_origin.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

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
  enum class Step { kResolve, kConnect, kProxy, kTls, kUpgrade };
  bool done = false;
  Step step = Step::kResolve;
  error_code error;
  /// The proxy's status when it rejected the CONNECT request, else 0.
  unsigned proxy_status = 0;

  void finish(Step failed_step, error_code failure) {
    step = failed_step;
    error = failure;
    done = true;
  }
};

TransportError handshake_error(const HandshakeProgress& progress,
                               const WebSocketConnectRequest& request) {
  using Step = HandshakeProgress::Step;
  const error_code& error = progress.error;
  const std::string through =
      request.proxy ? " (through the proxy " + request.proxy->url() + ")" : "";
  switch (progress.step) {
    case Step::kResolve:
      return TransportError(
          TransportError::Kind::kConnectionFailed,
          "the host name could not be resolved (" + error.message() + ")" + through);
    case Step::kConnect:
      if (error == asio::error::connection_refused) {
        return TransportError(TransportError::Kind::kConnectionFailed,
                              "the connection was refused" + through);
      }
      return TransportError(TransportError::Kind::kConnectionFailed,
                            "the connection failed (" + error.message() + ")" + through);
    case Step::kProxy:
      if (progress.proxy_status != 0) {
        return TransportError(TransportError::Kind::kConnectionFailed,
                              "the proxy " + request.proxy->url() + " rejected the tunnel (HTTP " +
                                  std::to_string(progress.proxy_status) + ")");
      }
      return TransportError(TransportError::Kind::kConnectionFailed,
                            "the tunnel through the proxy " + request.proxy->url() + " failed (" +
                                describe_dropped_connection(error) + ")");
    case Step::kTls:
      return TransportError(TransportError::Kind::kTlsFailed,
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
      throw TransportError(TransportError::Kind::kConnectTimedOut,
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

std::string base64(const std::string& text) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  for (size_t i = 0; i < text.size(); i += 3) {
    uint32_t group = static_cast<uint8_t>(text[i]) << 16;
    if (i + 1 < text.size()) {
      group |= static_cast<uint8_t>(text[i + 1]) << 8;
    }
    if (i + 2 < text.size()) {
      group |= static_cast<uint8_t>(text[i + 2]);
    }
    encoded += kAlphabet[(group >> 18) & 63];
    encoded += kAlphabet[(group >> 12) & 63];
    encoded += i + 1 < text.size() ? kAlphabet[(group >> 6) & 63] : '=';
    encoded += i + 2 < text.size() ? kAlphabet[group & 63] : '=';
  }
  return encoded;
}

// The state of a CONNECT exchange with a proxy, kept alive by the callbacks that use it.
struct ProxyTunnel {
  std::string request;
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::empty_body> parser;
};

// Asks the proxy, already connected on `socket`, for a tunnel to the target, then calls `next`.
template <typename Socket>
void start_tunnel(Socket& socket, const WebSocketTarget& target, const ProxyServer& proxy,
                  HandshakeProgress& progress, std::function<void()> next) {
  auto tunnel = std::make_shared<ProxyTunnel>();
  const std::string authority =
      (target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host) + ":" +
      target.port;
  tunnel->request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
  if (!proxy.username.empty()) {
    tunnel->request +=
        "Proxy-Authorization: Basic " + base64(proxy.username + ":" + proxy.password) + "\r\n";
  }
  tunnel->request += "\r\n";
  // A response to CONNECT has no body, whatever its headers state.
  tunnel->parser.skip(true);
  asio::async_write(socket, asio::buffer(tunnel->request),
                    [&socket, &progress, tunnel, next](error_code error, size_t) {
                      if (error) {
                        return progress.finish(HandshakeProgress::Step::kProxy, error);
                      }
                      beast::http::async_read_header(
                          socket, tunnel->buffer, tunnel->parser,
                          [&progress, tunnel, next](error_code read_error, size_t) {
                            if (read_error) {
                              return progress.finish(HandshakeProgress::Step::kProxy, read_error);
                            }
                            const unsigned status = tunnel->parser.get().result_int();
                            if (status / 100 != 2) {
                              progress.proxy_status = status;
                              return progress.finish(HandshakeProgress::Step::kProxy,
                                                     asio::error::connection_refused);
                            }
                            next();
                          });
                    });
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
  std::string connect_host = target.host;
  std::string connect_port = target.port;
  if (request.proxy) {
    connect_host = request.proxy->host;
    if (connect_host.size() > 2 && connect_host.front() == '[') {
      connect_host = connect_host.substr(1, connect_host.size() - 2);
    }
    connect_port = std::to_string(request.proxy->port);
  }
  resolver.async_resolve(
      connect_host, connect_port,
      [&](error_code error, const asio::ip::tcp::resolver::results_type& endpoints) {
        if (error) {
          return progress.finish(HandshakeProgress::Step::kResolve, error);
        }
        beast::get_lowest_layer(stream).async_connect(
            endpoints, [&](error_code connect_error, const asio::ip::tcp::endpoint&) {
              if (connect_error) {
                return progress.finish(HandshakeProgress::Step::kConnect, connect_error);
              }
              if (!request.proxy) {
                return start_after_connect(stream, target, response, progress);
              }
              // TLS and the upgrade then run through the tunnel, end to end with the target.
              start_tunnel(beast::get_lowest_layer(stream), target, *request.proxy, progress,
                           [&] { start_after_connect(stream, target, response, progress); });
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
    throw handshake_error(progress, request);
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
  if (!request.ca_file.empty()) {
    tls->load_verify_file(request.ca_file.string(), error);
    if (error) {
      throw TransportError(TransportError::Kind::kConnectionFailed,
                           "the CA file " + request.ca_file.string() + " could not be loaded (" +
                               error.message() + ")");
    }
  }
  if (!request.ca_dir.empty()) {
    tls->add_verify_path(request.ca_dir.string(), error);
    if (error) {
      throw TransportError(TransportError::Kind::kConnectionFailed,
                           "the CA folder " + request.ca_dir.string() + " could not be used (" +
                               error.message() + ")");
    }
  }
  return open_connection<SecureWebSocketStream>(request, target, std::move(tls));
}

}  // namespace aai::host
