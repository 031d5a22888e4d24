// Registers the `stytch` credential provider. For now it reads ASSEMBLYAI_API_KEY; the browser
// login that stores a key will extend this provider.
#include <aai/plugin.hpp>

#include "api_key_credentials.hpp"

namespace {

void register_auth_stytch(aai::Registrar& registrar) {
  registrar.add_provider(AAI_PROVIDER_CREDENTIALS, "stytch",
                         "API key from ASSEMBLYAI_API_KEY, sent as the Authorization header",
                         [](const aai::Host& host, const aai::RequestEditor& editor) {
                           // Read on every request, so that nothing happens at plugin load.
                           auth_stytch::attach_api_key(host, editor,
                                                       auth_stytch::api_key_from_environment());
                         });
}

}  // namespace

AAI_DEFINE_PLUGIN("auth-stytch", "0.1.0", "Credentials for AssemblyAI's API", register_auth_stytch)
