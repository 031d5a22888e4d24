// The calls `aai login` makes to AssemblyAI's account service (AMS) after the browser sign-in.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "login_persistence.hpp"

namespace auth_stytch {

/// Name of the API key that `aai login` reuses or creates in the user's project.
inline constexpr const char* kCliKeyName = "AssemblyAI CLI";

struct Organization {
  std::string id;
  /// The organization's display name, or its id when the reply has none.
  std::string name;
};

/// Reply of POST /v2/auth/discover.
struct Discovery {
  std::string intermediate_session_token;
  std::vector<Organization> organizations;
  std::optional<std::string> email;
};

/// Reply of POST /v2/auth/exchange.
struct Exchange {
  SessionTokens session;
  /// The AMS account id, as decimal text.
  std::string account_id;
};

/// Talks to `ams_base` through the host, so -vv and the secret masking apply. The provider
/// sends no API key to these URLs; the session JWT travels as the cookie stytch_session_jwt.
/// Every method registers the secrets it receives, and throws aai::Error for HTTP errors
/// (see ams_status_error) and for replies of an unexpected shape.
class AmsClient {
 public:
  AmsClient(const aai::Host& host, std::string ams_base);

  /// Trades the browser's one-time discovery token for an intermediate session token and the
  /// account's organizations.
  Discovery discover(const std::string& one_time_token);

  /// Trades the intermediate session token for a session in `organization_id`.
  Exchange exchange(const std::string& intermediate_session_token,
                    const std::string& organization_id);

  /// Returns the account's projects with their API keys: a JSON array.
  nlohmann::json list_projects(const std::string& account_id, const std::string& session_jwt);

  /// Creates an API key named kCliKeyName in `project_id` and returns the key.
  std::string create_cli_key(const std::string& account_id, const std::string& session_jwt,
                             const nlohmann::json& project_id);

 private:
  nlohmann::json call(const std::string& method, const std::string& path,
                      const std::optional<nlohmann::json>& body,
                      const std::optional<std::string>& session_jwt);

  const aai::Host& host_;
  std::string ams_base_;
};

}  // namespace auth_stytch
