// One /v3/ws session on the Asio thread: reads frames, checks them, hands audio to the worker
// and writes the worker's messages back.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "server/session_worker.hpp"
#include "server/streaming_params.hpp"

namespace aai::local {

using WebSocketStream = boost::beast::websocket::stream<boost::asio::ip::tcp::socket>;

class StreamingSession : public std::enable_shared_from_this<StreamingSession> {
 public:
  /// `websocket` has completed the handshake. The session may last `max_session_seconds`.
  StreamingSession(WebSocketStream websocket, StreamingParams params, int64_t max_session_seconds);
  ~StreamingSession();

  /// Runs the session until the connection closes, then logs one line about it.
  boost::asio::awaitable<void> run();

  /// Closes the session with code 1001 because the server is stopping.
  void shut_down();

  /// Joins the recognition thread. The server calls it for sessions still open when its
  /// io_context has stopped, so no thread posts to an io_context that is being destroyed.
  void stop_worker();

 private:
  struct Outgoing {
    std::string text;
    // Set on the last item: the close frame to send after the text, if any.
    std::optional<boost::beast::websocket::close_reason> close;
  };

  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> watch_deadlines();
  void handle_audio(std::string frame);
  void handle_text(const std::string& text);
  void send(const nlohmann::json& message);
  void close_with(uint16_t code, const std::string& reason);
  void fail(int code, const std::string& message);
  void start_finish(std::string how);
  void on_finished();
  void start_worker();
  double session_seconds() const;

  WebSocketStream websocket_;
  StreamingParams params_;
  std::string id_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point expires_;
  std::chrono::steady_clock::time_point last_audio_;
  int64_t expires_at_unix_ = 0;
  std::deque<Outgoing> outgoing_;
  boost::asio::steady_timer wake_writer_;
  boost::asio::steady_timer deadline_timer_;
  double audio_seconds_ = 0.0;
  int64_t final_turns_ = 0;
  // Set once a close is queued or Terminate has arrived; later audio is ignored.
  bool closing_ = false;
  bool finishing_ = false;
  bool connection_done_ = false;
  std::string ended_how_ = "connection lost";
  std::unique_ptr<SessionWorker> worker_;
};

}  // namespace aai::local
