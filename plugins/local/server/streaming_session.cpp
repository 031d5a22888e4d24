#include "server/streaming_session.hpp"

#include <cmath>
#include <cstdio>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "server/server_log.hpp"
#include "server/turn_messages.hpp"

namespace aai::local {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

constexpr auto kUseAwaitable = asio::use_awaitable;
constexpr double kMinFrameMs = 50.0;
constexpr double kMaxFrameMs = 1000.0;
// Audio may arrive at most this much faster than real time, plus the slack, so a client that
// does not pace its audio is caught.
constexpr double kMaxRateFactor = 1.5;
constexpr double kRateSlackSeconds = 2.0;
constexpr std::chrono::milliseconds kDeadlineCheckInterval{200};
// How much of a bad text message an Invalid JSON error quotes.
constexpr size_t kQuotedTextBytes = 60;

std::string new_session_id() {
  static thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

std::string one_decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

}  // namespace

StreamingSession::StreamingSession(WebSocketStream websocket, StreamingParams params,
                                   int64_t max_session_seconds)
    : websocket_(std::move(websocket)),
      params_(std::move(params)),
      id_(new_session_id()),
      started_(std::chrono::steady_clock::now()),
      expires_(started_ + std::chrono::seconds(max_session_seconds)),
      last_audio_(started_),
      wake_writer_(websocket_.get_executor()),
      deadline_timer_(websocket_.get_executor()) {
  const auto now_unix = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  expires_at_unix_ = now_unix.count() + max_session_seconds;
}

StreamingSession::~StreamingSession() = default;

asio::awaitable<void> StreamingSession::run() {
  auto self = shared_from_this();
  auto executor = websocket_.get_executor();
  asio::co_spawn(
      executor, [self]() -> asio::awaitable<void> { co_await self->write_loop(); }, asio::detached);
  asio::co_spawn(
      executor, [self]() -> asio::awaitable<void> { co_await self->watch_deadlines(); },
      asio::detached);
  send(begin_message(id_, expires_at_unix_));
  start_worker();

  beast::flat_buffer buffer;
  for (;;) {
    beast::error_code error;
    co_await websocket_.async_read(buffer, asio::redirect_error(kUseAwaitable, error));
    if (error) {
      break;
    }
    std::string data = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    if (closing_) {
      continue;
    }
    if (websocket_.got_binary()) {
      handle_audio(std::move(data));
    } else {
      handle_text(data);
    }
  }
  connection_done_ = true;
  wake_writer_.cancel();
  deadline_timer_.cancel();
  stop_worker();
  log_line("WS /v3/ws session " + id_ + " ended (" + ended_how_ +
           "): " + one_decimal(audio_seconds_) + " s of audio, " + std::to_string(final_turns_) +
           " turns, " + one_decimal(session_seconds()) + " s");
}

void StreamingSession::shut_down() {
  if (!closing_) {
    ended_how_ = "server stopping";
    close_with(websocket::close_code::going_away, "The server is shutting down.");
  }
}

void StreamingSession::stop_worker() {
  // Joins the worker thread. It checks for a stop between audio frames, so this waits for at
  // most one frame's recognition, or for the model load when the session ends while it loads.
  worker_.reset();
}

asio::awaitable<void> StreamingSession::write_loop() {
  while (!connection_done_) {
    if (outgoing_.empty()) {
      wake_writer_.expires_at(std::chrono::steady_clock::time_point::max());
      beast::error_code ignored;
      co_await wake_writer_.async_wait(asio::redirect_error(kUseAwaitable, ignored));
      continue;
    }
    Outgoing item = std::move(outgoing_.front());
    outgoing_.pop_front();
    beast::error_code error;
    if (!item.text.empty()) {
      websocket_.text(true);
      co_await websocket_.async_write(asio::buffer(item.text),
                                      asio::redirect_error(kUseAwaitable, error));
    }
    if (error) {
      co_return;
    }
    if (item.close) {
      co_await websocket_.async_close(*item.close, asio::redirect_error(kUseAwaitable, error));
      co_return;
    }
  }
}

asio::awaitable<void> StreamingSession::watch_deadlines() {
  while (!connection_done_) {
    deadline_timer_.expires_after(kDeadlineCheckInterval);
    beast::error_code ignored;
    co_await deadline_timer_.async_wait(asio::redirect_error(kUseAwaitable, ignored));
    if (connection_done_ || closing_) {
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= expires_) {
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(expires_ - started_);
      fail(3008, "Session Expired: Maximum session duration of " + std::to_string(seconds.count()) +
                     " seconds exceeded");
    } else if (params_.inactivity_timeout_seconds && !finishing_ &&
               now - last_audio_ >= std::chrono::seconds(*params_.inactivity_timeout_seconds)) {
      start_finish("inactivity timeout");
    }
  }
}

void StreamingSession::handle_audio(std::string frame) {
  if (finishing_) {
    return;
  }
  const double samples = static_cast<double>(frame.size() / params_.bytes_per_sample());
  const double frame_ms = 1000.0 * samples / params_.sample_rate;
  if (frame_ms < kMinFrameMs || frame_ms > kMaxFrameMs) {
    fail(3007, "Input duration violation: " + std::to_string(static_cast<int64_t>(frame_ms)) +
                   " ms. Expected between 50 and 1000 ms");
    return;
  }
  audio_seconds_ += frame_ms / 1000.0;
  last_audio_ = std::chrono::steady_clock::now();
  const double elapsed = session_seconds();
  if (audio_seconds_ > kMaxRateFactor * elapsed + kRateSlackSeconds) {
    fail(3007, "Audio Transmission Rate Exceeded: Received " + one_decimal(audio_seconds_) +
                   " sec. audio in " + one_decimal(elapsed) + " sec");
    return;
  }
  worker_->add_audio(std::move(frame));
}

void StreamingSession::handle_text(const std::string& text) {
  const nlohmann::json message = nlohmann::json::parse(text, nullptr, false);
  if (message.is_discarded()) {
    fail(3006, "Invalid JSON: " + text.substr(0, kQuotedTextBytes));
    return;
  }
  if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) {
    fail(3006, "Invalid Message: expected a JSON object with a string \"type\" field");
    return;
  }
  const std::string type = message["type"].get<std::string>();
  if (type == "Terminate") {
    start_finish("Terminate");
  } else if (type == "ForceEndpoint") {
    if (!finishing_) {
      worker_->force_endpoint();
    }
  } else if (type == "UpdateConfiguration") {
    try {
      apply_turn_update(message, params_.turn_settings);
      worker_->update_turn_settings(params_.turn_settings);
    } catch (const InvalidStreamingParameter& error) {
      fail(3006, error.what());
    }
  } else {
    fail(3006, "Invalid Message Type: " + type);
  }
}

void StreamingSession::send(const nlohmann::json& message) {
  outgoing_.push_back(Outgoing{message.dump(), std::nullopt});
  wake_writer_.cancel();
}

void StreamingSession::close_with(uint16_t code, const std::string& reason) {
  closing_ = true;
  outgoing_.push_back(Outgoing{
      "", websocket::close_reason(static_cast<websocket::close_code>(code), close_reason(reason))});
  wake_writer_.cancel();
}

void StreamingSession::fail(int code, const std::string& message) {
  if (closing_) {
    return;
  }
  ended_how_ = "error " + std::to_string(code) + ": " + message;
  send(error_message(code, message));
  close_with(static_cast<uint16_t>(code), message);
}

void StreamingSession::start_finish(std::string how) {
  if (finishing_) {
    return;
  }
  finishing_ = true;
  ended_how_ = std::move(how);
  worker_->finish();
}

void StreamingSession::on_finished() {
  if (closing_) {
    return;
  }
  send(termination_message(std::llround(audio_seconds_), std::llround(session_seconds())));
  close_with(websocket::close_code::normal, "");
}

void StreamingSession::start_worker() {
  std::weak_ptr<StreamingSession> weak = weak_from_this();
  auto executor = websocket_.get_executor();
  SessionWorkerEvents events{
      [weak, executor](nlohmann::json message) {
        asio::post(executor, [weak, message = std::move(message)] {
          auto self = weak.lock();
          if (!self || self->closing_) {
            return;
          }
          if (message["end_of_turn"] == true && message["turn_is_formatted"] == false) {
            ++self->final_turns_;
          }
          self->send(message);
        });
      },
      [weak, executor] {
        asio::post(executor, [weak] {
          if (auto self = weak.lock()) {
            self->on_finished();
          }
        });
      },
      [weak, executor](std::string error) {
        asio::post(executor, [weak, error = std::move(error)] {
          if (auto self = weak.lock()) {
            self->fail(3005, "Session Cancelled: " + error);
          }
        });
      }};
  worker_ = std::make_unique<SessionWorker>(params_, std::move(events));
}

double StreamingSession::session_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

}  // namespace aai::local
