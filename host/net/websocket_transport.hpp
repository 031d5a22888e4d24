// The host's WebSocket transport interface: what the aai.websocket/1 service connects through.
// The real implementation lives in libaai-net.so (Boost.Beast), loaded only when a command
// opens a connection.
#pragma once

// A relative include, because the host core and libaai-net.so use different include paths.
#include "http_transport.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace aai::host {

struct WebSocketConnectRequest {
  /// Absolute ws or wss URL, query included.
  std::string url;
  HeaderList headers;

  /// Time allowed for name resolution, the TCP connection, the proxy tunnel, TLS and the
  /// upgrade together.
  std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;

  /// The HTTP proxy to open a CONNECT tunnel through, or none for a direct connection.
  std::optional<ProxyServer> proxy;

  /// Trust anchors for wss (SSL_CERT_FILE, SSL_CERT_DIR) on top of the system's defaults.
  std::filesystem::path ca_file;
  std::filesystem::path ca_dir;

  /// When set, polled while connecting; returning true cancels the attempt (Ctrl-C).
  std::function<bool()> is_cancelled;
};

/// One thing WebSocketConnection::receive found.
struct WebSocketEvent {
  enum class Kind { kTimeout, kText, kBinary, kClosed };
  Kind kind = Kind::kTimeout;
  std::string data;

  /// For kClosed: the peer's close code and reason, or 1006 and a description of how the
  /// connection dropped when no close frame arrived.
  int close_code = 0;
  std::string close_reason;
};

/// An open connection. Every method is called from one thread (the host's main thread); the
/// implementation reads on a thread of its own and queues what arrives.
class WebSocketConnection {
 public:
  /// Closes with code 1001 when still open, and stops the network thread within a bounded time
  /// (a few seconds) even when the peer never replies.
  virtual ~WebSocketConnection() = default;

  /// Sends one message and waits until it is written. Throws TransportError when the connection
  /// is closed, breaks, or the write does not finish in time.
  virtual void send(bool binary, std::string_view data) = 0;

  /// Waits up to `timeout` for the next message or the close. Messages that arrived before the
  /// close come first; after kClosed every call returns the same kClosed event.
  virtual WebSocketEvent receive(std::chrono::milliseconds timeout) = 0;

  /// Starts the closing handshake and returns without waiting. Does nothing once closing.
  virtual void close(int code, const std::string& reason) = 0;
};

/// The result of a handshake that got an HTTP response. `connection` is set only for status 101;
/// any other status comes with the response headers (names in lower case) and body.
struct WebSocketHandshake {
  int status = 0;
  HeaderList headers;
  std::string body;
  std::unique_ptr<WebSocketConnection> connection;
};

/// Opens connections. Throws TransportError when no HTTP response arrives: kConnectionFailed for a
/// refused connection, an unknown host or a failed TLS handshake, kTimedOut, kCancelled and
/// kInvalidUrl. The error's message is a short reason without the URL ("the connection was
/// refused"), so the caller can word the sentence.
class WebSocketTransport {
 public:
  virtual ~WebSocketTransport() = default;
  virtual WebSocketHandshake connect(const WebSocketConnectRequest& request) = 0;
};

/// Name of the factory function libaai-net.so exports with C linkage:
///   aai::host::WebSocketTransport* aai_net_create_websocket_transport();
/// The caller owns the returned object.
inline constexpr const char* kCreateWebSocketTransportSymbol = "aai_net_create_websocket_transport";

/// Loads libaai-net.so from `library_dir` and creates the WebSocket transport. Throws
/// std::runtime_error naming the file when the library cannot be loaded.
std::unique_ptr<WebSocketTransport> load_websocket_transport(
    const std::filesystem::path& library_dir);

}  // namespace aai::host
