#include "server/streaming_tokens.hpp"

#include <charconv>

#include "server/random_token.hpp"

namespace aai::local {

std::optional<int64_t> parse_integer(const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) {
    return std::nullopt;
  }
  return value;
}

namespace {

// Returns the parameter's value when it is an integer in [low, high], else nullopt.
std::optional<int64_t> integer_in_range(const std::string& text, int64_t low, int64_t high) {
  std::optional<int64_t> value = parse_integer(text);
  if (!value || *value < low || *value > high) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

ApiResponse StreamingTokens::handle_request(const RequestTarget& target, Clock::time_point now) {
  auto expires = target.query.find("expires_in_seconds");
  if (expires == target.query.end()) {
    return error_response(
        400, "expires_in_seconds is required: an integer number of seconds between 1 and 600.");
  }
  std::optional<int64_t> expires_in = integer_in_range(expires->second, 1, 600);
  if (!expires_in) {
    return error_response(400, "expires_in_seconds must be an integer between 1 and 600, got '" +
                                   expires->second + "'.");
  }
  int64_t max_session = kMaxSessionSeconds;
  auto duration = target.query.find("max_session_duration_seconds");
  if (duration != target.query.end()) {
    std::optional<int64_t> value = integer_in_range(duration->second, 60, kMaxSessionSeconds);
    if (!value) {
      return error_response(
          400, "max_session_duration_seconds must be an integer between 60 and 10800, got '" +
                   duration->second + "'.");
    }
    max_session = *value;
  }
  return json_response(
      200, {{"token", issue(*expires_in, max_session, now)}, {"expires_in_seconds", *expires_in}});
}

std::string StreamingTokens::issue(int64_t expires_in_seconds, int64_t max_session_seconds,
                                   Clock::time_point now) {
  drop_expired(now);
  std::string token = random_hex(32);
  tokens_[token] = Grant{now + std::chrono::seconds(expires_in_seconds), max_session_seconds};
  return token;
}

std::optional<int64_t> StreamingTokens::redeem(const std::string& token, Clock::time_point now) {
  drop_expired(now);
  auto found = tokens_.find(token);
  if (found == tokens_.end()) {
    return std::nullopt;
  }
  int64_t max_session_seconds = found->second.max_session_seconds;
  tokens_.erase(found);
  return max_session_seconds;
}

void StreamingTokens::drop_expired(Clock::time_point now) {
  std::erase_if(tokens_, [now](const auto& entry) { return entry.second.expires_at <= now; });
}

}  // namespace aai::local
