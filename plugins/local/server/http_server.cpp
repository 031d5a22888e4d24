#include "server/http_server.hpp"

#include <array>
#include <csignal>
#include <filesystem>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "server/gateway_errors.hpp"
#include "server/gateway_routes.hpp"
#include "server/query_string.hpp"
#include "server/server_log.hpp"
#include "server/streaming_params.hpp"
#include "server/turn_messages.hpp"

namespace aai::local {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

constexpr auto kUseAwaitable = asio::use_awaitable;

// One TLS connection and the plain connection its decrypted bytes are relayed to.
struct TlsRelay {
  TlsRelay(tcp::socket socket, asio::ssl::context& context)
      : client(std::move(socket), context), server(client.get_executor()) {}

  asio::ssl::stream<tcp::socket> client;
  tcp::socket server;
  // Set once the plain connection has ended, so the client's side no longer forwards to it.
  bool server_closed = false;
};

template <typename Message>
void set_headers(Message& message, const ApiResponse& response, bool keep_alive) {
  message.set(http::field::server, "aai-local-server");
  message.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) {
    message.set(name, value);
  }
  message.keep_alive(keep_alive);
}

// Sends the events one chunk each, kEventInterval apart. HTTP/1.0 has no chunked encoding, so
// there the events go as a plain body that ends when the connection closes.
asio::awaitable<void> write_events(tcp::socket& socket, const ApiResponse& response,
                                   unsigned version, bool& keep_alive) {
  const bool chunked = version >= 11;
  keep_alive = keep_alive && chunked;
  http::response<http::empty_body> header{static_cast<http::status>(response.status), version};
  set_headers(header, response, keep_alive);
  header.chunked(chunked);
  http::response_serializer<http::empty_body> serializer(header);
  co_await http::async_write_header(socket, serializer, kUseAwaitable);
  asio::steady_timer pause(socket.get_executor());
  for (size_t i = 0; i < response.events.size(); ++i) {
    if (i > 1) {
      pause.expires_after(kEventInterval);
      co_await pause.async_wait(kUseAwaitable);
    }
    const std::string& event = response.events[i];
    if (chunked) {
      co_await asio::async_write(socket, http::make_chunk(asio::buffer(event)), kUseAwaitable);
    } else {
      co_await asio::async_write(socket, asio::buffer(event), kUseAwaitable);
    }
  }
  if (chunked) {
    co_await asio::async_write(socket, http::make_chunk_last(), kUseAwaitable);
  }
}

asio::awaitable<void> write_response(tcp::socket& socket, const ApiResponse& response,
                                     unsigned version, bool& keep_alive) {
  if (!response.events.empty()) {
    co_await write_events(socket, response, version, keep_alive);
    co_return;
  }
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  set_headers(message, response, keep_alive);
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

uint64_t max_body_bytes(const std::string& path) {
  return path == "/v1/chat/completions" ? kMaxChatBodyBytes : kMaxJsonBodyBytes;
}

ApiResponse body_too_large(const std::string& path) {
  const std::string message = std::string("The request body is larger than the limit of ") +
                              (max_body_bytes(path) == kMaxChatBodyBytes ? "4" : "1") + " MiB.";
  return is_gateway_path(path) ? gateway_error(413, message) : error_response(413, message);
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
    // The unread body is still on the connection when the upload is rejected, so the
    // connection cannot carry another request.
    if (!router.is_authorized(request.authorization)) {
      keep_alive = false;
      co_return error_response(401, kAuthenticationError);
    }
    if (auto fault = router.take_fault(request.method, "/v2/upload")) {
      keep_alive = false;
      co_return *fault;
    }
    co_return co_await receive_upload(socket, buffer, header_parser, router, keep_alive);
  }
  // Beast checks Content-Length against the limit only while it reads the header, and that
  // limit was the upload's, so the smaller limit for JSON is checked here.
  const std::string path = parse_target(request.target).path;
  const uint64_t body_limit = max_body_bytes(path);
  auto content_length = header_parser.content_length();
  if (content_length && *content_length > body_limit) {
    keep_alive = false;
    co_return body_too_large(path);
  }
  http::request_parser<http::string_body> parser(std::move(header_parser));
  parser.body_limit(body_limit);
  beast::error_code error;
  co_await http::async_read(socket, buffer, parser, asio::redirect_error(kUseAwaitable, error));
  if (error == http::error::body_limit) {
    keep_alive = false;
    co_return body_too_large(path);
  }
  if (error) {
    throw beast::system_error(error);
  }
  request.body = std::move(parser.get().body());
  co_return router.handle(request);
}

}  // namespace

HttpServer::HttpServer(ApiRouter& router, TranscriptionWorker& worker, uint16_t port,
                       int64_t idle_timeout_seconds, asio::ssl::context* tls)
    : router_(router),
      worker_(worker),
      idle_timeout_seconds_(idle_timeout_seconds),
      acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)),
      tls_(tls),
      plain_acceptor_(io_),
      signals_(io_, SIGINT, SIGTERM),
      stop_grace_timer_(io_),
      last_activity_(std::chrono::steady_clock::now()) {
  if (tls_ != nullptr) {
    plain_acceptor_.open(tcp::v4());
    plain_acceptor_.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    plain_acceptor_.listen();
  }
}

uint16_t HttpServer::port() const {
  return acceptor_.local_endpoint().port();
}

std::string HttpServer::run() {
  signals_.async_wait([this](const boost::system::error_code& error, int signal_number) {
    if (!error) {
      stop(signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    }
  });
  if (tls_ != nullptr) {
    asio::co_spawn(io_, accept_tls_loop(), asio::detached);
    asio::co_spawn(io_, accept_loop(plain_acceptor_), asio::detached);
  } else {
    asio::co_spawn(io_, accept_loop(acceptor_), asio::detached);
  }
  if (idle_timeout_seconds_ > 0) {
    asio::co_spawn(io_, watch_idle(), asio::detached);
  }
  io_.run();
  for (StreamingSession* session : sessions_) {
    session->stop_worker();
  }
  return stop_reason_;
}

void HttpServer::stop(std::string reason) {
  stop_reason_ = std::move(reason);
  if (sessions_.empty()) {
    io_.stop();
    return;
  }
  stopping_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
  plain_acceptor_.close(ignored);
  for (StreamingSession* session : sessions_) {
    session->shut_down();
  }
  stop_grace_timer_.expires_after(kStreamingStopGrace);
  stop_grace_timer_.async_wait([this](const boost::system::error_code&) { io_.stop(); });
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

namespace {

// Reads part of the request body, if the request has one, then resets the connection with an
// abortive close (SO_LINGER 0), so the client gets ECONNRESET and no response. Returns
// the number of body bytes read. Nothing of the request reaches the router.
asio::awaitable<size_t> reset_connection(tcp::socket& socket, beast::flat_buffer& buffer,
                                         http::request_parser<http::empty_body>& header_parser) {
  const auto& header = header_parser.get();
  const bool has_body = header_parser.chunked() || header_parser.content_length().value_or(0) > 0;
  size_t body_bytes = buffer.size();
  if (has_body && body_bytes == 0) {
    beast::error_code error;
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go_on{http::status::continue_, header.version()};
      co_await http::async_write(socket, go_on, asio::redirect_error(kUseAwaitable, error));
    }
    // A client that never sends its body is reset after 2 s.
    asio::steady_timer deadline(socket.get_executor());
    deadline.expires_after(std::chrono::seconds(2));
    deadline.async_wait([&socket](beast::error_code wait_error) {
      if (!wait_error) {
        beast::error_code ignored;
        socket.cancel(ignored);
      }
    });
    std::array<char, 16 * 1024> scratch;
    body_bytes = co_await socket.async_read_some(asio::buffer(scratch),
                                                 asio::redirect_error(kUseAwaitable, error));
    deadline.cancel();
  }
  beast::error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
  co_return body_bytes;
}

}  // namespace

namespace {

constexpr std::chrono::seconds kTlsHandshakeTimeout{10};

// Resets a connection with an abortive close (SO_LINGER 0), so the peer gets ECONNRESET.
void abort_connection(tcp::socket& socket) {
  beast::error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

// Copies bytes from `from` to `to` until one of them fails. Returns the read error that ended
// the copy, or nullopt when a write failed.
template <typename From, typename To>
asio::awaitable<std::optional<beast::error_code>> copy_until_closed(From& from, To& to) {
  std::array<char, 16 * 1024> chunk;
  beast::error_code error;
  for (;;) {
    size_t size = co_await from.async_read_some(asio::buffer(chunk),
                                                asio::redirect_error(kUseAwaitable, error));
    if (error) {
      co_return error;
    }
    co_await asio::async_write(to, asio::buffer(chunk, size),
                               asio::redirect_error(kUseAwaitable, error));
    if (error) {
      co_return std::nullopt;
    }
  }
}

// Pumps the decrypted bytes of the TLS client into the plain connection. The client's end of
// input half-closes that connection, and a reset by the client resets it.
asio::awaitable<void> relay_to_server(std::shared_ptr<TlsRelay> relay) {
  const std::optional<beast::error_code> read_error =
      co_await copy_until_closed(relay->client, relay->server);
  if (!read_error) {
    co_return;
  }
  const beast::error_code error = *read_error;
  if (relay->server_closed) {
    co_return;
  }
  if (error == asio::error::connection_reset) {
    abort_connection(relay->server);
  } else {
    beast::error_code ignored;
    relay->server.shutdown(tcp::socket::shutdown_send, ignored);
  }
}

// Pumps the plain connection's responses to the TLS client. When the server closes the plain
// connection the client gets a TLS close_notify, and when the server resets it (a --faults reset)
// the client's connection is reset too.
asio::awaitable<void> relay_to_client(std::shared_ptr<TlsRelay> relay) {
  const std::optional<beast::error_code> read_error =
      co_await copy_until_closed(relay->server, relay->client);
  if (!read_error) {
    abort_connection(relay->server);
    co_return;
  }
  beast::error_code error = *read_error;

  relay->server_closed = true;
  if (error != asio::error::eof) {
    abort_connection(relay->client.next_layer());
    co_return;
  }
  // The pending read of the other direction would collide with the shutdown, so it is cancelled
  // first. The client gets up to 2 s to reply to the close_notify.
  beast::error_code ignored;
  relay->client.next_layer().cancel(ignored);

  asio::steady_timer deadline(relay->client.get_executor());
  deadline.expires_after(std::chrono::seconds(2));
  deadline.async_wait([relay](beast::error_code wait_error) {
    if (!wait_error) {
      beast::error_code ignored_close;
      relay->client.next_layer().close(ignored_close);
    }
  });
  co_await relay->client.async_shutdown(asio::redirect_error(kUseAwaitable, error));
  deadline.cancel();
  relay->client.next_layer().close(ignored);
}

}  // namespace

asio::awaitable<void> HttpServer::accept_loop(tcp::acceptor& acceptor) {
  for (;;) {
    tcp::socket socket = co_await acceptor.async_accept(kUseAwaitable);
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::accept_tls_loop() {
  for (;;) {
    tcp::socket socket = co_await acceptor_.async_accept(kUseAwaitable);
    asio::co_spawn(io_, relay_tls(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::relay_tls(tcp::socket socket) {
  auto relay = std::make_shared<TlsRelay>(std::move(socket), *tls_);
  beast::error_code error;
  asio::steady_timer deadline(io_);
  deadline.expires_after(kTlsHandshakeTimeout);
  deadline.async_wait([relay](beast::error_code wait_error) {
    if (!wait_error) {
      beast::error_code ignored;
      relay->client.lowest_layer().close(ignored);
    }
  });
  co_await relay->client.async_handshake(asio::ssl::stream_base::server,
                                         asio::redirect_error(kUseAwaitable, error));
  deadline.cancel();
  if (error) {
    log_line("TLS handshake failed: " + error.message());
    co_return;
  }
  co_await relay->server.async_connect(plain_acceptor_.local_endpoint(),
                                       asio::redirect_error(kUseAwaitable, error));
  if (error) {
    log_line("TLS relay could not connect to the plain listener: " + error.message());
    co_return;
  }
  asio::co_spawn(io_, relay_to_server(relay), asio::detached);
  co_await relay_to_client(relay);
}

namespace {

// Counts a request as in flight for the idle timeout until it is answered or fails.
class InFlight {
 public:
  explicit InFlight(int& count) : count_(count) { ++count_; }
  ~InFlight() { --count_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  int& count_;
};

}  // namespace

asio::awaitable<void> HttpServer::serve(tcp::socket socket) {
  beast::flat_buffer buffer;
  try {
    for (bool keep_alive = true; keep_alive;) {
      http::request_parser<http::empty_body> header_parser;
      header_parser.body_limit(kMaxUploadBytes);
      co_await http::async_read_header(socket, buffer, header_parser, kUseAwaitable);
      auto started = std::chrono::steady_clock::now();
      InFlight in_flight(in_flight_);
      std::string method(header_parser.get().method_string());
      std::string path(
          header_parser.get().target().substr(0, header_parser.get().target().find('?')));
      ConnectionFault fault = router_.connection_fault(method, path);
      if (fault.reset) {
        size_t body_bytes = co_await reset_connection(socket, buffer, header_parser);
        log_line(method + " " + path + " reset by --faults after " + std::to_string(body_bytes) +
                 " body bytes");
        co_return;
      }
      asio::steady_timer delay_timer(socket.get_executor());
      if (fault.delay.count() > 0 && websocket::is_upgrade(header_parser.get())) {
        delay_timer.expires_after(fault.delay);
        co_await delay_timer.async_wait(kUseAwaitable);
      }
      if (websocket::is_upgrade(header_parser.get())) {
        co_await serve_upgrade(std::move(socket), header_parser.release());
        co_return;
      }
      unsigned version = header_parser.get().version();
      keep_alive = header_parser.get().keep_alive();

      ApiResponse response =
          co_await receive_request(socket, buffer, header_parser, router_, keep_alive);
      if (fault.delay.count() > 0) {
        delay_timer.expires_after(fault.delay);
        co_await delay_timer.async_wait(kUseAwaitable);
      }
      beast::error_code write_error;
      try {
        co_await write_response(socket, response, version, keep_alive);
      } catch (const boost::system::system_error& error) {
        write_error = error.code();
      }
      last_activity_ = std::chrono::steady_clock::now();
      auto elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(last_activity_ - started);
      std::string outcome = write_error ? ", not delivered: " + write_error.message() : "";
      log_line(method + " " + path + " " + std::to_string(response.status) + " " +
               std::to_string(elapsed.count()) + " ms" + outcome);
      if (write_error) {
        co_return;
      }
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

namespace {

// Returns the HTTP error for an upgrade that may not open a session: another path than /v3/ws,
// or neither a valid temporary token nor an accepted key. Sets the session's maximum duration.
std::optional<ApiResponse> upgrade_rejection(const RequestTarget& target,
                                             const std::string& authorization, ApiRouter& router,
                                             int64_t& max_session_seconds) {
  if (target.path != "/v3/ws") {
    return error_response(404, "Not found");
  }
  max_session_seconds = kMaxSessionSeconds;
  auto token = target.query.find("token");
  if (token != target.query.end()) {
    std::optional<int64_t> granted = router.streaming_tokens().redeem(token->second);
    if (!granted) {
      return error_response(401, kAuthenticationError);
    }
    max_session_seconds = *granted;
    return router.take_fault("GET", target.path);
  }
  if (!router.is_authorized(authorization)) {
    return error_response(401, kAuthenticationError);
  }
  return router.take_fault("GET", target.path);
}

}  // namespace

asio::awaitable<void> HttpServer::serve_upgrade(tcp::socket socket,
                                                http::request<http::empty_body> request) {
  const auto started = std::chrono::steady_clock::now();
  const RequestTarget target = parse_target(std::string(request.target()));
  int64_t max_session_seconds = 0;
  auto rejection = upgrade_rejection(target, std::string(request[http::field::authorization]),
                                     router_, max_session_seconds);
  if (rejection) {
    bool keep_alive = false;
    co_await write_response(socket, *rejection, request.version(), keep_alive);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    log_line(std::string(request.method_string()) + " " + target.path + " " +
             std::to_string(rejection->status) + " " + std::to_string(elapsed.count()) + " ms");
    co_return;
  }

  WebSocketStream websocket(std::move(socket));
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  // Pings keep a quiet session open for as long as its inactivity_timeout allows.
  timeouts.keep_alive_pings = true;
  websocket.set_option(timeouts);
  websocket.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(http::field::server, "aai-local-server");
  }));
  beast::error_code error;
  co_await websocket.async_accept(request, asio::redirect_error(kUseAwaitable, error));
  if (error) {
    log_line("WS /v3/ws handshake failed: " + error.message());
    co_return;
  }
  StreamingParams params;
  std::string invalid_parameter;
  try {
    params = parse_streaming_params(target.query);
  } catch (const InvalidStreamingParameter& invalid) {
    invalid_parameter = invalid.what();
  }
  if (!invalid_parameter.empty()) {
    const std::string text = error_message(3006, invalid_parameter).dump();
    websocket.text(true);
    co_await websocket.async_write(asio::buffer(text), asio::redirect_error(kUseAwaitable, error));
    if (!error) {
      websocket::close_reason reason(static_cast<websocket::close_code>(3006),
                                     close_reason(invalid_parameter));
      co_await websocket.async_close(reason, asio::redirect_error(kUseAwaitable, error));
    }
    log_line("WS /v3/ws rejected: " + invalid_parameter);
    co_return;
  }
  co_await run_session(std::make_shared<StreamingSession>(std::move(websocket), std::move(params),
                                                          max_session_seconds));
}

asio::awaitable<void> HttpServer::run_session(std::shared_ptr<StreamingSession> session) {
  ++in_flight_;
  sessions_.insert(session.get());
  try {
    co_await session->run();
  } catch (const std::exception& error) {
    log_line(std::string("WS /v3/ws session failed: ") + error.what());
  }
  sessions_.erase(session.get());
  --in_flight_;
  last_activity_ = std::chrono::steady_clock::now();
  if (stopping_ && sessions_.empty()) {
    io_.stop();
  }
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
