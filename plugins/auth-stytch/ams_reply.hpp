// Reading replies of AssemblyAI's account service (AMS) without trusting their shape.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace auth_stytch {

/// Returns the api_error for a reply that is not JSON or not the expected shape.
/// `request_line` is the method and path, such as "POST /v2/auth/discover".
aai::Error unexpected_ams_reply(const std::string& request_line);

/// Returns the error for an AMS reply with status 400 or more: not_authenticated (exit 4) for
/// 401 and 403, api_error otherwise. The message quotes the `detail` of the JSON body.
aai::Error ams_status_error(int status, const std::string& body, const std::string& request_line);

/// Returns member `name` of `object` when `object` is an object and the member is a non-empty
/// string; nullopt otherwise.
std::optional<std::string> string_member(const nlohmann::json& object, const char* name);

/// Returns member `name` as text when it is a non-empty string of digits or a non-negative
/// integer; nullopt otherwise. Identifiers read this way are safe to put in a URL path.
std::optional<std::string> id_member(const nlohmann::json& object, const char* name);

}  // namespace auth_stytch
