#include "server/api_keys.hpp"

namespace aai::local {

ApiKeys::ApiKeys(const AccountStore& accounts, std::optional<std::string> api_key, bool strict)
    : accounts_(accounts), api_key_(std::move(api_key)), strict_(strict || api_key_.has_value()) {}

bool ApiKeys::accepts(const std::string& key) const {
  if (!strict_) {
    return key.find_first_not_of(" \t") != std::string::npos;
  }
  if (api_key_ && key == *api_key_) {
    return true;
  }
  return accounts_.find_key_owner(key).has_value();
}

std::optional<KeyOwner> ApiKeys::find_owner(const std::string& key) const {
  return accounts_.find_key_owner(key);
}

}  // namespace aai::local
