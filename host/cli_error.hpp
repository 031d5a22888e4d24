// The one error type the host raises, and how it is printed as text or JSON.
#pragma once

#include <stdexcept>
#include <string>

namespace aai::host {

/// A failure reported to the user: exit code, stable type id, message and optional suggestion.
class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, std::string type, const std::string& message, std::string suggestion = {},
           std::string details_json = {});

  int exit_code() const { return exit_code_; }
  const std::string& type() const { return type_; }
  const std::string& suggestion() const { return suggestion_; }

  /// JSON object whose members are added to the JSON error object, or empty.
  const std::string& details_json() const { return details_json_; }

 private:
  int exit_code_;
  std::string type_;
  std::string suggestion_;
  std::string details_json_;
};

/// Builds a usage error (exit 2, type "usage_error").
CliError usage_error(const std::string& message, std::string suggestion = {});

/// Formats `Error: MESSAGE` and, when present, `Suggestion: SUGGESTION`, each ending in '\n'.
std::string format_error_text(const CliError& error);

/// Formats one line `{"error":{"type":...,"message":...,"suggestion":...}}` plus '\n'. Members of
/// details_json are added to the error object; details_json that is not a JSON object is ignored.
std::string format_error_json(const CliError& error);

}  // namespace aai::host
