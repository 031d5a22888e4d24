// The account-service half of `aai login`: from the browser's one-time token to an API key.
#pragma once

#include <aai/plugin.hpp>

#include <string>

#include "login_persistence.hpp"

namespace auth_stytch {

struct AccountLogin {
  LoginRecord record;
  std::string organization_name;
};

/// Discovers the account's organizations, opens a session in the first one, and reuses the
/// project's "AssemblyAI CLI" key or creates one. Returns what persist_login stores for
/// `profile` in the active environment. Throws api_error when the account has no organization
/// or no project, and the AmsClient errors.
AccountLogin complete_account_login(const aai::Host& host, const std::string& one_time_token,
                                    const std::string& profile);

}  // namespace auth_stytch
