// Fakes shared by the streaming plugin's tests: a clock, a scripted connection, a source of
// samples and a fixture that runs `aai stream` against the fake host.
#pragma once

#include <aai/plugin.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <string>
#include <vector>

#include "audio_backend.hpp"
#include "clock.hpp"
#include "fake_host.hpp"
#include "stream_command.hpp"
#include "stream_connection.hpp"

extern "C" streaming::AudioBackend* aai_stream_audio_create_backend() noexcept;

namespace streaming::testing {

/// A clock that advances only when a test calls advance.
class FakeClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return now_; }
  void advance(std::chrono::milliseconds step) { now_ += step; }
  /// Milliseconds since the clock was created.
  long long elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now_ - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_{std::chrono::hours(1)};
  std::chrono::steady_clock::time_point now_{start_};
};

/// A StreamConnection whose server events are scripted. An event waits until the client has
/// sent a given number of messages. A receive with nothing due advances the clock by its
/// timeout, as a real wait would.
class ScriptedConnection : public StreamConnection {
 public:
  explicit ScriptedConnection(FakeClock& clock) : clock_(clock) {}

  struct SentAudio {
    long long at_ms;
    std::string bytes;
  };

  void text_after(size_t sent_messages, std::string text) {
    aai::WebSocketEvent event;
    event.kind = aai::WebSocketEvent::Kind::kText;
    event.data = std::move(text);
    events_.push_back({sent_messages, event});
  }

  void close_after(size_t sent_messages, int code, std::string reason) {
    aai::WebSocketEvent event;
    event.kind = aai::WebSocketEvent::Kind::kClosed;
    event.close_code = code;
    event.close_reason = std::move(reason);
    events_.push_back({sent_messages, event});
  }

  /// Queues a text message that is due once the client has sent Terminate.
  void text_after_terminate(std::string text) { text_after(kAfterTerminate, std::move(text)); }

  /// Queues a close that is due once the client has sent Terminate.
  void close_after_terminate(int code) { close_after(kAfterTerminate, code, ""); }

  void send_audio(const std::string& bytes) override {
    check_send();
    audio.push_back({clock_.elapsed_ms(), bytes});
    order.push_back("audio");
  }

  void send_text(const std::string& text) override {
    check_send();
    texts.push_back(text);
    order.push_back(text);
  }

  aai::WebSocketEvent receive(std::chrono::milliseconds timeout) override {
    if (final_event_) {
      return *final_event_;
    }
    if (!events_.empty() && is_due(events_.front().first)) {
      aai::WebSocketEvent event = events_.front().second;
      events_.pop_front();
      if (event.kind == aai::WebSocketEvent::Kind::kClosed) {
        final_event_ = event;
      }
      return event;
    }
    clock_.advance(timeout);
    return {};
  }

  void close() override { ++closes; }

  std::vector<SentAudio> audio;
  std::vector<std::string> texts;
  /// "audio" for each frame and the text of each text message, in the order sent.
  std::vector<std::string> order;
  int closes = 0;
  /// Sends with this number (1-based) and later throw; 0 means never.
  size_t fail_send_from = 0;

 private:
  static constexpr size_t kAfterTerminate = static_cast<size_t>(-1);

  bool is_due(size_t after) const {
    if (after == kAfterTerminate) {
      return std::find(texts.begin(), texts.end(), R"({"type":"Terminate"})") != texts.end();
    }
    return order.size() >= after;
  }

  void check_send() {
    if (fail_send_from > 0 && order.size() + 1 >= fail_send_from) {
      throw aai::Error(AAI_EXIT_FAILURE, "connection_error", "Broken pipe");
    }
  }

  FakeClock& clock_;
  std::deque<std::pair<size_t, aai::WebSocketEvent>> events_;
  std::optional<aai::WebSocketEvent> final_event_;
};

/// A file-like source: every sample is available at once.
class VectorSource : public AudioSource {
 public:
  VectorSource(std::vector<int16_t> samples, int sample_rate, size_t block = 1600)
      : samples_(std::move(samples)), sample_rate_(sample_rate), block_(block) {}

  int sample_rate() const override { return sample_rate_; }
  void start(AudioFailure&) override {}
  ReadStatus read(std::vector<int16_t>& out, std::chrono::milliseconds,
                  AudioFailure& failure) override {
    if (position_ >= samples_.size() || stopped_) {
      if (fail_at_end) {
        failure = {AAI_EXIT_FAILURE, "audio_input_error", "The fake source failed.", ""};
      }
      return ReadStatus::kEnd;
    }
    const size_t count = std::min(block_, samples_.size() - position_);
    out.insert(out.end(), samples_.begin() + static_cast<std::ptrdiff_t>(position_),
               samples_.begin() + static_cast<std::ptrdiff_t>(position_ + count));
    position_ += count;
    return ReadStatus::kSamples;
  }
  void stop() override { stopped_ = true; }

  bool fail_at_end = false;

 private:
  std::vector<int16_t> samples_;
  int sample_rate_;
  size_t block_;
  size_t position_ = 0;
  bool stopped_ = false;
};

/// Returns `count` samples of a ramp, so frames differ from each other.
inline std::vector<int16_t> ramp(size_t count) {
  std::vector<int16_t> samples(count);
  for (size_t i = 0; i < count; ++i) {
    samples[i] = static_cast<int16_t>(i % 1000);
  }
  return samples;
}

/// Returns the little-endian bytes of `samples`.
inline std::string pcm_bytes(const std::vector<int16_t>& samples) {
  std::string bytes;
  for (const int16_t sample : samples) {
    const auto value = static_cast<uint16_t>(sample);
    bytes += static_cast<char>(value & 0xFF);
    bytes += static_cast<char>(value >> 8);
  }
  return bytes;
}

inline std::string turn_json(int order, const std::string& text, bool end_of_turn, bool formatted,
                             const std::string& speaker = "") {
  nlohmann::json turn = {{"type", "Turn"},
                         {"turn_order", order},
                         {"turn_is_formatted", formatted},
                         {"end_of_turn", end_of_turn},
                         {"transcript", text},
                         {"end_of_turn_confidence", 0.9},
                         {"words", nlohmann::json::array()}};
  if (!speaker.empty()) {
    turn["speaker_label"] = speaker;
  }
  return turn.dump();
}

inline const char* kBegin = R"({"type":"Begin","id":"session-1","expires_at":1700000000})";
inline const char* kTermination =
    R"({"type":"Termination","audio_duration_seconds":1,"session_duration_seconds":2})";

/// Runs `aai stream` through the fake host with a fake clock, the real audio backend linked
/// into the test, and stdin read from a pipe the test fills.
class StreamCommandTest : public ::testing::Test {
 protected:
  StreamCommandTest();
  ~StreamCommandTest() override;

  /// Runs the command with these options and arguments; the failure, if any, lands in failure.
  int run(std::map<std::string, std::vector<std::string>> options,
          std::vector<std::string> arguments);

  /// Reads the settings the options give, without streaming; nullopt when they are rejected
  /// (the failure then lands in failure).
  std::optional<StreamSettings> settings_for(
      std::map<std::string, std::vector<std::string>> options,
      std::vector<std::string> arguments = {"-"});

  /// Writes `bytes` to the pipe behind stdin and closes it.
  void feed_stdin(const std::string& bytes);

  aai::testing::FakeHost host;
  aai::testing::FakeRegistrar registrar;
  FakeClock clock;
  StreamEnvironment environment;
  std::optional<aai::testing::RecordedFailure> failure;
  std::unique_ptr<AudioBackend> backend;
  int stdin_pipe[2] = {-1, -1};

 private:
  int run_body(std::map<std::string, std::vector<std::string>> options,
               std::vector<std::string> arguments, aai::RunFunction body);
};

}  // namespace streaming::testing
