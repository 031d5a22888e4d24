// A small WebSocket server on 127.0.0.1 for transport tests, one thread per connection.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

namespace aai::host::testing {

/// Echoes every message back with its kind, and obeys these text commands:
///   "close CODE REASON"  closes with that code and reason (the reason may be empty),
///   "drop"               closes the TCP connection without a close frame,
///   "silent"             stops reading, so a close frame from the client gets no reply.
class LoopbackWebSocketServer {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  /// Decides each upgrade request: std::nullopt accepts it, and a response rejects it with
  /// that response.
  using Gate = std::function<std::optional<Response>(const Request&)>;

  /// Starts listening on a free port of 127.0.0.1. Without a gate every upgrade is accepted.
  explicit LoopbackWebSocketServer(Gate gate = {});
  ~LoopbackWebSocketServer();
  LoopbackWebSocketServer(const LoopbackWebSocketServer&) = delete;
  LoopbackWebSocketServer& operator=(const LoopbackWebSocketServer&) = delete;

  /// "ws://127.0.0.1:PORT" followed by `target`.
  std::string url(const std::string& target) const;

  /// Copies of the upgrade requests received so far, in arrival order.
  std::vector<Request> received() const;

  /// The close code of the last close frame a client sent, or 0 before any.
  int last_client_close_code() const { return last_client_close_code_; }

 private:
  void accept_loop();
  void serve(boost::asio::ip::tcp::socket& socket);
  void wait_until_stopped();

  Gate gate_;
  boost::asio::io_context io_context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> last_client_close_code_{0};

  mutable std::mutex mutex_;
  std::condition_variable stopped_;
  std::vector<Request> received_;
  std::vector<int> connection_fds_;
  std::vector<std::thread> connection_threads_;
  std::thread accept_thread_;
};

}  // namespace aai::host::testing
