// The API key check of the emulator's REST API, in open and strict mode.
#pragma once

#include <optional>
#include <string>

#include "server/account_store.hpp"

namespace aai::local {

/// In open mode (neither --api-key nor --accounts given) any non-blank key is accepted, because
/// the emulator cannot check real AssemblyAI keys. In strict mode (either given) only the
/// --api-key value and the keys of tokens in the accounts data that are not disabled are.
class ApiKeys {
 public:
  ApiKeys(const AccountStore& accounts, std::optional<std::string> api_key, bool strict);

  bool is_strict() const { return strict_; }

  /// Returns whether `key`, the value of an Authorization header, is accepted.
  bool accepts(const std::string& key) const;

  /// Returns the account `key` belongs to, in either mode; nullopt for the --api-key value and
  /// for keys not in the accounts data.
  std::optional<KeyOwner> find_owner(const std::string& key) const;

 private:
  const AccountStore& accounts_;
  std::optional<std::string> api_key_;
  bool strict_;
};

}  // namespace aai::local
