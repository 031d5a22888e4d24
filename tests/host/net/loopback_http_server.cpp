#include "loopback_http_server.hpp"

#include <sys/socket.h>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace aai::host::testing {
namespace {

namespace beast = boost::beast;
using boost::asio::ip::tcp;

// Large enough for the file-upload tests; Beast's default request limit is 1 MB.
constexpr uint64_t kBodyLimit = 64 * 1024 * 1024;

tcp::endpoint loopback_endpoint(uint16_t port) {
  return tcp::endpoint(boost::asio::ip::address_v4::loopback(), port);
}

}  // namespace

LoopbackHttpServer::LoopbackHttpServer(Handler handler)
    : handler_(std::move(handler)), acceptor_(io_context_, loopback_endpoint(0)) {
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { accept_loop(); });
}

LoopbackHttpServer::~LoopbackHttpServer() {
  {
    // Set under the lock so that no connection is registered after the shutdown loop below
    // and no stalled handler misses the notification.
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  // shutdown() on the raw descriptors wakes the blocking accept and reads in the other
  // threads without touching the Asio objects those threads own.
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
  {
    std::lock_guard lock(mutex_);
    for (int fd : connection_fds_) {
      ::shutdown(fd, SHUT_RDWR);
    }
  }
  stopped_.notify_all();
  accept_thread_.join();
  for (auto& thread : connection_threads_) {
    thread.join();
  }
}

std::string LoopbackHttpServer::url(const std::string& target) const {
  return "http://127.0.0.1:" + std::to_string(port_) + target;
}

std::vector<LoopbackHttpServer::Request> LoopbackHttpServer::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

LoopbackHttpServer::Response LoopbackHttpServer::make_response(unsigned status, std::string body) {
  Response response(static_cast<beast::http::status>(status), 11);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

void LoopbackHttpServer::accept_loop() {
  for (;;) {
    boost::system::error_code error;
    auto socket = std::make_shared<tcp::socket>(io_context_);
    acceptor_.accept(*socket, error);
    if (error) {
      return;
    }
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    connection_fds_.push_back(socket->native_handle());
    connection_threads_.emplace_back([this, socket] { serve(*socket); });
  }
}

void LoopbackHttpServer::serve(tcp::socket& socket) {
  beast::flat_buffer buffer;
  for (;;) {
    beast::http::request_parser<beast::http::string_body> parser;
    parser.body_limit(kBodyLimit);
    boost::system::error_code error;
    beast::http::read(socket, buffer, parser, error);
    if (error) {
      return;
    }
    Request request = parser.release();
    {
      std::lock_guard lock(mutex_);
      received_.push_back(request);
    }
    std::optional<Response> response = handler_(request);
    if (!response) {
      wait_until_stopped();
      return;
    }
    beast::http::write(socket, *response, error);
    if (error) {
      return;
    }
  }
}

void LoopbackHttpServer::wait_until_stopped() {
  std::unique_lock lock(mutex_);
  stopped_.wait(lock, [this] { return stopping_.load(); });
}

uint16_t find_unused_port() {
  boost::asio::io_context io_context;
  tcp::acceptor acceptor(io_context, loopback_endpoint(0));
  return acceptor.local_endpoint().port();
}

}  // namespace aai::host::testing
