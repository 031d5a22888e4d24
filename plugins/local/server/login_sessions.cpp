#include "server/login_sessions.hpp"

#include "server/random_token.hpp"

namespace aai::local {

LoginSessions::LoginSessions(Clock clock) : clock_(std::move(clock)) {}

std::string LoginSessions::issue(Grants& grants, Grant grant, const std::string& prefix) {
  drop_expired(grants);
  std::string token = prefix + random_hex(24);
  grants[token] = std::move(grant);
  return token;
}

std::optional<LoginSessions::Grant> LoginSessions::live(const Grants& grants,
                                                        const std::string& token) const {
  auto found = grants.find(token);
  if (found == grants.end() || clock_() >= found->second.expires) {
    return std::nullopt;
  }
  return found->second;
}

// Expired entries are removed whenever a new one is issued, so the maps stay as small as the
// number of tokens issued within one lifetime.
void LoginSessions::drop_expired(Grants& grants) {
  auto now = clock_();
  std::erase_if(grants, [now](const auto& entry) { return now >= entry.second.expires; });
}

std::string LoginSessions::issue_discovery_token(const std::string& email) {
  std::lock_guard lock(mutex_);
  return issue(discovery_tokens_, {email, 0, clock_() + kLoginTokenLifetime}, "discovery-");
}

std::optional<std::string> LoginSessions::redeem_discovery_token(const std::string& token) {
  std::lock_guard lock(mutex_);
  auto grant = live(discovery_tokens_, token);
  discovery_tokens_.erase(token);
  if (!grant) {
    return std::nullopt;
  }
  return grant->email;
}

std::string LoginSessions::issue_intermediate_session(const std::string& email) {
  std::lock_guard lock(mutex_);
  return issue(intermediate_sessions_, {email, 0, clock_() + kLoginTokenLifetime}, "intermediate-");
}

std::optional<std::string> LoginSessions::intermediate_session_identity(
    const std::string& token) const {
  std::lock_guard lock(mutex_);
  auto grant = live(intermediate_sessions_, token);
  if (!grant) {
    return std::nullopt;
  }
  return grant->email;
}

void LoginSessions::end_intermediate_session(const std::string& token) {
  std::lock_guard lock(mutex_);
  intermediate_sessions_.erase(token);
}

Session LoginSessions::start_session(const std::string& email, int64_t account_id) {
  std::lock_guard lock(mutex_);
  std::string jwt =
      issue(sessions_, {email, account_id, clock_() + kSessionLifetime}, "session-jwt-");
  return {jwt, "session-token-" + random_hex(24)};
}

std::optional<int64_t> LoginSessions::session_account(const std::string& session_jwt) const {
  std::lock_guard lock(mutex_);
  auto grant = live(sessions_, session_jwt);
  if (!grant) {
    return std::nullopt;
  }
  return grant->account_id;
}

}  // namespace aai::local
