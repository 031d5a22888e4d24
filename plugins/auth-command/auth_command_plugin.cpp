// Registers the `auth-command` credential provider, which gets the API key from a command the
// user configures, in the manner of git credential helpers and AWS credential_process.
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include "command_credentials.hpp"

namespace {

// Whether the user set this provider up: a command to run, or core.credential_provider naming it.
// Until then the plugin offers no provider, so that installing it beside auth-stytch does not make
// every run stop with "several plugins provide aai.credentials".
bool is_configured(const aai::Host& host) {
  try {
    return host.config("plugin.auth-command", "command").has_value() ||
           host.config("core", "credential_provider") == "auth-command";
  } catch (const std::exception&) {
    // An unreadable config file is reported by the host itself; offering the provider then lets
    // that report name the config file rather than a missing key.
    return true;
  }
}

void register_auth_command(aai::Registrar& registrar) {
  if (!is_configured(registrar.host())) {
    return;
  }
  // One instance per process, so the key it fetched is reused by every request of the run.
  static auth_command::CommandCredentials credentials;
  registrar.add_provider(AAI_PROVIDER_CREDENTIALS, "auth-command",
                         "API key printed by the command in plugin.auth-command.command",
                         [](const aai::Host& host, const aai::RequestEditor& editor) {
                           credentials.attach(host, editor);
                         });
}

}  // namespace

AAI_DEFINE_PLUGIN("auth-command", "0.1.0", "Credentials from a command you configure",
                  register_auth_command)

AAI_PLUGIN_MANIFEST(
    R"({"manifest": 1, "name": "auth-command", "version": "0.1.0", "abi": ")" AAI_MANIFEST_ABI R"(",
  "summary": "Credentials from a command you configure",
  "commands": [], "needs": ["credentials"], "summaries": {}})");
