// A tiny HTTP forward proxy on 127.0.0.1 for tests: absolute-form requests for http:// URLs and
// CONNECT tunnels, one thread per connection. It forwards only to loopback targets and returns
// 502 for any other, so no test traffic leaves the machine.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace aai::host::testing {

class LoopbackForwardProxy {
 public:
  /// One request the proxy received.
  struct SeenRequest {
    /// "CONNECT" for a tunnel, else the method of an absolute-form request.
    std::string method;
    /// host:port for CONNECT, else the absolute URL.
    std::string target;
    /// The Proxy-Authorization header, or empty.
    std::string proxy_authorization;
  };

  /// Starts listening on a free port of 127.0.0.1.
  LoopbackForwardProxy();
  ~LoopbackForwardProxy();
  LoopbackForwardProxy(const LoopbackForwardProxy&) = delete;
  LoopbackForwardProxy& operator=(const LoopbackForwardProxy&) = delete;

  uint16_t port() const { return port_; }

  /// "http://127.0.0.1:PORT".
  std::string url() const;

  /// Copies of the requests received so far, in arrival order.
  std::vector<SeenRequest> seen() const;

  /// How many CONNECT requests and how many absolute-form requests arrived.
  size_t connect_count() const;
  size_t forward_count() const;

 private:
  void accept_loop();
  void serve(boost::asio::ip::tcp::socket& client);
  void remember_socket(int fd);

  boost::asio::io_context io_context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mutex_;
  std::vector<SeenRequest> seen_;
  std::vector<int> socket_fds_;
  std::vector<std::thread> threads_;
  std::thread accept_thread_;
};

}  // namespace aai::host::testing
