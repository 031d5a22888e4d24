// Parsing of what a credential command prints: a bare API key, or JSON with the key and an
// optional expiry time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace auth_command {

/// A key read from a credential command's output.
struct CommandCredential {
  std::string api_key;

  /// Time the key stops being valid, or nullopt when the output gave no expires_at.
  std::optional<std::chrono::system_clock::time_point> expires_at;
};

/// Reason an output could not be read as a credential.
enum class OutputError {
  /// Neither a single-line key nor a JSON object with a usable api_key string.
  kNotACredential,
  /// A JSON object whose expires_at is present but not an RFC 3339 time.
  kInvalidExpiry,
};

/// The result of parse_command_output: a credential, or the reason there is none.
struct ParsedOutput {
  std::optional<CommandCredential> credential;
  OutputError error = OutputError::kNotACredential;
};

/// Returns `text` without leading and trailing whitespace.
std::string_view trim(std::string_view text);

/// Returns whether `key` can go into an HTTP header as an API key: not empty, and printable ASCII
/// without spaces.
bool is_valid_api_key(std::string_view key);

/// Parses a credential command's stdout. Output that starts with '{' or '[' (after whitespace)
/// must be a JSON object with a string member "api_key" and, optionally, "expires_at" (a string, or
/// null for none). Any other output must be the key alone on one line. Surrounding whitespace,
/// including the final newline, is ignored.
ParsedOutput parse_command_output(std::string_view output);

/// Parses an RFC 3339 date-time such as "2026-12-04T20:00:00Z" or
/// "2026-12-04T21:00:00.5+01:00". Returns nullopt when `text` is not one.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace auth_command
