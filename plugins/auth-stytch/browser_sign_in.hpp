// The browser half of `aai login`: open the sign-in page and wait for its redirect.
#pragma once

#include <aai/plugin.hpp>

#include <chrono>
#include <string>

#include "browser.hpp"

namespace auth_stytch {

/// Binds the callback port (AAI_AUTH_PORT, default 8585) before anything opens, starts the
/// browser on the active environment's sign-in page and waits for the redirect. Returns the
/// one-time discovery token, registered as a secret. When the browser cannot be started, prints
/// how to sign in from a remote machine or with a key, and keeps waiting. Throws
/// not_authenticated (exit 4) when `timeout` passes, interrupted (exit 130) on Ctrl-C, and the
/// callback server's port_unavailable.
std::string wait_for_browser_sign_in(const aai::Host& host, BrowserLauncher& browser,
                                     std::chrono::seconds timeout);

}  // namespace auth_stytch
