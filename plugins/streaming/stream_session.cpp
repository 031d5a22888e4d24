#include "stream_session.hpp"

#include <algorithm>
#include <cstdio>

#include "audio_encoding.hpp"

namespace streaming {
namespace {

using std::chrono::milliseconds;

constexpr int kNormalClose = 1000;
constexpr int kAbnormalClose = 1006;
constexpr int kPolicyViolation = 1008;
// How long to wait for the close event after a send failed, to learn the close code.
constexpr milliseconds kCloseAfterSendFailure{1000};

}  // namespace

std::string one_decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string finalised_phrase(int turns) {
  return std::to_string(turns) + (turns == 1 ? " turn" : " turns") + " finalised";
}

StreamSession::StreamSession(aai::Host host, StreamConnection& connection, AudioSource& source,
                             Clock& clock, ServerMessages& messages, SessionConfig config)
    : host_(host),
      connection_(connection),
      source_(source),
      clock_(clock),
      messages_(messages),
      config_(std::move(config)),
      frame_samples_(static_cast<size_t>(std::max(config_.sample_rate / 10, 1))),
      min_frame_samples_(static_cast<size_t>(std::max(config_.sample_rate / 20, 1))) {}

SessionSummary StreamSession::run(std::vector<int16_t> pending) {
  start_ = clock_.now();
  stream_audio(pending);
  source_.stop();
  finish_session();
  messages_.flush_held_turn();

  SessionSummary summary{SessionEnd::kInputEnded, seconds_sent(), messages_.finalised_turns()};
  if (interrupted_) {
    summary.end = SessionEnd::kInterrupted;
    return summary;
  }
  throw_if_failed();
  if (!terminate_sent_) {
    summary.end = SessionEnd::kServerEnded;
    host_.info("The streaming service ended the session (code " + std::to_string(close_code_) +
               ")");
  }
  return summary;
}

bool StreamSession::should_stop() {
  interrupted_ = interrupted_ || config_.interrupted();
  return interrupted_ || closed_;
}

void StreamSession::stream_audio(std::vector<int16_t>& pending) {
  while (!should_stop()) {
    ReadStatus status = ReadStatus::kSamples;
    if (!input_ended_ && pending.size() < frame_samples_) {
      status = source_.read(pending, milliseconds(0), source_failure_);
      input_ended_ = status == ReadStatus::kEnd;
    }
    if (pending.size() >= frame_samples_ || (input_ended_ && !pending.empty())) {
      send_frame(pending, std::min(pending.size(), frame_samples_));
    } else if (input_ended_) {
      return;
    } else if (status == ReadStatus::kPending) {
      poll(config_.poll_interval);
    }
  }
}

void StreamSession::send_frame(std::vector<int16_t>& pending, size_t count) {
  std::vector<int16_t> frame(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(count));
  // The service rejects frames shorter than 50 ms, so a short last frame gets trailing silence.
  if (frame.size() < min_frame_samples_) {
    frame.resize(min_frame_samples_, 0);
  }
  wait_until(due_time(samples_sent_ + frame.size()));
  if (should_stop()) {
    return;
  }
  const bool sent = send_or_note_failure(
      [&] { connection_.send_audio(encode_frame(frame.data(), frame.size(), config_.mulaw)); });
  if (!sent) {
    return;
  }
  pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(count));
  samples_sent_ += frame.size();
  if (config_.on_frame_sent) {
    config_.on_frame_sent(frame.data(), frame.size());
  }
}

// A frame may leave only once the audio sent so far, itself included, is no longer than the time
// since the session started: the service rejects audio that arrives faster than real time.
std::chrono::steady_clock::time_point StreamSession::due_time(uint64_t samples) const {
  const std::chrono::duration<double> offset(static_cast<double>(samples) / config_.sample_rate);
  return start_ + std::chrono::ceil<std::chrono::steady_clock::duration>(offset);
}

void StreamSession::wait_until(std::chrono::steady_clock::time_point due) {
  for (auto now = clock_.now(); now < due && !should_stop(); now = clock_.now()) {
    const auto left = std::chrono::ceil<milliseconds>(due - now);
    poll(std::min(left, config_.poll_interval));
  }
}

void StreamSession::poll(milliseconds timeout) {
  const aai::WebSocketEvent event = connection_.receive(timeout);
  switch (event.kind) {
    case aai::WebSocketEvent::Kind::kText:
      messages_.handle(event.data);
      break;
    case aai::WebSocketEvent::Kind::kClosed:
      closed_ = true;
      close_code_ = event.close_code;
      close_reason_ = event.close_reason;
      break;
    case aai::WebSocketEvent::Kind::kBinary:
    case aai::WebSocketEvent::Kind::kTimeout:
      break;
  }
}

bool StreamSession::send_or_note_failure(const std::function<void()>& send) {
  try {
    send();
    return true;
  } catch (const aai::Error& error) {
    // The close event, when it comes, carries the service's code and reason. Without it the
    // connection counts as dropped, with the send error as the reason.
    const auto deadline = clock_.now() + kCloseAfterSendFailure;
    while (!closed_ && clock_.now() < deadline) {
      poll(config_.poll_interval);
    }
    if (!closed_) {
      closed_ = true;
      close_code_ = kAbnormalClose;
      close_reason_ = error.what();
    }
    return false;
  }
}

void StreamSession::finish_session() {
  if (closed_) {
    return;
  }
  send_or_note_failure([this] { connection_.send_text(R"({"type":"Terminate"})"); });
  terminate_sent_ = true;
  const auto deadline =
      clock_.now() + (interrupted_ ? config_.interrupt_timeout : config_.end_timeout);
  while (!closed_ && clock_.now() < deadline) {
    poll(config_.poll_interval);
  }
  if (!closed_ && !messages_.termination_received() && !interrupted_) {
    throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                     "The streaming service did not end the session within " +
                         std::to_string(config_.end_timeout.count() / 1000) +
                         " s after the last audio.",
                     "The transcript above may be incomplete; run the command again.");
  }
  if (!closed_) {
    connection_.close();
  }
}

void StreamSession::throw_if_failed() const {
  const auto& server_error = messages_.error();
  const bool abnormal = closed_ && close_code_ != kNormalClose;
  if (abnormal || server_error) {
    const int code = abnormal || !server_error ? close_code_ : server_error->code;
    std::string reason = close_reason_;
    if (server_error && !server_error->message.empty()) {
      reason = server_error->message;
    }
    reason = reason.empty() ? "no reason given" : reason;
    if (code == kPolicyViolation) {
      throw aai::Error(AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated",
                       "The streaming service rejected the key: " + reason,
                       "Check the key, or run `aai login` to get a new one.");
    }
    if (code == kAbnormalClose) {
      throw aai::Error(AAI_EXIT_FAILURE, "connection_error",
                       "The connection to the streaming service dropped after " +
                           one_decimal(seconds_sent()) + " s of audio (" +
                           finalised_phrase(messages_.finalised_turns()) + "): " + reason + ".",
                       "Check the network connection, then run the command again.");
    }
    throw aai::Error(
        AAI_EXIT_FAILURE, "api_error",
        "The streaming service closed the session (code " + std::to_string(code) + "): " + reason,
        "");
  }
  if (source_failure_.failed()) {
    throw aai::Error(source_failure_.exit_code, source_failure_.type, source_failure_.message,
                     source_failure_.suggestion);
  }
}

double StreamSession::seconds_sent() const {
  return static_cast<double>(samples_sent_) / config_.sample_rate;
}

}  // namespace streaming
