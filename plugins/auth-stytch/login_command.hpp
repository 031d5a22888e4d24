// The `aai login` command.
#pragma once

#include <aai/plugin.hpp>

#include <functional>
#include <memory>
#include <string>

#include "browser.hpp"
#include "key_provider.hpp"

namespace auth_stytch {

/// Inputs of `aai login` that do not go through the host: the browser and stdin. Tests replace
/// both.
struct LoginDependencies {
  std::function<std::unique_ptr<BrowserLauncher>()> make_browser;
  std::function<std::string()> read_stdin;
};

/// Returns the dependencies of a real run: the system browser and the process's stdin.
LoginDependencies system_login_dependencies();

/// Returns the `aai login` command. `provider` must outlive it.
aai::Command login_command(KeyProvider& provider, LoginDependencies dependencies);

}  // namespace auth_stytch
