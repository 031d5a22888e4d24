#include "poll_schedule.hpp"

#include <iterator>

namespace transcribe {

void PollSchedule::add(const std::string& id, Clock::time_point now) {
  backoff_.insert_or_assign(id, PollBackoff(initial_, max_));
  reschedule(id, now);
}

std::vector<std::string> PollSchedule::take_due(Clock::time_point now) {
  std::vector<std::string> due;
  while (!due_.empty() && due_.begin()->first <= now) {
    due.push_back(due_.begin()->second);
    due_.erase(due_.begin());
  }
  return due;
}

void PollSchedule::reschedule(const std::string& id, Clock::time_point now) {
  due_.emplace(now + backoff_[id].next_delay(), id);
}

void PollSchedule::remove(const std::string& id) {
  backoff_.erase(id);
  for (auto it = due_.begin(); it != due_.end();) {
    it = it->second == id ? due_.erase(it) : std::next(it);
  }
}

std::optional<PollSchedule::Clock::time_point> PollSchedule::next_due() const {
  if (due_.empty()) {
    return std::nullopt;
  }
  return due_.begin()->first;
}

}  // namespace transcribe
