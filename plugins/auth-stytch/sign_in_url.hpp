// The URL that starts a browser sign-in, and the loopback port its redirect returns to.
#pragma once

#include <cstdint>
#include <string>

namespace auth_stytch {

/// Port of the sign-in callback when AAI_AUTH_PORT is unset. AssemblyAI's Stytch projects accept
/// only the exact redirect URL http://127.0.0.1:8585/callback.
inline constexpr uint16_t kDefaultAuthPort = 8585;

/// Returns the callback port from AAI_AUTH_PORT (`value`, NULL or empty when unset). Throws
/// aai::Error invalid_env (exit 2) unless it is an integer from 1 to 65535.
uint16_t parse_auth_port(const char* value);

/// Returns `text` with every byte outside RFC 3986's unreserved set (letters, digits, "-._~")
/// written as %XX, so it can be one query parameter's value.
std::string percent_encode(const std::string& text);

/// Returns the Stytch B2B OAuth discovery start URL for Google sign-in:
/// {stytch_domain}/v1/b2b/public/oauth/google/discovery/start?public_token=...&
/// discovery_redirect_url=... with both values percent-encoded.
std::string make_start_url(const std::string& stytch_domain, const std::string& public_token,
                           const std::string& redirect_url);

}  // namespace auth_stytch
