// Stores what a successful login produced, all or nothing.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>

namespace auth_stytch {

/// The Stytch session of a browser login, kept so account commands can act for the user.
struct SessionTokens {
  std::string jwt;
  std::string token;
};

struct LoginRecord {
  std::string profile;
  std::string environment;
  std::string api_key;
  /// Unset for a login with an API key, which removes any stored session.
  std::optional<SessionTokens> session;
  /// Unset for a login with an API key, which removes the stored ones.
  std::optional<std::string> account_id;
  std::optional<std::string> email;
};

/// Writes the keyring entries `<profile>` and `session:<profile>`, the profile's env,
/// account_id and email, and core.active_profile when it is unset. When any write fails, puts
/// back every value as it was before (best effort, with a warning for each value that could not
/// be put back) and rethrows the original failure.
void persist_login(const aai::Host& host, const LoginRecord& record);

}  // namespace auth_stytch
