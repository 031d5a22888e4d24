#include "progress_line.hpp"

#include <cstdio>
#include <utility>

namespace aai::host {

namespace {
// Redrawing more often than this only costs terminal bandwidth.
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
}  // namespace

std::string format_bytes(uint64_t bytes) {
  constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1000 && unit + 1 < std::size(kUnits)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  }
  return text;
}

std::string format_progress(const std::string& label, uint64_t done, uint64_t total,
                            std::chrono::seconds elapsed) {
  std::string line = label;
  if (total > 0) {
    uint64_t percent = done >= total ? 100 : done * 100 / total;
    line += "  " + std::to_string(percent) + "% (" + format_bytes(done) + " of " +
            format_bytes(total) + ")";
  } else if (done > 0) {
    line += "  " + format_bytes(done);
  }
  return line + "  " + std::to_string(elapsed.count()) + "s";
}

ProgressLine::ProgressLine(std::ostream& stream, bool enabled,
                           std::function<Clock::time_point()> now)
    : stream_(stream), enabled_(enabled), now_(std::move(now)) {}

void ProgressLine::update(const std::string& label, uint64_t done, uint64_t total) {
  if (!enabled_) {
    return;
  }
  const auto now = now_();
  if (!started_) {
    started_ = now;
  } else if (last_draw_ && now - *last_draw_ < kRedrawInterval && (total == 0 || done < total)) {
    return;
  }
  last_draw_ = now;
  auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - *started_);
  std::string line = format_progress(label, done, total, elapsed);
  // Pad with spaces so a shorter line fully covers the previous one.
  size_t width = line.size();
  if (line.size() < drawn_width_) {
    line.append(drawn_width_ - line.size(), ' ');
  }
  drawn_width_ = width;
  stream_ << '\r' << line << std::flush;
}

void ProgressLine::hide() {
  if (!enabled_ || drawn_width_ == 0) {
    return;
  }
  stream_ << '\r' << std::string(drawn_width_, ' ') << '\r' << std::flush;
  drawn_width_ = 0;
  last_draw_.reset();
}

void ProgressLine::clear() {
  hide();
  started_.reset();
}

}  // namespace aai::host
