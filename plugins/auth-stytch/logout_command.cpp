#include "logout_command.hpp"

#include <nlohmann/json.hpp>

#include "credential_store.hpp"

namespace auth_stytch {

namespace {

// Logging out must always succeed as far as it can, so a keyring or config failure on one entry
// becomes a warning and the other entries are still removed.
bool remove_secret_or_warn(const aai::Host& host, const std::string& account) {
  try {
    return host.remove_secret(kSecretService, account);
  } catch (const aai::Error& error) {
    host.warn("Could not remove the keyring entry '" + account + "': " + error.what());
    return false;
  }
}

bool remove_config_or_warn(const aai::Host& host, const std::string& section,
                           const std::string& key) {
  if (!host.config(section, key)) {
    return false;
  }
  try {
    host.set_config(section, key, std::nullopt);
    return true;
  } catch (const aai::Error& error) {
    host.warn("Could not remove " + section + "." + key + ": " + error.what());
    return false;
  }
}

int run_logout(const aai::Host& host, KeyProvider& provider) {
  const std::string profile = host.profile();
  bool cleared = remove_secret_or_warn(host, api_key_account(profile));
  cleared = remove_secret_or_warn(host, session_account(profile)) || cleared;
  const std::string section = profile_section(profile);
  cleared = remove_config_or_warn(host, section, "account_id") || cleared;
  cleared = remove_config_or_warn(host, section, "email") || cleared;
  provider.forget_stored_key();

  if (host.is_json()) {
    nlohmann::ordered_json result = {
        {"logged_out", true}, {"profile", profile}, {"cleared", cleared}};
    host.write(result.dump() + "\n");
  } else if (cleared) {
    host.write("Signed out of " + profile + ".\n");
  } else {
    host.write("Nothing was stored for " + profile + ".\n");
  }
  return AAI_EXIT_OK;
}

}  // namespace

aai::Command logout_command(KeyProvider& provider) {
  return aai::Command{"logout",
                      "Remove the stored API key and session of this profile",
                      "Removes the profile's API key and browser session from the secret store "
                      "and its account id and email from the config. The profile keeps its "
                      "environment. Succeeds even when nothing was stored.",
                      {},
                      {},
                      [&provider](const aai::Host& host, const aai::Invocation&) {
                        return run_logout(host, provider);
                      }};
}

}  // namespace auth_stytch
