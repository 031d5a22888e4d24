#include "browser_sign_in.hpp"

#include <unistd.h>

#include <cstdlib>
#include <optional>

#include "login_callback.hpp"
#include "login_state.hpp"
#include "sign_in_url.hpp"

namespace auth_stytch {

namespace {

std::string this_host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
    return "THIS-HOST";
  }
  return name;
}

void print_fallback_hints(const aai::Host& host, uint16_t port) {
  const std::string port_text = std::to_string(port);
  host.note("On a remote machine, forward the port first: ssh -L " + port_text +
            ":127.0.0.1:" + port_text + " " + this_host_name());
  host.note("Or sign in with a key: printenv ASSEMBLYAI_API_KEY | aai login --with-api-key");
}

// A `state` value can only be checked when the environment's login provider keeps the redirect
// URL's query intact, so the environment's login_state field decides.
std::optional<std::string> login_state_for(const aai::Host& host) {
  if (host.environment_field("login_state") == "query") {
    return make_login_state();
  }
  return std::nullopt;
}

}  // namespace

std::string wait_for_browser_sign_in(const aai::Host& host, BrowserLauncher& browser,
                                     std::chrono::seconds timeout) {
  const uint16_t port = parse_auth_port(std::getenv("AAI_AUTH_PORT"));
  const std::string stytch_domain = host.require_environment_field("stytch_domain");
  const std::string public_token = host.require_environment_field("stytch_public_token");
  LoginCallbackServer server(port, login_state_for(host));

  const std::string url = make_start_url(stytch_domain, public_token, server.redirect_url());
  host.note("Opening your browser to sign in to " + host.environment() +
            ". If it does not open, visit:");
  host.note(url);
  bool hints_shown = false;
  if (!browser.open(url)) {
    print_fallback_hints(host, server.port());
    hints_shown = true;
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<CallbackResult> callback = server.wait(deadline, [&] {
    if (!hints_shown && browser.failed()) {
      print_fallback_hints(host, server.port());
      hints_shown = true;
    }
    return host.is_interrupted();
  });
  if (!callback) {
    const std::string duration =
        std::to_string(timeout.count()) + (timeout.count() == 1 ? " second" : " seconds");
    throw aai::Error(
        AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated",
        "Timed out after " + duration + " waiting for the browser to finish signing in.",
        "Run `aai login` again, or sign in with a key: printenv ASSEMBLYAI_API_KEY | "
        "aai login --with-api-key");
  }
  host.add_secret(callback->token);
  return callback->token;
}

}  // namespace auth_stytch
