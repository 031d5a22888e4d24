#include "server/account_store.hpp"

#include <algorithm>
#include <stdexcept>

#include "server/accounts_file.hpp"
#include "server/random_token.hpp"
#include "server/transcript_store.hpp"

namespace aai::local {

namespace {

using nlohmann::json;

json load_saved_accounts(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    return default_accounts();
  }
  try {
    return read_accounts_file(file);
  } catch (const AccountsFileError& error) {
    throw std::runtime_error(std::string(error.what()) +
                             " Delete it to start from the built-in "
                             "accounts, or start the emulator with --accounts FILE to replace it.");
  }
}

// Walks every token with the organization and identity it belongs to.
template <typename Visit>
void for_each_token(const json& accounts, Visit visit) {
  for (const json& identity : accounts["identities"]) {
    for (const json& organization : identity["organizations"]) {
      for (const json& entry : organization.value("projects", json::array())) {
        for (const json& token : entry.value("tokens", json::array())) {
          visit(identity, organization, token);
        }
      }
    }
  }
}

// Returns the organization whose account is `account_id`, or nullptr; `Json` is json or const json.
template <typename Json>
Json* find_organization(Json& accounts, int64_t account_id) {
  for (auto& identity : accounts["identities"]) {
    for (auto& organization : identity["organizations"]) {
      if (organization["account_id"] == account_id) {
        return &organization;
      }
    }
  }
  return nullptr;
}

int64_t next_token_id(const json& accounts) {
  int64_t largest = 0;
  for_each_token(accounts, [&largest](const json&, const json&, const json& token) {
    largest = std::max(largest, token["id"].get<int64_t>());
  });
  return largest + 1;
}

}  // namespace

AccountStore::AccountStore(std::filesystem::path data_dir, std::optional<json> seed)
    : file_(data_dir / "accounts.json") {
  std::filesystem::create_directories(data_dir);
  if (seed) {
    accounts_ = std::move(*seed);
    save(accounts_);
  } else {
    accounts_ = load_saved_accounts(file_);
  }
  index_keys();
}

void AccountStore::index_keys() {
  key_owners_.clear();
  for_each_token(accounts_, [this](const json& identity, const json& organization,
                                   const json& token) {
    if (!token.contains("api_key") || token.value("is_disabled", false)) {
      return;
    }
    KeyOwner owner{organization["account_id"].get<int64_t>(),
                   organization["organization_id"].get<std::string>(),
                   identity["email"].get<std::string>(), organization.value("llm_gateway", false)};
    key_owners_.emplace(token["api_key"].get<std::string>(), std::move(owner));
  });
}

void AccountStore::save(const json& accounts) const {
  write_file_atomically(file_, accounts.dump(2) + "\n");
}

std::string AccountStore::first_identity_email() const {
  std::lock_guard lock(mutex_);
  return accounts_["identities"][0]["email"].get<std::string>();
}

std::vector<Organization> AccountStore::organizations(const std::string& email) const {
  std::lock_guard lock(mutex_);
  for (const json& identity : accounts_["identities"]) {
    if (identity["email"] != email) {
      continue;
    }
    std::vector<Organization> found;
    for (const json& organization : identity["organizations"]) {
      found.push_back({organization["organization_id"].get<std::string>(),
                       organization["organization_name"].get<std::string>(),
                       organization["account_id"].get<int64_t>()});
    }
    return found;
  }
  return {};
}

std::optional<json> AccountStore::projects(int64_t account_id) const {
  std::lock_guard lock(mutex_);
  const json* organization = find_organization(accounts_, account_id);
  if (organization == nullptr) {
    return std::nullopt;
  }
  return organization->value("projects", json::array());
}

std::optional<json> AccountStore::mint_token(int64_t account_id, int64_t project_id,
                                             const std::string& token_name) {
  std::lock_guard lock(mutex_);
  json changed = accounts_;
  json* organization = find_organization(changed, account_id);
  if (organization == nullptr || !organization->contains("projects")) {
    return std::nullopt;
  }
  for (json& entry : (*organization)["projects"]) {
    const json& project = entry.value("project", json());
    if (!project.is_object() || project["id"] != project_id) {
      continue;
    }
    json token = {{"id", next_token_id(changed)},
                  {"token_name", token_name},
                  {"is_disabled", false},
                  {"api_key", "local-" + random_hex(16)}};
    entry["tokens"].push_back(token);
    save(changed);
    accounts_ = std::move(changed);
    index_keys();
    return token;
  }
  return std::nullopt;
}

std::optional<KeyOwner> AccountStore::find_key_owner(const std::string& api_key) const {
  std::lock_guard lock(mutex_);
  auto found = key_owners_.find(api_key);
  if (found == key_owners_.end()) {
    return std::nullopt;
  }
  return found->second;
}

}  // namespace aai::local
