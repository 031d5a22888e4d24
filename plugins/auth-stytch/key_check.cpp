#include "key_check.hpp"

namespace auth_stytch {

namespace {

// The host's fixed message for HTTP 401 on a request that carried a credential header. The
// provider's own not_authenticated errors (no key, wrong environment) have other messages and
// must reach the user unchanged.
constexpr const char* kHostRejectedKeyMessage = "Your API key was rejected.";

}  // namespace

int check_api_key(const aai::Host& host) {
  aai::HttpRequest request;
  request.method = "GET";
  request.url = host.require_environment_field("api_base") + "/v2/transcript?limit=1";
  try {
    return host.send(request).status;
  } catch (const aai::Error& error) {
    if (error.type() == "not_authenticated" &&
        std::string(error.what()) == kHostRejectedKeyMessage) {
      return 401;
    }
    throw;
  }
}

}  // namespace auth_stytch
