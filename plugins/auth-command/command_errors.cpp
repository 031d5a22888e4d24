#include "command_errors.hpp"

#include <charconv>

namespace auth_command {
namespace {

constexpr const char* kOutputFormatSuggestion =
    "Make it print the key alone on one line, or JSON with an api_key field.";
constexpr const char* kRunByHandSuggestion = "Run it by hand to see its error output.";

// The exit status /bin/sh uses when it cannot find the program to run. A command that exits with
// 127 for another reason is reported as not found too.
constexpr int kShellNotFoundStatus = 127;

aai::Error not_authenticated(const std::string& message, const std::string& suggestion) {
  return aai::Error(AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated", message, suggestion);
}

std::string quoted_command(const std::string& command_line) {
  return "The credential command '" + command_line + "'";
}

// Formats a duration in seconds without trailing zeros: "30", "0.25".
std::string format_seconds(std::chrono::milliseconds duration) {
  char text[32];
  const double seconds = static_cast<double>(duration.count()) / 1000.0;
  const auto result = std::to_chars(text, text + sizeof text, seconds);
  return std::string(text, result.ptr);
}

}  // namespace

aai::Error command_not_configured_error() {
  return not_authenticated(
      "No credential command is configured for auth-command.",
      "Set one with `aai config set plugin.auth-command.command 'COMMAND'`, or pick another "
      "provider with `aai config set core.credential_provider auth-stytch`.");
}

aai::Error invalid_timeout_error(const std::string& value) {
  return aai::Error(AAI_EXIT_USAGE, "invalid_config",
                    "Invalid value '" + value +
                        "' for plugin.auth-command.timeout: expected seconds greater than 0 "
                        "and at most 3600.",
                    "Fix it with `aai config set plugin.auth-command.timeout 30`.");
}

aai::Error command_start_error(const std::string& command_line, const std::system_error& error) {
  return aai::Error(AAI_EXIT_FAILURE, "internal_error",
                    "Could not start the credential command '" + command_line +
                        "': " + error.code().message() + ".");
}

aai::Error command_result_error(const std::string& command_line, const ShellResult& result,
                                std::chrono::milliseconds timeout) {
  const std::string subject = quoted_command(command_line);
  switch (result.outcome) {
    case ShellResult::Outcome::kInterrupted:
      return aai::Error(AAI_EXIT_INTERRUPTED, "interrupted",
                        "Interrupted while running the credential command '" + command_line + "'.");
    case ShellResult::Outcome::kTimedOut:
      return not_authenticated(
          subject + " timed out after " + format_seconds(timeout) + " s.",
          "Run it by hand to see whether it waits for input, or raise the limit with "
          "`aai config set plugin.auth-command.timeout SECONDS`.");
    case ShellResult::Outcome::kOutputTooLarge:
      return not_authenticated(subject + " printed more than 64 KiB.", kOutputFormatSuggestion);
    case ShellResult::Outcome::kSignaled:
      return not_authenticated(
          subject + " was killed by signal " + std::to_string(result.status) + ".",
          kRunByHandSuggestion);
    case ShellResult::Outcome::kExited:
      break;
  }
  if (result.status == kShellNotFoundStatus) {
    return not_authenticated(subject + " was not found (exit status 127).",
                             "Check the program name and PATH, or set the full path with "
                             "`aai config set plugin.auth-command.command 'COMMAND'`.");
  }
  return not_authenticated(
      subject + " failed with exit status " + std::to_string(result.status) + ".",
      kRunByHandSuggestion);
}

aai::Error command_output_error(const std::string& command_line, OutputError error) {
  const std::string subject = quoted_command(command_line);
  if (error == OutputError::kInvalidExpiry) {
    return not_authenticated(
        subject + " printed an expires_at that is not an RFC 3339 time.",
        "Print it like 2026-12-04T20:00:00Z, or with an offset like 2026-12-04T21:00:00+01:00.");
  }
  return not_authenticated(
      subject + " printed something that is neither a key nor {\"api_key\": ...}.",
      kOutputFormatSuggestion);
}

}  // namespace auth_command
