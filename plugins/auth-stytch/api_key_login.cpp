#include "api_key_login.hpp"

#include <nlohmann/json.hpp>

#include "api_key_credentials.hpp"
#include "key_check.hpp"
#include "login_persistence.hpp"

namespace auth_stytch {

namespace {

constexpr const char* kPipeSuggestion =
    "Pipe the key in: printenv ASSEMBLYAI_API_KEY | aai login --with-api-key";

// Sends the key-check request with `api_key` in place of any configured key, and throws unless
// the API accepts it.
void validate_candidate(const aai::Host& host, KeyProvider& provider, const std::string& api_key) {
  int status = 0;
  {
    CandidateKeyScope candidate(provider, api_key);
    status = check_api_key(host);
  }
  const std::string environment = host.environment();
  if (is_rejected_key_status(status)) {
    throw aai::Error(AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated",
                     "The API key was rejected by " + environment + " (HTTP " +
                         std::to_string(status) + "); nothing was stored.",
                     "Check the key in your AssemblyAI dashboard and try again.");
  }
  if (status < 200 || status >= 300) {
    throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                     "Could not check the API key: " + environment + " returned HTTP " +
                         std::to_string(status) + "; nothing was stored.",
                     "Try again in a minute; if it keeps failing, run it with -vv.");
  }
}

}  // namespace

std::string read_api_key_from_stdin(const aai::Host& host,
                                    const std::function<std::string()>& read_stdin) {
  if (host.is_terminal(0)) {
    throw aai::usage_error("--with-api-key reads the key from stdin, but stdin is a terminal.",
                           kPipeSuggestion);
  }
  const std::string text = read_stdin();
  std::optional<std::string> key = normalize_api_key(text.c_str());
  if (!key) {
    throw aai::usage_error("--with-api-key read no key from stdin.", kPipeSuggestion);
  }
  host.add_secret(*key);
  return *key;
}

std::string api_key_from_option(const aai::Host& host, const std::string& value) {
  std::optional<std::string> key = normalize_api_key(value.c_str());
  if (!key) {
    throw aai::usage_error("--api-key needs a non-empty key.", kPipeSuggestion);
  }
  host.add_secret(*key);
  host.warn(
      "--api-key is deprecated because the key ends up in your shell history; pipe the key to "
      "--with-api-key instead.");
  return *key;
}

int login_with_api_key(const aai::Host& host, KeyProvider& provider, const std::string& api_key) {
  validate_candidate(host, provider, api_key);

  LoginRecord record;
  record.profile = host.profile();
  record.environment = host.environment();
  record.api_key = api_key;
  persist_login(host, record);
  provider.forget_stored_key();

  if (host.is_json()) {
    nlohmann::ordered_json result = {{"authenticated", true},
                                     {"profile", record.profile},
                                     {"env", record.environment},
                                     {"api_key_only", true}};
    host.write(result.dump() + "\n");
  } else {
    host.write("Signed in as " + record.profile + " (" + record.environment +
               ") with an API key.\n");
  }
  return AAI_EXIT_OK;
}

}  // namespace auth_stytch
