// Registers the auth-stytch credential provider and the login, logout and whoami commands.
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include "credential_store.hpp"
#include "key_provider.hpp"
#include "login_command.hpp"
#include "logout_command.hpp"
#include "whoami_command.hpp"

namespace {

auth_stytch::KeyProvider& key_provider() {
  static auth_stytch::KeyProvider provider;
  return provider;
}

void register_auth_stytch(aai::Registrar& registrar) {
  auth_stytch::KeyProvider& provider = key_provider();
  registrar.add_provider(AAI_PROVIDER_CREDENTIALS, auth_stytch::kProviderName,
                         "API key from ASSEMBLYAI_API_KEY or from `aai login`, bound to the "
                         "profile's environment",
                         [&provider](const aai::Host& host, const aai::RequestEditor& editor) {
                           provider.pre_request(host, editor);
                         });
  registrar.add(auth_stytch::login_command(provider, auth_stytch::system_login_dependencies()));
  registrar.add(auth_stytch::logout_command(provider));
  registrar.add(auth_stytch::whoami_command(provider));
}

}  // namespace

AAI_DEFINE_PLUGIN("auth-stytch", "0.2.0", "Sign-in and credentials for AssemblyAI's API",
                  register_auth_stytch)

AAI_PLUGIN_MANIFEST(
    R"({"manifest": 1, "name": "auth-stytch", "version": "0.2.0", "abi": ")" AAI_MANIFEST_ABI R"(",
  "summary": "Sign-in and credentials for AssemblyAI's API",
  "commands": ["login", "logout", "whoami"], "needs": ["network", "credentials"],
  "summaries": {
    "login": "Sign in through the browser and store an API key for this profile",
    "logout": "Remove the stored API key and session of this profile",
    "whoami": "Show the active profile, its API key and whether the key works"}})");
