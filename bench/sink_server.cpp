#include "sink_server.hpp"

#include <sys/socket.h>

#include <array>
#include <limits>
#include <string>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace aai::bench {
namespace {

namespace http = boost::beast::http;
using boost::asio::ip::tcp;

// Reads the body through a fixed buffer, so the server's own memory stays flat and does not
// blur the peak RSS that the benchmark reports for the whole process.
uint64_t discard_body(tcp::socket& socket, boost::beast::flat_buffer& buffer,
                      http::request_parser<http::buffer_body>& parser,
                      std::atomic<uint64_t>& received_bytes) {
  std::array<char, 64 * 1024> chunk{};
  boost::system::error_code error;
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    http::read_some(socket, buffer, parser, error);
    if (error == http::error::need_buffer) {
      error = {};
    }
    if (error) {
      return received_bytes.load();
    }
    received_bytes += chunk.size() - parser.get().body().size;
  }
  return received_bytes.load();
}

}  // namespace

SinkServer::SinkServer()
    : acceptor_(io_context_, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

SinkServer::~SinkServer() {
  // Wakes a blocking accept if no client ever connected.
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
  thread_.join();
}

void SinkServer::serve() {
  tcp::socket socket(io_context_);
  boost::system::error_code error;
  acceptor_.accept(socket, error);
  if (error) {
    return;
  }
  boost::beast::flat_buffer buffer;
  http::request_parser<http::buffer_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  http::read_header(socket, buffer, parser, error);
  if (error) {
    return;
  }
  const uint64_t total = discard_body(socket, buffer, parser, received_bytes_);

  http::response<http::string_body> response(http::status::ok, 11);
  response.set(http::field::content_type, "application/json");
  response.body() = "{\"received_bytes\": " + std::to_string(total) + "}";
  response.prepare_payload();
  http::write(socket, response, error);
}

}  // namespace aai::bench
