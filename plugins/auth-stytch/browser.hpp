// Starting the user's web browser on a URL, for the sign-in page.
#pragma once

#include <memory>
#include <string>

namespace auth_stytch {

/// Starts a browser on a URL. An interface, so that login tests can use a fake.
class BrowserLauncher {
 public:
  virtual ~BrowserLauncher() = default;

  /// Starts the browser on `url` without waiting for it. Returns false when no browser could be
  /// started.
  virtual bool open(const std::string& url) = 0;

  /// Returns whether the started browser command has already exited with a failure status (as
  /// xdg-open does without a desktop). Meant to be polled while waiting for the sign-in.
  virtual bool failed() = 0;
};

/// Returns the launcher for this system. It runs each entry of $BROWSER in turn when that is set
/// and not empty, and `xdg-open URL` otherwise.
///
/// $BROWSER is a list of commands separated by ':'. Each command is split on spaces, without a
/// shell. Every "%s" in its arguments is replaced by the URL; a command without "%s" gets the
/// URL as its last argument. The first command that starts is used. The browser gets /dev/null
/// as stdin and stdout, inherits stderr and runs in its own process group, so Ctrl-C in the
/// terminal does not reach it.
std::unique_ptr<BrowserLauncher> make_system_browser();

}  // namespace auth_stytch
