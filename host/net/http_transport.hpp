// The host's HTTP transport interface: what the request pipeline sends through. The real
// implementation lives in libaai-net.so (cpprestsdk), loaded only when a command sends a request.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace aai::host {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct TransportRequest {
  std::string method = "GET";
  std::string url;
  HeaderList headers;

  /// Body held in memory; ignored when body_file is set.
  std::string body;

  /// File streamed as the body, never read whole into memory.
  std::filesystem::path body_file;

  std::chrono::milliseconds timeout{std::chrono::minutes(5)};

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
    kConnectionFailed,
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
