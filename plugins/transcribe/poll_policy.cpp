#include "poll_policy.hpp"

#include <algorithm>
#include <thread>

namespace transcribe {

std::chrono::milliseconds PollBackoff::next_delay() {
  const std::chrono::milliseconds current = next_;
  next_ = std::min(max_, std::chrono::milliseconds(next_.count() * 3 / 2));
  return current;
}

PollDelays& batch_poll_delays() {
  static PollDelays delays;
  return delays;
}

SleepFunction& poll_sleep() {
  static SleepFunction sleep = &sleep_unless_interrupted;
  return sleep;
}

bool sleep_unless_interrupted(std::chrono::milliseconds delay,
                              const std::function<bool()>& is_interrupted) {
  constexpr std::chrono::milliseconds kSlice{100};
  while (delay.count() > 0) {
    if (is_interrupted()) {
      return false;
    }
    const std::chrono::milliseconds step = std::min(delay, kSlice);
    std::this_thread::sleep_for(step);
    delay -= step;
  }
  return !is_interrupted();
}

}  // namespace transcribe
