// The `aai whoami` command.
#pragma once

#include <aai/plugin.hpp>

#include <string>

#include "key_provider.hpp"

namespace auth_stytch {

/// Returns the first 3 and last 4 characters of `api_key` with "..." between, or "***" for a key
/// of 8 characters or fewer, which that would reveal almost whole.
std::string mask_api_key(const std::string& api_key);

/// Returns the `aai whoami` command. `provider` must outlive it.
aai::Command whoami_command(KeyProvider& provider);

}  // namespace auth_stytch
