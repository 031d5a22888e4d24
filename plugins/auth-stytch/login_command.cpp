#include "login_command.hpp"

#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "account_login.hpp"
#include "api_key_login.hpp"
#include "browser_sign_in.hpp"
#include "credential_store.hpp"

namespace auth_stytch {

namespace {

constexpr int kDefaultTimeoutSeconds = 120;
constexpr int kMaxTimeoutSeconds = 3600;

std::chrono::seconds parse_timeout(const std::optional<std::string>& value) {
  if (!value) {
    return std::chrono::seconds(kDefaultTimeoutSeconds);
  }
  int seconds = 0;
  try {
    size_t used = 0;
    seconds = std::stoi(*value, &used);
    if (used != value->size()) {
      seconds = 0;
    }
  } catch (const std::logic_error&) {
    seconds = 0;
  }
  if (seconds < 1 || seconds > kMaxTimeoutSeconds) {
    throw aai::usage_error("--timeout must be a whole number of seconds from 1 to " +
                           std::to_string(kMaxTimeoutSeconds) + ", not '" + *value + "'.");
  }
  return std::chrono::seconds(seconds);
}

// The key login stores is only ever sent by this plugin's provider, so storing it while the
// config routes requests through another provider would leave the user signed in to nothing.
void require_this_provider(const aai::Host& host) {
  std::string config_key;
  std::optional<std::string> selected = configured_provider(host, config_key);
  if (selected && *selected != kProviderName) {
    throw aai::usage_error(std::string("`aai login` stores keys for the ") + kProviderName +
                               " provider, but " + config_key + " selects '" + *selected + "'.",
                           "Run `aai config unset " + config_key + "`, then `aai login` again.");
  }
}

void probe_secret_store(const aai::Host& host) {
  try {
    host.secret(kSecretService, api_key_account(host.profile()));
  } catch (const aai::Error& error) {
    std::string reason = error.what();
    while (!reason.empty() && reason.back() == '.') {
      reason.pop_back();
    }
    throw aai::Error(AAI_EXIT_USAGE, "keyring_unusable",
                     "The secret store cannot be used: " + reason + ".",
                     "Run `aai config set core.secret_store file` to keep secrets in a file, "
                     "then `aai login` again.");
  }
}

int login_with_browser(const aai::Host& host, KeyProvider& provider,
                       const LoginDependencies& dependencies, std::chrono::seconds timeout) {
  std::unique_ptr<BrowserLauncher> browser = dependencies.make_browser();
  const std::string token = wait_for_browser_sign_in(host, *browser, timeout);
  const AccountLogin login = complete_account_login(host, token, host.profile());
  persist_login(host, login.record);
  provider.forget_stored_key();

  const LoginRecord& record = login.record;
  if (host.is_json()) {
    nlohmann::ordered_json result = {{"authenticated", true},
                                     {"profile", record.profile},
                                     {"env", record.environment},
                                     {"api_key_only", false}};
    host.write(result.dump() + "\n");
  } else {
    host.write("Signed in as " + record.profile + " (" + record.environment + ").\n");
  }
  const std::string account =
      record.email ? *record.email + ", organization " : std::string("Organization ");
  host.note("Account: " + account + login.organization_name + "; key kept in " +
            host.secret_store_description() + ".");
  return AAI_EXIT_OK;
}

int run_login(const aai::Host& host, const aai::Invocation& invocation, KeyProvider& provider,
              const LoginDependencies& dependencies) {
  const bool with_api_key = invocation.flag("with-api-key");
  const std::optional<std::string> api_key_option = invocation.option("api-key");
  if (with_api_key && api_key_option) {
    throw aai::usage_error("--api-key and --with-api-key cannot be used together.",
                           "Drop --api-key and pipe the key to --with-api-key.");
  }
  const std::chrono::seconds timeout = parse_timeout(invocation.option("timeout"));

  // A login picks its environment from --env, --sandbox or AAI_ENV, never from the profile it is
  // about to overwrite.
  if (host.environment_source() == "profile") {
    host.select_environment("production");
  }
  require_this_provider(host);
  probe_secret_store(host);

  if (with_api_key) {
    return login_with_api_key(host, provider,
                              read_api_key_from_stdin(host, dependencies.read_stdin));
  }
  if (api_key_option) {
    return login_with_api_key(host, provider, api_key_from_option(host, *api_key_option));
  }
  return login_with_browser(host, provider, dependencies, timeout);
}

}  // namespace

LoginDependencies system_login_dependencies() {
  return LoginDependencies{
      make_system_browser,
      [] { return std::string(std::istreambuf_iterator<char>(std::cin), {}); },
  };
}

aai::Command login_command(KeyProvider& provider, LoginDependencies dependencies) {
  return aai::Command{
      "login",
      "Sign in through the browser and store an API key for this profile",
      "Opens the browser to sign in to the active environment (--env, --sandbox or AAI_ENV; "
      "production otherwise), then stores the \"AssemblyAI CLI\" API key of the account's "
      "project in the secret store and binds the profile to that environment. With "
      "--with-api-key it stores a key read from stdin instead.",
      {aai::flag("with-api-key",
                 "Read an API key from stdin instead of signing in through the "
                 "browser"),
       aai::text("api-key", "KEY",
                 "Deprecated: the API key to store; it ends up in shell history, so prefer "
                 "--with-api-key"),
       aai::integer("timeout", "SECONDS",
                    "Seconds to wait for the browser to finish signing in (default 120)")},
      {},
      [&provider, dependencies = std::move(dependencies)](const aai::Host& host,
                                                          const aai::Invocation& invocation) {
        return run_login(host, invocation, provider, dependencies);
      }};
}

}  // namespace auth_stytch
