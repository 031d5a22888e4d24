#include "retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace aai::host {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kLongestRetryAfter = seconds(60);
constexpr milliseconds kFirstBackoff = seconds(1);
constexpr milliseconds kLongestBackoff = seconds(30);

std::optional<milliseconds> parse_seconds(const std::string& value) {
  if (value.empty() || value.size() > 9 ||
      !std::all_of(value.begin(), value.end(),
                   [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return std::nullopt;
  }
  return seconds(std::stol(value));
}

std::optional<milliseconds> parse_http_date(const std::string& value,
                                            std::chrono::system_clock::time_point now) {
  std::tm parts{};
  std::istringstream input(value);
  input.imbue(std::locale::classic());
  input >> std::get_time(&parts, "%a, %d %b %Y %H:%M:%S GMT");
  if (input.fail()) {
    return std::nullopt;
  }
  const auto at = std::chrono::system_clock::from_time_t(timegm(&parts));
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(at - now));
}

}  // namespace

bool is_retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::optional<milliseconds> parse_retry_after(const std::string& value,
                                              std::chrono::system_clock::time_point now) {
  std::string trimmed = value;
  trimmed.erase(0, trimmed.find_first_not_of(" \t"));
  trimmed.erase(trimmed.find_last_not_of(" \t") + 1);
  if (auto delay = parse_seconds(trimmed)) {
    return delay;
  }
  return parse_http_date(trimmed, now);
}

milliseconds retry_delay(unsigned retry, const std::optional<milliseconds>& retry_after,
                         double jitter) {
  if (retry_after) {
    return std::min(*retry_after, kLongestRetryAfter);
  }
  const milliseconds base =
      retry >= 5 ? kLongestBackoff : std::min(kFirstBackoff * (1u << retry), kLongestBackoff);
  const double extra = std::clamp(jitter, 0.0, 1.0) * 0.25 * static_cast<double>(base.count());
  return base + milliseconds(static_cast<long>(extra));
}

}  // namespace aai::host
