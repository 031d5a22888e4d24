// One polling schedule for every transcript a batch waits for, so the main thread polls them all
// from one loop instead of one loop per transcript.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "poll_policy.hpp"

namespace transcribe {

/// Transcript ids by the time each is next due for a GET, each with its own PollBackoff.
class PollSchedule {
 public:
  using Clock = std::chrono::steady_clock;

  PollSchedule() = default;
  /// Gives every transcript a PollBackoff from `initial` up to `max`.
  PollSchedule(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : initial_(initial), max_(max) {}

  /// Adds `id`, due one initial backoff delay after `now`.
  void add(const std::string& id, Clock::time_point now);

  /// Removes `id` and returns the ids due at `now`, earliest first. Each returned id stays out of
  /// the schedule until reschedule or add puts it back.
  std::vector<std::string> take_due(Clock::time_point now);

  /// Puts `id` back, due after its next backoff delay.
  void reschedule(const std::string& id, Clock::time_point now);

  /// Forgets `id` and its backoff.
  void remove(const std::string& id);

  /// Returns the earliest due time, or nullopt when nothing is scheduled.
  std::optional<Clock::time_point> next_due() const;

  /// Returns how many ids are scheduled.
  size_t size() const { return due_.size(); }

 private:
  std::chrono::milliseconds initial_ = PollBackoff::kInitial;
  std::chrono::milliseconds max_ = PollBackoff::kMax;
  std::multimap<Clock::time_point, std::string> due_;
  std::map<std::string, PollBackoff> backoff_;
};

}  // namespace transcribe
