// The time source of the session's pacing, replaceable in tests.
#pragma once

#include <chrono>

namespace streaming {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() = 0;
};

class SteadyClock : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
};

}  // namespace streaming
