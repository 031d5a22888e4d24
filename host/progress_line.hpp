// The one progress line on stderr, redrawn in place with '\r'.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
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
  using Clock = std::chrono::steady_clock;

  /// `enabled` is false when stderr is not a terminal or --quiet or --json is on; every call is
  /// then a no-op. `now` reads the clock; tests pass their own.
  ProgressLine(std::ostream& stream, bool enabled,
               std::function<Clock::time_point()> now = &Clock::now);

  void set_enabled(bool enabled) { enabled_ = enabled; }

  /// Draws the line. The first update after construction or clear() starts its elapsed time.
  void update(const std::string& label, uint64_t done, uint64_t total);

  /// Takes the line off the screen so that other output can be written in its place. The next
  /// update draws it again at once, and its elapsed time runs on.
  void hide();

  /// Ends the line: takes it off the screen, and the next update starts a new elapsed time.
  void clear();

 private:
  std::ostream& stream_;
  bool enabled_;
  std::function<Clock::time_point()> now_;
  std::optional<Clock::time_point> started_;
  std::optional<Clock::time_point> last_draw_;
  size_t drawn_width_ = 0;
};

}  // namespace aai::host
