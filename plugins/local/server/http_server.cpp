#include "server/http_server.hpp"

#include <array>
#include <csignal>
#include <filesystem>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/server_log.hpp"

namespace aai::local {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr auto kUseAwaitable = asio::use_awaitable;

asio::awaitable<void> write_response(tcp::socket& socket, const ApiResponse& response,
                                     unsigned version, bool keep_alive) {
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  message.set(http::field::server, "aai-local-server");
  message.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) {
    message.set(name, value);
  }
  message.keep_alive(keep_alive);
  message.body() = response.body;
  message.prepare_payload();
  co_await http::async_write(socket, message, kUseAwaitable);
}

// Streams the upload body straight into its file, so memory use stays flat for any size.
asio::awaitable<ApiResponse> receive_upload(tcp::socket& socket, beast::flat_buffer& buffer,
                                            http::request_parser<http::empty_body>& header_parser,
                                            const ApiRouter& router, bool& keep_alive) {
  auto [id, path] = router.new_upload();
  bool expects_continue = beast::iequals(header_parser.get()[http::field::expect], "100-continue");
  http::request_parser<http::file_body> parser(std::move(header_parser));
  parser.body_limit(kMaxUploadBytes);
  beast::error_code error;
  parser.get().body().open(path.c_str(), beast::file_mode::write, error);
  if (error) {
    keep_alive = false;
    co_return error_response(500, "Could not store the upload: " + error.message());
  }
  if (expects_continue) {
    http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
    co_await http::async_write(socket, go_on, kUseAwaitable);
  }
  co_await http::async_read(socket, buffer, parser, asio::redirect_error(kUseAwaitable, error));
  parser.get().body().close();
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    if (error != http::error::body_limit) {
      throw beast::system_error(error);
    }
    keep_alive = false;
    co_return error_response(413, "The upload is larger than the limit of 8 GiB.");
  }
  co_return router.finish_upload(id, path, std::filesystem::file_size(path));
}

asio::awaitable<ApiResponse> receive_request(tcp::socket& socket, beast::flat_buffer& buffer,
                                             http::request_parser<http::empty_body>& header_parser,
                                             ApiRouter& router, bool& keep_alive) {
  const auto& header = header_parser.get();
  ApiRequest request{std::string(header.method_string()),
                     std::string(header.target()),
                     std::string(header[http::field::authorization]),
                     std::string(header[http::field::cookie]),
                     {}};
  if (ApiRouter::is_upload(request.method, request.target)) {
    if (!router.is_authorized(request.authorization)) {
      // The unread body is still on the connection, so it cannot carry another request.
      keep_alive = false;
      co_return error_response(401, kAuthenticationError);
    }
    co_return co_await receive_upload(socket, buffer, header_parser, router, keep_alive);
  }
  // Beast checks Content-Length against the limit only while it reads the header, and that
  // limit was the upload's, so the smaller limit for JSON is checked here.
  auto content_length = header_parser.content_length();
  if (content_length && *content_length > kMaxJsonBodyBytes) {
    keep_alive = false;
    co_return error_response(413, "The request body is larger than the limit of 1 MiB.");
  }
  http::request_parser<http::string_body> parser(std::move(header_parser));
  parser.body_limit(kMaxJsonBodyBytes);
  beast::error_code error;
  co_await http::async_read(socket, buffer, parser, asio::redirect_error(kUseAwaitable, error));
  if (error == http::error::body_limit) {
    keep_alive = false;
    co_return error_response(413, "The request body is larger than the limit of 1 MiB.");
  }
  if (error) {
    throw beast::system_error(error);
  }
  request.body = std::move(parser.get().body());
  co_return router.handle(request);
}

}  // namespace

HttpServer::HttpServer(ApiRouter& router, TranscriptionWorker& worker, uint16_t port,
                       int64_t idle_timeout_seconds)
    : router_(router),
      worker_(worker),
      idle_timeout_seconds_(idle_timeout_seconds),
      acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)),
      signals_(io_, SIGINT, SIGTERM),
      last_activity_(std::chrono::steady_clock::now()) {}

uint16_t HttpServer::port() const {
  return acceptor_.local_endpoint().port();
}

std::string HttpServer::run() {
  signals_.async_wait([this](const boost::system::error_code& error, int signal_number) {
    if (!error) {
      stop(signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    }
  });
  asio::co_spawn(io_, accept_loop(), asio::detached);
  if (idle_timeout_seconds_ > 0) {
    asio::co_spawn(io_, watch_idle(), asio::detached);
  }
  io_.run();
  return stop_reason_;
}

void HttpServer::stop(std::string reason) {
  stop_reason_ = std::move(reason);
  io_.stop();
}

// Reads and drops what the client still sends, for up to 2 s, before the socket closes. A request
// rejected before its body was read (401 on an upload, 413) leaves that body on the connection,
// and closing a socket with unread data resets it, which can destroy the response before the
// client reads it.
asio::awaitable<void> discard_unread_input(tcp::socket& socket) {
  beast::error_code error;
  socket.shutdown(tcp::socket::shutdown_send, error);
  asio::steady_timer deadline(socket.get_executor());
  deadline.expires_after(std::chrono::seconds(2));
  deadline.async_wait([&socket](beast::error_code wait_error) {
    if (!wait_error) {
      beast::error_code ignored;
      socket.cancel(ignored);
    }
  });
  std::array<char, 64 * 1024> scratch;
  while (!error) {
    co_await socket.async_read_some(asio::buffer(scratch),
                                    asio::redirect_error(kUseAwaitable, error));
  }
  deadline.cancel();
}

asio::awaitable<void> HttpServer::accept_loop() {
  for (;;) {
    tcp::socket socket = co_await acceptor_.async_accept(kUseAwaitable);
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::serve(tcp::socket socket) {
  beast::flat_buffer buffer;
  try {
    for (bool keep_alive = true; keep_alive;) {
      http::request_parser<http::empty_body> header_parser;
      header_parser.body_limit(kMaxUploadBytes);
      co_await http::async_read_header(socket, buffer, header_parser, kUseAwaitable);
      auto started = std::chrono::steady_clock::now();
      ++in_flight_;
      std::string method(header_parser.get().method_string());
      std::string path(
          header_parser.get().target().substr(0, header_parser.get().target().find('?')));
      unsigned version = header_parser.get().version();
      keep_alive = header_parser.get().keep_alive();

      ApiResponse response;
      try {
        response = co_await receive_request(socket, buffer, header_parser, router_, keep_alive);
      } catch (...) {
        --in_flight_;
        throw;
      }
      co_await write_response(socket, response, version, keep_alive);
      --in_flight_;
      last_activity_ = std::chrono::steady_clock::now();
      auto elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(last_activity_ - started);
      log_line(method + " " + path + " " + std::to_string(response.status) + " " +
               std::to_string(elapsed.count()) + " ms");
    }
  } catch (const boost::system::system_error& error) {
    // A client closing its connection between requests is the normal end of a session.
    bool closed_by_client = error.code() == http::error::end_of_stream ||
                            error.code() == asio::error::eof ||
                            error.code() == asio::error::connection_reset;
    if (!closed_by_client) {
      log_line("connection ended after an error: " + error.code().message());
    }
    co_return;
  } catch (const std::exception& error) {
    log_line(std::string("connection ended after an error: ") + error.what());
    co_return;
  }
  co_await discard_unread_input(socket);
}

asio::awaitable<void> HttpServer::watch_idle() {
  asio::steady_timer timer(io_);
  const auto timeout = std::chrono::seconds(idle_timeout_seconds_);
  for (;;) {
    timer.expires_after(std::chrono::milliseconds(250));
    co_await timer.async_wait(kUseAwaitable);
    auto now = std::chrono::steady_clock::now();
    if (in_flight_ > 0 || worker_.is_busy()) {
      last_activity_ = now;
    } else if (now - last_activity_ >= timeout) {
      stop("idle for " + std::to_string(idle_timeout_seconds_) + " seconds");
      co_return;
    }
  }
}

}  // namespace aai::local
