// The session loop: paces audio frames to real time, handles server messages between them, and
// ends the session with Terminate.
#pragma once

#include <aai/plugin.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audio_source.hpp"
#include "clock.hpp"
#include "server_messages.hpp"
#include "stream_connection.hpp"

namespace streaming {

struct SessionConfig {
  /// Rate of the source's samples, in Hz. A frame contains 100 ms of them.
  int sample_rate = 16000;
  /// Whether frames are sent as G.711 mu-law instead of PCM16LE.
  bool mulaw = false;
  /// Maximum wait of one receive call between frames.
  std::chrono::milliseconds poll_interval{20};
  /// Time the service has after Terminate to send Termination and close. The bound is generous
  /// because a busy service, or the local emulator on a loaded machine, may still be recognising
  /// queued audio.
  std::chrono::milliseconds end_timeout{30000};
  /// The same after Ctrl-C or SIGTERM, shorter because the user is waiting to get out.
  std::chrono::milliseconds interrupt_timeout{5000};
  /// Returns whether the user asked to stop (Ctrl-C or SIGTERM).
  std::function<bool()> interrupted = [] { return false; };
  /// Called with each frame's samples (padding included) right after it was sent.
  std::function<void(const int16_t*, size_t)> on_frame_sent;
};

enum class SessionEnd {
  /// The audio ran out and the service confirmed the end with Termination or a normal close.
  kInputEnded,
  /// The service ended the session normally on its own, for example after inactivity_timeout.
  kServerEnded,
  kInterrupted,
};

struct SessionSummary {
  SessionEnd end = SessionEnd::kInputEnded;
  double audio_seconds = 0;
  int finalised_turns = 0;
};

/// Formats seconds with one decimal: "12.4".
std::string one_decimal(double value);

/// Returns "1 turn finalised" or "N turns finalised".
std::string finalised_phrase(int turns);

class StreamSession {
 public:
  StreamSession(aai::Host host, StreamConnection& connection, AudioSource& source, Clock& clock,
                ServerMessages& messages, SessionConfig config);

  /// Streams the source until it ends, the service ends the session or the user interrupts,
  /// starting with `pending`: samples read before the connection opened. Throws aai::Error for
  /// a rejected key (exit 4) and for a dropped connection (exit 1, connection_error). Any other
  /// abnormal close or server Error, a service that does not end the session in time, and a
  /// source that failed while reading also throw (exit 1).
  SessionSummary run(std::vector<int16_t> pending);

 private:
  void stream_audio(std::vector<int16_t>& pending);
  void send_frame(std::vector<int16_t>& pending, size_t count);
  void wait_until(std::chrono::steady_clock::time_point due);
  void poll(std::chrono::milliseconds timeout);
  /// Runs `send`; when it throws, waits briefly for the close event and returns false.
  bool send_or_note_failure(const std::function<void()>& send);
  void finish_session();
  void throw_if_failed() const;
  std::chrono::steady_clock::time_point due_time(uint64_t samples) const;
  double seconds_sent() const;
  bool should_stop();

  aai::Host host_;
  StreamConnection& connection_;
  AudioSource& source_;
  Clock& clock_;
  ServerMessages& messages_;
  SessionConfig config_;
  size_t frame_samples_;
  size_t min_frame_samples_;

  std::chrono::steady_clock::time_point start_;
  uint64_t samples_sent_ = 0;
  bool input_ended_ = false;
  bool interrupted_ = false;
  bool closed_ = false;
  bool terminate_sent_ = false;
  int close_code_ = 0;
  std::string close_reason_;
  AudioFailure source_failure_;
};

}  // namespace streaming
