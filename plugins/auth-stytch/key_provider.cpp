#include "key_provider.hpp"

#include "api_key_credentials.hpp"
#include "credential_store.hpp"

namespace auth_stytch {

namespace {

std::string describe(KeySource source) {
  switch (source) {
    case KeySource::kLoginCandidate:
      return "the key being validated by aai login";
    case KeySource::kEnvironmentVariable:
      return kApiKeyVariable;
    case KeySource::kSecretStore:
      return "the secret store";
  }
  return "an unknown source";
}

}  // namespace

std::optional<ResolvedKey> KeyProvider::resolve(const aai::Host& host) {
  if (candidate_) {
    return ResolvedKey{*candidate_, KeySource::kLoginCandidate};
  }
  if (auto from_environment = api_key_from_environment()) {
    return ResolvedKey{*from_environment, KeySource::kEnvironmentVariable};
  }
  const auto& stored = stored_key(host);
  if (!stored) {
    return std::nullopt;
  }

  const std::string profile = host.profile();
  const std::string bound = bound_environment(host, profile);
  const std::string active = host.environment();
  if (bound != active) {
    throw aai::Error(
        AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated",
        "Profile '" + profile + "' is signed in to '" + bound + "', not to '" + active + "'.",
        "Run `aai --env " + active + " login` to sign in there, or drop --env and " +
            "AAI_ENV to use '" + bound + "'.");
  }
  return ResolvedKey{*stored, KeySource::kSecretStore};
}

void KeyProvider::pre_request(const aai::Host& host, const aai::RequestEditor& editor) {
  if (!editor.is_environment_host()) {
    return;
  }
  const std::optional<std::string> field = editor.environment_field();
  // An empty key is enough to learn whether this endpoint takes a key at all.
  if (!aai::api_key_authorization(field, "")) {
    return;
  }

  const std::optional<ResolvedKey> key = resolve(host);
  if (!key) {
    throw missing_api_key_error();
  }
  const std::string authorization = *aai::api_key_authorization(field, key->value);
  attach_api_key(host, editor, authorization, key->value, describe(key->source));
}

void KeyProvider::forget_stored_key() {
  stored_key_loaded_ = false;
  stored_key_.reset();
}

const std::optional<std::string>& KeyProvider::stored_key(const aai::Host& host) {
  if (!stored_key_loaded_) {
    stored_key_ = host.secret(kSecretService, api_key_account(host.profile()));
    stored_key_loaded_ = true;
    if (stored_key_) {
      host.add_secret(*stored_key_);
    }
  }
  return stored_key_;
}

std::string bound_environment(const aai::Host& host, const std::string& profile) {
  return host.config(profile_section(profile), "env").value_or("production");
}

std::optional<std::string> configured_provider(const aai::Host& host, std::string& config_key) {
  if (auto name = host.config("core", "credential_provider")) {
    config_key = "core.credential_provider";
    return name;
  }
  if (auto name = host.config("providers", AAI_PROVIDER_CREDENTIALS)) {
    config_key = std::string("providers.") + AAI_PROVIDER_CREDENTIALS;
    return name;
  }
  return std::nullopt;
}

}  // namespace auth_stytch
