#include "whoami_command.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "api_key_credentials.hpp"
#include "credential_store.hpp"
#include "key_check.hpp"

namespace auth_stytch {

namespace {

constexpr size_t kMaxFullyMaskedLength = 8;

struct Identity {
  std::string profile;
  std::string environment;
  std::string provider;
  nlohmann::json key_source;
  nlohmann::json masked_key;
  bool reachable = false;
  nlohmann::json account_id;
  bool has_session = false;
};

nlohmann::json config_id(const std::optional<std::string>& value) {
  if (!value) {
    return nullptr;
  }
  const bool all_digits = !value->empty() && value->size() < 19 &&
                          std::all_of(value->begin(), value->end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
  if (all_digits) {
    return std::stoll(*value);
  }
  return *value;
}

bool check_reachable(const aai::Host& host, const std::string& environment) {
  const int status = check_api_key(host);
  if (status >= 200 && status < 300) {
    return true;
  }
  if (is_rejected_key_status(status)) {
    return false;
  }
  throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                   "Could not check the API key: " + environment + " returned HTTP " +
                       std::to_string(status) + ".",
                   "Try again in a minute; if it keeps failing, run it with -vv.");
}

void write_identity(const aai::Host& host, const Identity& identity) {
  if (host.is_json()) {
    nlohmann::ordered_json result = {
        {"profile", identity.profile},       {"env", identity.environment},
        {"provider", identity.provider},     {"key_source", identity.key_source},
        {"api_key", identity.masked_key},    {"reachable", identity.reachable},
        {"account_id", identity.account_id}, {"session", identity.has_session ? "stored" : "none"}};
    host.write(result.dump() + "\n");
    return;
  }
  auto text = [](const nlohmann::json& value, const std::string& if_null) {
    return value.is_null() ? if_null : value.is_string() ? value.get<std::string>() : value.dump();
  };
  host.write("Profile:      " + identity.profile + "\n" + "Environment:  " + identity.environment +
             "\n" + "Provider:     " + identity.provider + "\n" + "Key source:   " +
             text(identity.key_source, "the " + identity.provider + " provider") + "\n" +
             "API key:      " + text(identity.masked_key, "(not known to auth-stytch)") + "\n" +
             "Key works:    " + (identity.reachable ? "yes" : "no") + "\n" +
             "Account id:   " + text(identity.account_id, "none") + "\n" +
             "Session:      " + (identity.has_session ? "stored" : "none") + "\n");
}

int run_whoami(const aai::Host& host, KeyProvider& provider) {
  Identity identity;
  identity.profile = host.profile();
  identity.environment = host.environment();
  std::string config_key;
  identity.provider = configured_provider(host, config_key).value_or(kProviderName);

  std::optional<ResolvedKey> key;
  if (identity.provider == kProviderName) {
    key = provider.resolve(host);
    if (!key) {
      throw missing_api_key_error();
    }
    identity.key_source = key->source == KeySource::kEnvironmentVariable
                              ? std::string(kApiKeyVariable)
                              : host.secret_store_description();
    identity.masked_key = mask_api_key(key->value);
  }
  identity.reachable = check_reachable(host, identity.environment);
  identity.account_id = config_id(host.config(profile_section(identity.profile), "account_id"));
  identity.has_session = host.secret(kSecretService, session_account(identity.profile)).has_value();

  write_identity(host, identity);
  if (!identity.reachable) {
    const bool from_variable = key && key->source == KeySource::kEnvironmentVariable;
    throw aai::Error(AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated",
                     "The API key was rejected by " + identity.environment + ".",
                     from_variable ? "Check ASSEMBLYAI_API_KEY, or unset it to use the stored key."
                                   : "Run `aai login` to store a new key.");
  }
  return AAI_EXIT_OK;
}

}  // namespace

std::string mask_api_key(const std::string& api_key) {
  if (api_key.size() <= kMaxFullyMaskedLength) {
    return "***";
  }
  return api_key.substr(0, 3) + "..." + api_key.substr(api_key.size() - 4);
}

aai::Command whoami_command(KeyProvider& provider) {
  return aai::Command{"whoami",
                      "Show the active profile, its API key and whether the key works",
                      "Shows the profile, environment, credential provider, where the key comes "
                      "from (masked), whether the API accepts it, the account id and whether a "
                      "browser session is stored. Exits with 4 when the key is rejected.",
                      {},
                      {},
                      [&provider](const aai::Host& host, const aai::Invocation&) {
                        return run_whoami(host, provider);
                      }};
}

}  // namespace auth_stytch
