// The emulator's HTTP/1.1 server on 127.0.0.1: Boost.Beast on one Asio thread with coroutines.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>, which g++ 12
// no longer pulls in through other headers.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>

#include "server/api_router.hpp"
#include "server/streaming_session.hpp"
#include "server/transcription_worker.hpp"

namespace aai::local {

/// Largest upload body, in bytes. Uploads stream to a file, so this bounds disk use only.
constexpr uint64_t kMaxUploadBytes = 8ULL << 30;

/// Largest body of any other request, in bytes; transcript requests are small JSON objects.
constexpr uint64_t kMaxJsonBodyBytes = 1ULL << 20;

/// Pause between the chunks of a streamed (server-sent events) response, after the first event
/// and the first chunk.
constexpr std::chrono::milliseconds kEventInterval{15};

/// How long a stop waits for open streaming sessions to close.
constexpr std::chrono::seconds kStreamingStopGrace{2};

class HttpServer {
 public:
  /// Binds 127.0.0.1:`port` (0 picks a free port); throws boost::system::system_error when the
  /// port cannot be bound.
  /// With `tls`, the port speaks HTTPS and WSS: each TLS connection is decrypted and relayed to
  /// a second, internal listener on 127.0.0.1 that serves plain HTTP. `tls` must outlive the
  /// server.
  HttpServer(ApiRouter& router, TranscriptionWorker& worker, uint16_t port,
             int64_t idle_timeout_seconds, boost::asio::ssl::context* tls = nullptr);

  /// Returns the bound port.
  uint16_t port() const;

  /// Serves until SIGINT, SIGTERM or the idle timeout, and returns which one stopped it. Open
  /// streaming sessions count as activity; on a signal they are closed with code 1001 and get
  /// up to kStreamingStopGrace to finish the closing handshake.
  std::string run();

 private:
  boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor);
  boost::asio::awaitable<void> accept_tls_loop();
  boost::asio::awaitable<void> relay_tls(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> watch_idle();
  boost::asio::awaitable<void> serve_upgrade(
      boost::asio::ip::tcp::socket socket,
      boost::beast::http::request<boost::beast::http::empty_body> request);
  boost::asio::awaitable<void> run_session(std::shared_ptr<StreamingSession> session);
  void stop(std::string reason);

  ApiRouter& router_;
  TranscriptionWorker& worker_;
  int64_t idle_timeout_seconds_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ssl::context* tls_;
  // With TLS, the plain listener that the relay connects to; closed otherwise.
  boost::asio::ip::tcp::acceptor plain_acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer stop_grace_timer_;
  std::set<StreamingSession*> sessions_;
  bool stopping_ = false;
  int in_flight_ = 0;
  std::chrono::steady_clock::time_point last_activity_;
  std::string stop_reason_;
};

}  // namespace aai::local
