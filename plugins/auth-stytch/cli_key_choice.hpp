// Picks the API key `aai login` reuses, or the project it creates one in.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace auth_stytch {

struct CliKeyChoice {
  /// The key of an enabled token named "AssemblyAI CLI", when one exists.
  std::optional<std::string> reusable_key;
  /// The id of the first project, where a new key is created when none can be reused; null
  /// when the account has no project.
  nlohmann::json project_id;
};

/// Reads the reply of GET /v1/users/accounts/{id}/projects:
/// [{"project": {"id": ...} | null, "tokens": [{"name" or "token_name", "is_disabled",
/// "api_key"?}]}]. Tokens without an api_key, and disabled ones, are never reused. Throws the
/// unexpected-reply api_error, naming `request_line`, for any other shape.
CliKeyChoice choose_cli_key(const nlohmann::json& projects, const std::string& request_line);

}  // namespace auth_stytch
