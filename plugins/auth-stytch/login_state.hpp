// The random `state` value that ties a sign-in callback to the `aai login` that started it.
#pragma once

#include <string>
#include <string_view>

namespace auth_stytch {

/// Returns a new login state: 64 lowercase hex characters encoding 32 bytes from the kernel's
/// random number generator. Throws aai::Error internal_error (exit 1) when no random bytes can
/// be read.
std::string make_login_state();

/// Returns whether `received` equals `expected`. The time taken depends only on the lengths,
/// so a caller that can time the comparison learns nothing about where the values differ.
bool states_match(std::string_view expected, std::string_view received);

}  // namespace auth_stytch
