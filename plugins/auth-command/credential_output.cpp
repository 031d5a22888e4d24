#include "credential_output.hpp"

#include <nlohmann/json.hpp>

namespace auth_command {
namespace {

using std::chrono::system_clock;

// Reads exactly `count` decimal digits at `position` and advances past them.
bool read_digits(std::string_view text, size_t& position, size_t count, int& value) {
  if (position + count > text.size()) {
    return false;
  }
  value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char digit = text[position + i];
    if (digit < '0' || digit > '9') {
      return false;
    }
    value = value * 10 + (digit - '0');
  }
  position += count;
  return true;
}

bool read_char(std::string_view text, size_t& position, std::string_view allowed) {
  if (position >= text.size() || allowed.find(text[position]) == std::string_view::npos) {
    return false;
  }
  ++position;
  return true;
}

// Reads "Z" or "+HH:MM"/"-HH:MM" and returns the offset from UTC, or nullopt.
std::optional<std::chrono::minutes> read_utc_offset(std::string_view text, size_t& position) {
  if (read_char(text, position, "Zz")) {
    return std::chrono::minutes(0);
  }
  if (position >= text.size()) {
    return std::nullopt;
  }
  const char sign = text[position];
  int hours = 0;
  int minutes = 0;
  if (!read_char(text, position, "+-") || !read_digits(text, position, 2, hours) ||
      !read_char(text, position, ":") || !read_digits(text, position, 2, minutes) || hours > 23 ||
      minutes > 59) {
    return std::nullopt;
  }
  const std::chrono::minutes offset(hours * 60 + minutes);
  return sign == '-' ? -offset : offset;
}

// Skips an optional fraction of a second, because sub-second precision does not matter for an
// expiry.
bool skip_fraction(std::string_view text, size_t& position) {
  if (!read_char(text, position, ".")) {
    return true;
  }
  const size_t first_digit = position;
  while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
    ++position;
  }
  return position > first_digit;
}

std::optional<ParsedOutput> parse_json_output(std::string_view output) {
  const nlohmann::json document = nlohmann::json::parse(output, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return std::nullopt;
  }
  const auto api_key = document.find("api_key");
  if (api_key == document.end() || !api_key->is_string()) {
    return std::nullopt;
  }
  CommandCredential credential;
  credential.api_key = std::string(trim(api_key->get_ref<const std::string&>()));
  if (!is_valid_api_key(credential.api_key)) {
    return std::nullopt;
  }

  const auto expires_at = document.find("expires_at");
  if (expires_at != document.end() && !expires_at->is_null()) {
    if (!expires_at->is_string()) {
      return ParsedOutput{std::nullopt, OutputError::kInvalidExpiry};
    }
    credential.expires_at = parse_rfc3339(expires_at->get_ref<const std::string&>());
    if (!credential.expires_at) {
      return ParsedOutput{std::nullopt, OutputError::kInvalidExpiry};
    }
  }
  return ParsedOutput{std::move(credential), OutputError::kNotACredential};
}

}  // namespace

std::string_view trim(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n\v\f";
  const size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

bool is_valid_api_key(std::string_view key) {
  if (key.empty()) {
    return false;
  }
  for (const char character : key) {
    if (character < '!' || character > '~') {
      return false;
    }
  }
  return true;
}

ParsedOutput parse_command_output(std::string_view output) {
  const std::string_view trimmed = trim(output);
  // A JSON array is never a key, so it gets the JSON rules and is rejected there.
  if (!trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[')) {
    return parse_json_output(trimmed).value_or(ParsedOutput{});
  }
  if (!is_valid_api_key(trimmed)) {
    return ParsedOutput{};
  }
  return ParsedOutput{CommandCredential{std::string(trimmed), std::nullopt},
                      OutputError::kNotACredential};
}

std::optional<system_clock::time_point> parse_rfc3339(std::string_view text) {
  size_t position = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!read_digits(text, position, 4, year) || !read_char(text, position, "-") ||
      !read_digits(text, position, 2, month) || !read_char(text, position, "-") ||
      !read_digits(text, position, 2, day) || !read_char(text, position, "Tt ") ||
      !read_digits(text, position, 2, hour) || !read_char(text, position, ":") ||
      !read_digits(text, position, 2, minute) || !read_char(text, position, ":") ||
      !read_digits(text, position, 2, second) || !skip_fraction(text, position)) {
    return std::nullopt;
  }
  const std::optional<std::chrono::minutes> offset = read_utc_offset(text, position);
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  // Second 60 is allowed because RFC 3339 allows a leap second there.
  if (!offset || position != text.size() || !date.ok() || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const auto time_at_offset = std::chrono::sys_days(date) + std::chrono::hours(hour) +
                              std::chrono::minutes(minute) + std::chrono::seconds(second);
  return system_clock::time_point(time_at_offset - *offset);
}

}  // namespace auth_command
