// The sign-in endpoints: Stytch's B2B OAuth discovery start under /stytch, and the account
// service (AMS) under /ams. They are a stand-in with no real identities: the discovery start
// signs in the first identity of the accounts data without asking anyone.
#pragma once

#include <string>

#include "server/account_store.hpp"
#include "server/api_response.hpp"
#include "server/login_sessions.hpp"

namespace aai::local {

/// The only public token the discovery start accepts; the `local` environment's
/// stytch_public_token.
inline constexpr const char* kLocalPublicToken = "public-token-local";

class LoginRoutes {
 public:
  LoginRoutes(AccountStore& accounts, LoginSessions& sessions);

  /// Returns whether `path` belongs to these routes: it starts with /stytch/ or /ams/.
  static bool handles(const std::string& path);

  /// Returns the response to a request whose path handles() accepts. Throws only on failures of the
  /// emulator itself, such as an accounts file that cannot be written.
  ApiResponse handle(const ApiRequest& request);

 private:
  ApiResponse route_ams(const ApiRequest& request, const std::string& path);
  ApiResponse start_discovery(const std::string& target);
  ApiResponse discover(const std::string& body);
  ApiResponse exchange(const std::string& body);
  ApiResponse list_projects(const ApiRequest& request, const std::string& account_id);
  ApiResponse mint_token(const ApiRequest& request, const std::string& account_id);
  std::optional<ApiResponse> session_problem(const ApiRequest& request, int64_t account_id) const;

  AccountStore& accounts_;
  LoginSessions& sessions_;
};

}  // namespace aai::local
