// The `aai logout` command.
#pragma once

#include <aai/plugin.hpp>

#include "key_provider.hpp"

namespace auth_stytch {

/// Returns the `aai logout` command. `provider` must outlive it.
aai::Command logout_command(KeyProvider& provider);

}  // namespace auth_stytch
