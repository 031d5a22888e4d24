// The host's HTTP transport interface: what the request pipeline sends through. The real
// implementation lives in libaai-net.so (cpprestsdk), loaded only when a command sends a request.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace aai::host {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// An HTTP proxy that requests go through: absolute-form requests for http URLs, a CONNECT
/// tunnel for https and wss.
struct ProxyServer {
  std::string host;  // as in a URL, IPv6 literals in brackets
  int port = 1080;
  /// Percent-decoded; sent as Basic Proxy-Authorization when the user name is not empty.
  std::string username;
  std::string password;

  /// http://host:port, without the credentials, for the transport and for logs.
  std::string url() const { return "http://" + host + ":" + std::to_string(port); }

  bool operator==(const ProxyServer&) const = default;
};

/// The default of TransportRequest::timeout.
inline constexpr std::chrono::milliseconds kDefaultReadTimeout{std::chrono::seconds(60)};

/// The default of TransportRequest::connect_timeout.
inline constexpr std::chrono::milliseconds kDefaultConnectTimeout{std::chrono::seconds(10)};

struct TransportRequest {
  std::string method = "GET";
  std::string url;
  HeaderList headers;

  /// Body held in memory; ignored when body_file is set.
  std::string body;

  /// File streamed as the body, never read whole into memory.
  std::filesystem::path body_file;

  /// Idle read timeout: how long the exchange may go without sending or receiving a byte, so a
  /// long upload or a slow stream that keeps moving never times out.
  /// 0 means kDefaultReadTimeout; the request pipeline puts the user's setting there.
  std::chrono::milliseconds timeout{0};

  /// Time allowed to resolve the host and open the connection. NOTE: cpprestsdk 2.10 has one
  /// timeout for every step, so the HTTP transport ignores this field and applies `timeout` to
  /// the connection too; the WebSocket transport honours it.
  std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;

  /// The proxy to send through, or none for a direct connection.
  std::optional<ProxyServer> proxy;

  /// Extra trust anchors for https (SSL_CERT_FILE, SSL_CERT_DIR), added to the system's store.
  std::filesystem::path ca_file;
  std::filesystem::path ca_dir;

  /// When set, receives the response body piece by piece; returning false cancels the transfer.
  /// TransportResponse::body then stays empty.
  std::function<bool(const char* data, size_t size)> on_body;

  /// When set together with on_body, decides from the response status whether the body goes to
  /// on_body (true) or is kept in TransportResponse::body (false).
  std::function<bool(int status)> streams_body;

  /// When set, called as the request body is sent, with bytes sent and the total.
  std::function<void(uint64_t sent, uint64_t total)> on_progress;

  /// When set, polled while waiting; returning true cancels the request (Ctrl-C).
  std::function<bool()> is_cancelled;
};

struct TransportResponse {
  int status = 0;
  std::string body;

  /// Header names in lower case.
  HeaderList headers;
};

/// Why a request produced no HTTP response at all.
class TransportError : public std::runtime_error {
 public:
  enum class Kind {
    /// No connection was made (DNS, refused, unreachable, TLS handshake): safe to send again.
    kConnectionFailed,
    /// The connection could not be made within the connect timeout: safe to send again.
    kConnectTimedOut,
    /// The TLS handshake failed, such as a certificate that cannot be verified: not retried.
    kTlsFailed,
    /// The connection broke after the request was sent (reset, closed early).
    kConnectionDropped,
    /// Nothing was sent or received for the read timeout after the connection was made.
    kTimedOut,
    kCancelled,
    kInvalidUrl,
    kFileUnreadable,
    kOther
  };

  TransportError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

/// Returns the request's read timeout, kDefaultReadTimeout when it has none.
inline std::chrono::milliseconds effective_read_timeout(const TransportRequest& request) {
  return request.timeout.count() > 0 ? request.timeout : kDefaultReadTimeout;
}

/// Sends one request and waits for the whole response. Throws TransportError when no response
/// arrives. Implementations must allow several sends at once from different threads.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual TransportResponse send(const TransportRequest& request) = 0;
};

/// Name of the factory function libaai-net.so exports with C linkage:
///   aai::host::HttpTransport* aai_net_create_http_transport();
/// The caller owns the returned object and deletes it before unloading the library.
inline constexpr const char* kCreateHttpTransportSymbol = "aai_net_create_http_transport";

/// Loads libaai-net.so from `library_dir` and creates the transport. Throws std::runtime_error
/// naming the file when the library cannot be loaded. The library stays loaded for the life of
/// the process.
std::unique_ptr<HttpTransport> load_http_transport(const std::filesystem::path& library_dir);

}  // namespace aai::host
