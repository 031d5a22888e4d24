// When and how long the host waits before sending a request again
// (aai_http_request_t::max_retries).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace aai::host {

/// Whether an HTTP status means the service may answer differently a moment later: 429, 500,
/// 502, 503 and 504.
bool is_retryable_status(int status);

/// Reads a Retry-After value: whole seconds, or an HTTP date (RFC 9110 IMF-fixdate) counted from
/// `now`. Returns nullopt for anything else.
std::optional<std::chrono::milliseconds> parse_retry_after(
    const std::string& value,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// The wait before retry number `retry` (0 for the first): Retry-After when given, at most 60 s;
/// otherwise 1 s doubled per retry, at most 30 s, plus `jitter` (0..1) times a quarter of it.
std::chrono::milliseconds retry_delay(unsigned retry,
                                      const std::optional<std::chrono::milliseconds>& retry_after,
                                      double jitter);

}  // namespace aai::host
