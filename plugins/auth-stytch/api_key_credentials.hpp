// The first step of the stytch credential provider: the API key from ASSEMBLYAI_API_KEY.
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

/// Attaches `Authorization: KEY` to a request for a host of the active environment and registers
/// the key as a secret. Requests to other hosts are left alone. Throws aai::Error
/// not_authenticated (exit 4) when a request to an environment host has no key to carry.
void attach_api_key(const aai::Host& host, const aai::RequestEditor& editor,
                    const std::optional<std::string>& api_key);

}  // namespace auth_stytch
