// A small HTTP/1.1 server on 127.0.0.1 for transport tests, one thread per connection.
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

class LoopbackHttpServer {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  /// Computes the response to a request, or std::nullopt to never respond: the connection then
  /// stays open and silent until the server stops.
  using Handler = std::function<std::optional<Response>(const Request&)>;

  /// Starts listening on a free port of 127.0.0.1.
  explicit LoopbackHttpServer(Handler handler);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  uint16_t port() const { return port_; }

  /// "http://127.0.0.1:PORT" followed by `target`.
  std::string url(const std::string& target) const;

  /// Copies of the requests received so far, in arrival order.
  std::vector<Request> received() const;

  /// Builds a response with a body and a Content-Length.
  static Response make_response(unsigned status, std::string body);

 private:
  void accept_loop();
  void serve(boost::asio::ip::tcp::socket& socket);
  void wait_until_stopped();

  Handler handler_;
  boost::asio::io_context io_context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mutex_;
  std::condition_variable stopped_;
  std::vector<Request> received_;
  std::vector<int> connection_fds_;
  std::vector<std::thread> connection_threads_;
  std::thread accept_thread_;
};

/// Returns a loopback port that nothing listens on at the time of the call.
uint16_t find_unused_port();

}  // namespace aai::host::testing
