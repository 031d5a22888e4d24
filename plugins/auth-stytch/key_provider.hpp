// The auth-stytch credential provider: which API key a request carries, and whether it may.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>

namespace auth_stytch {

enum class KeySource {
  /// The key `aai login` is validating before it stores it.
  kLoginCandidate,
  /// ASSEMBLYAI_API_KEY.
  kEnvironmentVariable,
  /// The active profile's keyring entry.
  kSecretStore,
};

struct ResolvedKey {
  std::string value;
  KeySource source;
};

/// Process-wide state of the provider: the stored key, read once per run, and the candidate key
/// that `aai login` validates. One instance lives as long as the plugin.
class KeyProvider {
 public:
  /// Returns the key for this run: login's candidate, else ASSEMBLYAI_API_KEY, else the active
  /// profile's stored key. Returns nullopt when there is none. Throws not_authenticated (exit 4)
  /// when the stored key belongs to another environment than the active one, because a key must
  /// never reach an environment it was not issued for, and keyring_error when the store fails.
  std::optional<ResolvedKey> resolve(const aai::Host& host);

  /// Attaches the key to a request for the API, streaming or LLM gateway endpoints of the active
  /// environment. Other requests (the account service, other hosts) are left alone.
  void pre_request(const aai::Host& host, const aai::RequestEditor& editor);

  void set_candidate(std::optional<std::string> key) { candidate_ = std::move(key); }

  /// Drops the cached stored key, after login or logout changed the keyring.
  void forget_stored_key();

 private:
  const std::optional<std::string>& stored_key(const aai::Host& host);

  std::optional<std::string> candidate_;
  bool stored_key_loaded_ = false;
  std::optional<std::string> stored_key_;
};

/// Makes `key` the provider's candidate for the life of the scope.
class CandidateKeyScope {
 public:
  CandidateKeyScope(KeyProvider& provider, std::string key) : provider_(provider) {
    provider_.set_candidate(std::move(key));
  }
  ~CandidateKeyScope() { provider_.set_candidate(std::nullopt); }
  CandidateKeyScope(const CandidateKeyScope&) = delete;
  CandidateKeyScope& operator=(const CandidateKeyScope&) = delete;

 private:
  KeyProvider& provider_;
};

/// Returns the environment a profile's stored key is bound to: its config key env, or
/// "production" when that is unset.
std::string bound_environment(const aai::Host& host, const std::string& profile);

/// Returns the credential provider the config selects: core.credential_provider, else the older
/// providers.aai.credentials, else nullopt. Sets `config_key` to the key that named it.
std::optional<std::string> configured_provider(const aai::Host& host, std::string& config_key);

}  // namespace auth_stytch
