#include "loopback_websocket_server.hpp"

#include <sys/socket.h>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

namespace aai::host::testing {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::asio::ip::tcp;

// Runs the text commands described in the header. Returns false when the connection is over.
bool obey(websocket::stream<tcp::socket&>& stream, const std::string& text,
          const std::function<void()>& wait_until_stopped) {
  boost::system::error_code error;
  if (text.rfind("close ", 0) == 0) {
    size_t code_end = text.find(' ', 6);
    int code = std::stoi(text.substr(6, code_end - 6));
    std::string reason = code_end == std::string::npos ? "" : text.substr(code_end + 1);
    stream.close(websocket::close_reason(static_cast<websocket::close_code>(code), reason), error);
    return false;
  }
  if (text == "drop") {
    stream.next_layer().shutdown(tcp::socket::shutdown_both, error);
    stream.next_layer().close(error);
    return false;
  }
  if (text == "silent") {
    wait_until_stopped();
    return false;
  }
  return true;
}

}  // namespace

LoopbackWebSocketServer::LoopbackWebSocketServer(Gate gate)
    : gate_(std::move(gate)),
      acceptor_(io_context_, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)) {
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { accept_loop(); });
}

LoopbackWebSocketServer::~LoopbackWebSocketServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  // shutdown() on the raw descriptors wakes the blocking accept and reads in the other threads.
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

std::string LoopbackWebSocketServer::url(const std::string& target) const {
  return "ws://127.0.0.1:" + std::to_string(port_) + target;
}

std::vector<LoopbackWebSocketServer::Request> LoopbackWebSocketServer::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

void LoopbackWebSocketServer::accept_loop() {
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

void LoopbackWebSocketServer::serve(tcp::socket& socket) {
  beast::flat_buffer buffer;
  Request request;
  boost::system::error_code error;
  beast::http::read(socket, buffer, request, error);
  if (error) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    received_.push_back(request);
  }
  if (std::optional<Response> rejection = gate_ ? gate_(request) : std::nullopt) {
    rejection->prepare_payload();
    beast::http::write(socket, *rejection, error);
    return;
  }

  websocket::stream<tcp::socket&> stream(socket);
  stream.accept(request, error);
  for (bool open = !error; open;) {
    beast::flat_buffer message;
    stream.read(message, error);
    if (error) {
      if (error == websocket::error::closed) {
        last_client_close_code_ = static_cast<int>(stream.reason().code);
      }
      return;
    }
    std::string text = beast::buffers_to_string(message.data());
    open = !stream.got_text() || obey(stream, text, [this] { wait_until_stopped(); });
    if (open) {
      stream.binary(!stream.got_text());
      stream.write(message.data(), error);
      open = !error;
    }
  }
}

void LoopbackWebSocketServer::wait_until_stopped() {
  std::unique_lock lock(mutex_);
  stopped_.wait(lock, [this] { return stopping_.load(); });
}

}  // namespace aai::host::testing
