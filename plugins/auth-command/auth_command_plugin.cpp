// Registers the `auth-command` credential provider, which gets the API key from a command the
// user configures, in the manner of git credential helpers and AWS credential_process.
#include <aai/plugin.hpp>

#include "command_credentials.hpp"

namespace {

void register_auth_command(aai::Registrar& registrar) {
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
