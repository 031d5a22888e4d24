#include "cli_key_choice.hpp"

#include "ams_client.hpp"
#include "ams_reply.hpp"

namespace auth_stytch {

namespace {

// Returns the token's key when it is an enabled "AssemblyAI CLI" token that shows its key.
std::optional<std::string> reusable_key(const nlohmann::json& token) {
  std::optional<std::string> name = string_member(token, "name");
  if (!name) {
    name = string_member(token, "token_name");
  }
  auto disabled = token.find("is_disabled");
  const bool is_disabled =
      disabled != token.end() && disabled->is_boolean() && disabled->get<bool>();
  if (name != kCliKeyName || is_disabled) {
    return std::nullopt;
  }
  return string_member(token, "api_key");
}

// Returns whether `project` is null or an object with a string or integer id.
bool is_valid_project(const nlohmann::json& project) {
  if (project.is_null()) {
    return true;
  }
  if (!project.is_object() || !project.contains("id")) {
    return false;
  }
  const nlohmann::json& id = project["id"];
  return (id.is_string() && !id.get<std::string>().empty()) || id.is_number_integer();
}

}  // namespace

CliKeyChoice choose_cli_key(const nlohmann::json& projects, const std::string& request_line) {
  if (!projects.is_array()) {
    throw unexpected_ams_reply(request_line);
  }
  CliKeyChoice choice;
  for (const auto& entry : projects) {
    if (!entry.is_object()) {
      throw unexpected_ams_reply(request_line);
    }
    const nlohmann::json project = entry.value("project", nlohmann::json());
    nlohmann::json tokens = entry.value("tokens", nlohmann::json::array());
    if (tokens.is_null()) {
      tokens = nlohmann::json::array();
    }
    if (!is_valid_project(project) || !tokens.is_array()) {
      throw unexpected_ams_reply(request_line);
    }
    if (choice.project_id.is_null() && !project.is_null()) {
      choice.project_id = project["id"];
    }
    for (const auto& token : tokens) {
      if (!token.is_object()) {
        throw unexpected_ams_reply(request_line);
      }
      if (!choice.reusable_key) {
        choice.reusable_key = reusable_key(token);
      }
    }
  }
  return choice;
}

}  // namespace auth_stytch
