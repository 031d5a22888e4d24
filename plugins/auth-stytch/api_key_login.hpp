// `aai login --with-api-key` and the deprecated `--api-key KEY`: sign in with a key the user has.
#pragma once

#include <aai/plugin.hpp>

#include <functional>
#include <optional>
#include <string>

#include "key_provider.hpp"

namespace auth_stytch {

/// Returns the key piped to --with-api-key, trimmed. `read_stdin` returns all of stdin. Throws
/// usage_error when stdin is a terminal or contains no key.
std::string read_api_key_from_stdin(const aai::Host& host,
                                    const std::function<std::string()>& read_stdin);

/// Returns the key given with --api-key after warning that the option is deprecated. Throws
/// usage_error for an empty value.
std::string api_key_from_option(const aai::Host& host, const std::string& value);

/// Checks `api_key` against the active environment's API, then stores it for the active
/// profile, binds the profile to the environment and removes any browser session. Writes the
/// result and returns the exit code. Throws not_authenticated (exit 4) when the key is rejected.
int login_with_api_key(const aai::Host& host, KeyProvider& provider, const std::string& api_key);

}  // namespace auth_stytch
