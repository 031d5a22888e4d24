// The API key from ASSEMBLYAI_API_KEY, and the Authorization header that carries a key.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>

namespace auth_stytch {

/// Name of the environment variable that holds the API key.
inline constexpr const char* kApiKeyVariable = "ASSEMBLYAI_API_KEY";

/// Returns `raw` without leading and trailing whitespace, or nullopt when that leaves nothing.
std::optional<std::string> normalize_api_key(const char* raw);

/// Returns the API key from ASSEMBLYAI_API_KEY, trimmed; nullopt when unset or blank.
std::optional<std::string> api_key_from_environment();

/// Returns the not_authenticated error (exit 4) for a request that needs a key when none is
/// configured.
aai::Error missing_api_key_error();

/// Sets the Authorization header in the format the request's environment field expects and
/// registers the key as a secret. `source` names where the key came from, for the debug log.
/// Throws internal_error when the host refuses the header.
void attach_api_key(const aai::Host& host, const aai::RequestEditor& editor,
                    const std::string& authorization, const std::string& api_key,
                    const std::string& source);

}  // namespace auth_stytch
