#include "login_persistence.hpp"

#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "credential_store.hpp"

namespace auth_stytch {

namespace {

struct ConfigValue {
  std::string section;
  std::string key;
  std::optional<std::string> value;
};

struct Snapshot {
  std::optional<std::string> api_key;
  std::optional<std::string> session;
  std::vector<ConfigValue> config;
  bool had_active_profile = false;
};

Snapshot take_snapshot(const aai::Host& host, const std::string& profile) {
  Snapshot snapshot;
  snapshot.api_key = host.secret(kSecretService, api_key_account(profile));
  snapshot.session = host.secret(kSecretService, session_account(profile));
  const std::string section = profile_section(profile);
  for (const char* key : {"env", "account_id", "email"}) {
    snapshot.config.push_back({section, key, host.config(section, key)});
  }
  snapshot.config.push_back({"core", "active_profile", host.config("core", "active_profile")});
  snapshot.had_active_profile = snapshot.config.back().value.has_value();
  return snapshot;
}

void put_secret(const aai::Host& host, const std::string& account, const std::string& label,
                const std::optional<std::string>& value) {
  if (value) {
    host.store_secret(kSecretService, account, label, *value);
  } else {
    host.remove_secret(kSecretService, account);
  }
}

// Runs one restore step; a failure is logged, not thrown, so the other steps still run.
void try_restore(const aai::Host& host, const std::string& what,
                 const std::function<void()>& step) {
  try {
    step();
  } catch (const std::exception& error) {
    host.log(AAI_LOG_WARNING,
             "Could not put back " + what + " after the failed login: " + error.what());
  }
}

void restore(const aai::Host& host, const std::string& profile, const Snapshot& snapshot) {
  try_restore(host, "the stored API key", [&] {
    put_secret(host, api_key_account(profile), api_key_label(profile), snapshot.api_key);
  });
  try_restore(host, "the stored session", [&] {
    put_secret(host, session_account(profile), session_label(profile), snapshot.session);
  });
  for (const auto& entry : snapshot.config) {
    try_restore(host, "the config key " + entry.section + "." + entry.key,
                [&] { host.set_config(entry.section, entry.key, entry.value); });
  }
}

std::optional<std::string> session_json(const std::optional<SessionTokens>& session) {
  if (!session) {
    return std::nullopt;
  }
  return nlohmann::json{{"jwt", session->jwt}, {"token", session->token}}.dump();
}

void write(const aai::Host& host, const LoginRecord& record, const Snapshot& snapshot) {
  const std::string& profile = record.profile;
  put_secret(host, api_key_account(profile), api_key_label(profile), record.api_key);
  put_secret(host, session_account(profile), session_label(profile), session_json(record.session));

  const std::string section = profile_section(profile);
  host.set_config(section, "env", record.environment);
  host.set_config(section, "account_id", record.account_id);
  host.set_config(section, "email", record.email);
  if (!snapshot.had_active_profile) {
    host.set_config("core", "active_profile", profile);
  }
}

}  // namespace

void persist_login(const aai::Host& host, const LoginRecord& record) {
  const Snapshot snapshot = take_snapshot(host, record.profile);
  try {
    write(host, record, snapshot);
  } catch (const aai::Error&) {
    restore(host, record.profile, snapshot);
    throw;
  }
}

}  // namespace auth_stytch
