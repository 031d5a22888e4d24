// Temporary tokens for the streaming API: issued by GET /v3/token, redeemed once at /v3/ws.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "server/api_response.hpp"
#include "server/query_string.hpp"

namespace aai::local {

/// Longest session that a key or token may open, in seconds (three hours).
inline constexpr int64_t kMaxSessionSeconds = 10800;

/// Tokens kept in memory only, so a restart of the emulator forgets them. Used from the server's
/// Asio thread only.
class StreamingTokens {
 public:
  using Clock = std::chrono::steady_clock;

  /// Answers GET /v3/token: validates expires_in_seconds (1..600, required) and
  /// max_session_duration_seconds (60..10800, default 10800), then issues a token.
  ApiResponse handle_request(const RequestTarget& target, Clock::time_point now = Clock::now());

  /// Returns a new random token that expires `expires_in_seconds` after `now`.
  std::string issue(int64_t expires_in_seconds, int64_t max_session_seconds,
                    Clock::time_point now = Clock::now());

  /// Removes `token` and returns its maximum session duration in seconds; nullopt when the token
  /// is unknown, already used or expired.
  std::optional<int64_t> redeem(const std::string& token, Clock::time_point now = Clock::now());

 private:
  struct Grant {
    Clock::time_point expires_at;
    int64_t max_session_seconds;
  };

  void drop_expired(Clock::time_point now);

  std::map<std::string, Grant> tokens_;
};

/// Parses a whole decimal integer such as "600"; nullopt for "", "6.5", "60s" or overflow.
std::optional<int64_t> parse_integer(const std::string& text);

}  // namespace aai::local
