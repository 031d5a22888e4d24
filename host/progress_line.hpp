// The one progress line on stderr, redrawn in place with '\r'.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace aai::host {

/// Formats "LABEL  45% (1.2 MB of 2.6 MB)  3s", or "LABEL  1.2 MB  3s" when `total` is 0.
std::string format_progress(const std::string& label, uint64_t done, uint64_t total,
                            std::chrono::seconds elapsed);

/// Formats a byte count in decimal (SI) units: "950 B", "1.2 kB", "3.4 MB", "1.0 GB".
std::string format_bytes(uint64_t bytes);

class ProgressLine {
 public:
  /// `enabled` is false when stderr is not a terminal or --quiet or --json is on; every call is
  /// then a no-op.
  ProgressLine(std::ostream& stream, bool enabled);

  void set_enabled(bool enabled) { enabled_ = enabled; }

  void update(const std::string& label, uint64_t done, uint64_t total);
  void clear();

 private:
  using Clock = std::chrono::steady_clock;

  std::ostream& stream_;
  bool enabled_;
  std::optional<Clock::time_point> started_;
  Clock::time_point last_draw_{};
  size_t drawn_width_ = 0;
};

}  // namespace aai::host
