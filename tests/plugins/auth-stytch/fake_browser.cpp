#include "fake_browser.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace auth_stytch::testing {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::string percent_decode(const std::string& text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      decoded += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += text[i] == '+' ? ' ' : text[i];
    }
  }
  return decoded;
}

int send_get(uint16_t port, const std::string& target) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  asio::write(socket, asio::buffer(request));
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> reply;
  http::read(socket, buffer, reply);
  return reply.result_int();
}

}  // namespace

std::string query_parameter(const std::string& url, const std::string& name) {
  const size_t query = url.find('?');
  if (query == std::string::npos) {
    return {};
  }
  size_t start = query + 1;
  while (start <= url.size()) {
    size_t end = url.find('&', start);
    if (end == std::string::npos) {
      end = url.size();
    }
    const std::string pair = url.substr(start, end - start);
    if (pair.rfind(name + "=", 0) == 0) {
      return percent_decode(pair.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return {};
}

uint16_t free_loopback_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

FakeBrowser::~FakeBrowser() {
  if (redirect_thread_.joinable()) {
    redirect_thread_.join();
  }
}

bool FakeBrowser::open(const std::string& url) {
  script_->opened_urls.push_back(url);
  if (!script_->sends_redirect) {
    return script_->open_succeeds;
  }

  // The login provider appends its parameters to the redirect URL's own query.
  const std::string redirect_url = query_parameter(url, "discovery_redirect_url");
  const std::string prefix = "http://127.0.0.1:";
  const size_t path_start = redirect_url.find('/', prefix.size());
  const uint16_t port = static_cast<uint16_t>(
      std::stoi(redirect_url.substr(prefix.size(), path_start - prefix.size())));
  std::string target = redirect_url.substr(path_start);
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += "stytch_token_type=" + script_->token_type + "&token=" + script_->token;
  script_->redirect_target = target;

  // The server only serves requests inside wait(), which runs after open() returns.
  redirect_thread_ = std::thread([script = script_, port, target] {
    try {
      script->redirect_status = send_get(port, target);
    } catch (const std::exception&) {
      script->redirect_status = -1;
    }
  });
  return script_->open_succeeds;
}

}  // namespace auth_stytch::testing
