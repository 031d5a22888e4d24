// An HTTP server on 127.0.0.1 that reads one request, discards its body and reports its size.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace aai::bench {

class SinkServer {
 public:
  /// Starts listening on a free port of 127.0.0.1 and serves one connection in a thread.
  SinkServer();
  ~SinkServer();
  SinkServer(const SinkServer&) = delete;
  SinkServer& operator=(const SinkServer&) = delete;

  uint16_t port() const { return port_; }

  /// Body bytes received so far by the request being served.
  uint64_t received_bytes() const { return received_bytes_.load(); }

 private:
  void serve();

  boost::asio::io_context io_context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<uint64_t> received_bytes_{0};
  std::thread thread_;
};

}  // namespace aai::bench
