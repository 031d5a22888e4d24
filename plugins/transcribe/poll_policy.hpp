// When to ask the service again about a queued or processing transcript.
#pragma once

#include <chrono>
#include <functional>

namespace transcribe {

/// Delays between polls: 500 ms first, then 1.5 times the previous one, at most 3 s.
class PollBackoff {
 public:
  static constexpr std::chrono::milliseconds kInitial{500};
  static constexpr std::chrono::milliseconds kMax{3000};

  PollBackoff() = default;
  /// Starts at `initial` and grows to at most `max`; tests shorten both.
  PollBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : next_(initial), max_(max) {}

  /// Returns the delay before the next poll and grows the one after it.
  std::chrono::milliseconds next_delay();

 private:
  std::chrono::milliseconds next_ = kInitial;
  std::chrono::milliseconds max_ = kMax;
};

/// The first and the maximum delay between polls of each transcript in a batch.
struct PollDelays {
  std::chrono::milliseconds initial = PollBackoff::kInitial;
  std::chrono::milliseconds max = PollBackoff::kMax;
};

/// The delays a batch polls with. Tests shorten them to run without waiting.
PollDelays& batch_poll_delays();

/// Waits `delay`. Returns false as soon as `is_interrupted` returns true, else true.
using SleepFunction = std::function<bool(std::chrono::milliseconds delay,
                                         const std::function<bool()>& is_interrupted)>;

/// The sleep the polling loop uses. Tests replace it to run without waiting and to record delays.
SleepFunction& poll_sleep();

/// Sleeps in slices of at most 100 ms, checking `is_interrupted` between them.
bool sleep_unless_interrupted(std::chrono::milliseconds delay,
                              const std::function<bool()>& is_interrupted);

}  // namespace transcribe
