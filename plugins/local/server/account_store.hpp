// The accounts the emulator plays AMS with: identities, their organizations (one account each),
// projects and API tokens, saved in <data dir>/accounts.json so minted keys survive a restart.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace aai::local {

/// The account an API key belongs to.
struct KeyOwner {
  int64_t account_id = 0;
  std::string organization_id;
  std::string email;
  /// The organization's "llm_gateway" flag: whether its keys may use the LLM gateway.
  bool llm_gateway = false;
};

struct Organization {
  std::string organization_id;
  std::string organization_name;
  int64_t account_id = 0;
};

/// Thread-safe. Every change is written to accounts.json through a temporary file and a rename.
class AccountStore {
 public:
  /// With `seed`, uses it and saves it over <data_dir>/accounts.json; otherwise loads that file,
  /// or uses default_accounts() when it does not exist. Throws std::runtime_error naming the
  /// file when it cannot be read or written or is not valid accounts data.
  AccountStore(std::filesystem::path data_dir, std::optional<nlohmann::json> seed);

  const std::filesystem::path& file() const { return file_; }

  /// Returns the email of the first identity, the one every sign-in signs in as.
  std::string first_identity_email() const;

  /// Returns the organizations of the identity `email`, in file order; empty when unknown.
  std::vector<Organization> organizations(const std::string& email) const;

  /// Returns the project entries of `account_id` as stored ({"project": ..., "tokens": [...]}),
  /// or nullopt when no organization has that account id.
  std::optional<nlohmann::json> projects(int64_t account_id) const;

  /// Adds an enabled token named `token_name` with a new random key ("local-" and 32 hex
  /// digits) to project `project_id` of `account_id`, saves, and returns the token object.
  /// Returns nullopt when the account has no such project. Throws std::runtime_error when the
  /// file cannot be written, and then keeps nothing of the new token.
  std::optional<nlohmann::json> mint_token(int64_t account_id, int64_t project_id,
                                           const std::string& token_name);

  /// Returns the owner of `api_key` when it is the key of a token that is not disabled.
  std::optional<KeyOwner> find_key_owner(const std::string& api_key) const;

 private:
  void index_keys();
  void save(const nlohmann::json& accounts) const;

  std::filesystem::path file_;
  mutable std::mutex mutex_;
  nlohmann::json accounts_;
  std::map<std::string, KeyOwner> key_owners_;
};

}  // namespace aai::local
