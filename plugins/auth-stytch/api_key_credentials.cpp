#include "api_key_credentials.hpp"

#include <cstdlib>

namespace auth_stytch {

std::optional<std::string> normalize_api_key(const char* raw) {
  if (raw == nullptr) {
    return std::nullopt;
  }
  const std::string text = raw;
  const char* kWhitespace = " \t\r\n\v\f";
  const size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string::npos) {
    return std::nullopt;
  }
  const size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

std::optional<std::string> api_key_from_environment() {
  return normalize_api_key(std::getenv(kApiKeyVariable));
}

aai::Error missing_api_key_error() {
  return aai::Error(AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated", "No API key is configured.",
                    "Run `aai login`, or set ASSEMBLYAI_API_KEY to your API key.");
}

void attach_api_key(const aai::Host& host, const aai::RequestEditor& editor,
                    const std::string& authorization, const std::string& api_key,
                    const std::string& source) {
  // Registered before use so that even a -vv line the host writes about this request masks it.
  host.add_secret(api_key);
  if (authorization != api_key) {
    host.add_secret(authorization);
  }
  if (!editor.set_credential_header("Authorization", authorization)) {
    throw aai::Error(AAI_EXIT_FAILURE, "internal_error",
                     "The host refused the Authorization header for " + editor.url() + ".",
                     "Run the command again with -vv and report the output.");
  }
  host.debug("Authorization set from " + source + " for " + editor.method() + " " + editor.url());
}

}  // namespace auth_stytch
