#include "loopback_forward_proxy.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <istream>
#include <memory>
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace aai::host::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The parts of a request head that the proxy looks at.
struct RequestHead {
  std::string method;
  std::string target;
  std::string version;
  std::vector<std::pair<std::string, std::string>> headers;
};

RequestHead parse_head(const std::string& text) {
  RequestHead head;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  std::istringstream request_line(line);
  request_line >> head.method >> head.target >> head.version;
  while (std::getline(lines, line) && line != "\r" && !line.empty()) {
    if (line.back() == '\r') {
      line.pop_back();
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    head.headers.emplace_back(line.substr(0, colon), value);
  }
  return head;
}

// Splits "host:port"; only loopback hosts are accepted.
bool loopback_host_port(const std::string& authority, std::string& port) {
  const size_t colon = authority.rfind(':');
  if (colon == std::string::npos) {
    return false;
  }
  const std::string host = authority.substr(0, colon);
  port = authority.substr(colon + 1);
  return host == "127.0.0.1" || host == "localhost";
}

void write_text(tcp::socket& socket, const std::string& text) {
  boost::system::error_code ignored;
  asio::write(socket, asio::buffer(text), ignored);
}

// Copies bytes from `from` to `to` until `from` ends, then stops sending on `to`.
void relay(tcp::socket& from, tcp::socket& to) {
  char buffer[16 * 1024];
  for (;;) {
    boost::system::error_code error;
    const size_t size = from.read_some(asio::buffer(buffer), error);
    if (size > 0) {
      asio::write(to, asio::buffer(buffer, size), error);
    }
    if (error) {
      break;
    }
  }
  ::shutdown(to.native_handle(), SHUT_WR);
}

}  // namespace

LoopbackForwardProxy::LoopbackForwardProxy()
    : acceptor_(io_context_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { accept_loop(); });
}

LoopbackForwardProxy::~LoopbackForwardProxy() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (int fd : socket_fds_) {
      ::shutdown(fd, SHUT_RDWR);
    }
  }
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
  accept_thread_.join();
  for (auto& thread : threads_) {
    thread.join();
  }
}

std::string LoopbackForwardProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<LoopbackForwardProxy::SeenRequest> LoopbackForwardProxy::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

size_t LoopbackForwardProxy::connect_count() const {
  auto requests = seen();
  return static_cast<size_t>(std::count_if(
      requests.begin(), requests.end(), [](const auto& seen) { return seen.method == "CONNECT"; }));
}

size_t LoopbackForwardProxy::forward_count() const {
  return seen().size() - connect_count();
}

void LoopbackForwardProxy::remember_socket(int fd) {
  std::lock_guard lock(mutex_);
  socket_fds_.push_back(fd);
  if (stopping_) {
    ::shutdown(fd, SHUT_RDWR);
  }
}

void LoopbackForwardProxy::accept_loop() {
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
    socket_fds_.push_back(socket->native_handle());
    threads_.emplace_back([this, socket] { serve(*socket); });
  }
}

void LoopbackForwardProxy::serve(tcp::socket& client) {
  asio::streambuf buffer;
  boost::system::error_code error;
  asio::read_until(client, buffer, "\r\n\r\n", error);
  if (error) {
    return;
  }
  const size_t head_size = buffer.size();
  std::string received(asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data()));
  const size_t head_end = received.find("\r\n\r\n") + 4;
  const std::string already_read_body = received.substr(head_end, head_size - head_end);
  RequestHead head = parse_head(received.substr(0, head_end));

  SeenRequest seen{head.method, head.target, ""};
  for (const auto& [name, value] : head.headers) {
    if (to_lower(name) == "proxy-authorization") {
      seen.proxy_authorization = value;
    }
  }
  {
    std::lock_guard lock(mutex_);
    seen_.push_back(seen);
  }

  std::string authority;
  std::string origin_form;
  if (head.method == "CONNECT") {
    authority = head.target;
  } else if (head.target.rfind("http://", 0) == 0) {
    const size_t path_start = head.target.find('/', 7);
    authority =
        head.target.substr(7, path_start == std::string::npos ? std::string::npos : path_start - 7);
    origin_form = path_start == std::string::npos ? "/" : head.target.substr(path_start);
  } else {
    write_text(client,
               "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  std::string port;
  if (!loopback_host_port(authority, port)) {
    write_text(client,
               "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }

  tcp::socket upstream(io_context_);
  tcp::resolver resolver(io_context_);
  asio::connect(upstream, resolver.resolve("127.0.0.1", port, error), error);
  if (error) {
    write_text(client,
               "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  remember_socket(upstream.native_handle());

  if (head.method == "CONNECT") {
    write_text(client, "HTTP/1.1 200 Connection Established\r\n\r\n");
  } else {
    // One request per connection keeps the relay simple: the origin closes after its response.
    std::string forwarded = head.method + " " + origin_form + " " + head.version + "\r\n";
    for (const auto& [name, value] : head.headers) {
      const std::string lower = to_lower(name);
      if (lower != "proxy-authorization" && lower != "proxy-connection" && lower != "connection") {
        forwarded += name + ": " + value + "\r\n";
      }
    }
    forwarded += "Connection: close\r\n\r\n";
    write_text(upstream, forwarded);
  }
  if (!already_read_body.empty()) {
    write_text(upstream, already_read_body);
  }

  std::thread upload([&client, &upstream] { relay(client, upstream); });
  relay(upstream, client);
  // The origin finished: end the client's connection too, which also ends the upload relay.
  ::shutdown(client.native_handle(), SHUT_RDWR);
  ::shutdown(upstream.native_handle(), SHUT_RDWR);
  upload.join();
}

}  // namespace aai::host::testing
