// The short-lived secrets of the sign-in protocol, kept in memory only: one-time discovery
// tokens, intermediate session tokens and sessions.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace aai::local {

/// How long a discovery token and an intermediate session token can be used.
inline constexpr std::chrono::minutes kLoginTokenLifetime{10};

/// How long a session (its session_jwt) is accepted by the account endpoints.
inline constexpr std::chrono::minutes kSessionLifetime{60};

struct Session {
  std::string session_jwt;
  std::string session_token;
};

/// Thread-safe. Nothing here is saved, so a restart of the emulator ends every session.
class LoginSessions {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// `clock` is steady_clock::now outside tests.
  explicit LoginSessions(Clock clock = &std::chrono::steady_clock::now);

  /// Issues a one-time discovery token for the identity `email`.
  std::string issue_discovery_token(const std::string& email);

  /// Returns the identity of a live discovery token and makes the token unusable; nullopt when
  /// the token is unknown, expired or already redeemed.
  std::optional<std::string> redeem_discovery_token(const std::string& token);

  /// Issues an intermediate session token for the identity `email`.
  std::string issue_intermediate_session(const std::string& email);

  /// Returns the identity of a live intermediate session token, or nullopt.
  std::optional<std::string> intermediate_session_identity(const std::string& token) const;

  /// Makes an intermediate session token unusable.
  void end_intermediate_session(const std::string& token);

  /// Starts a session of `email` in account `account_id`.
  Session start_session(const std::string& email, int64_t account_id);

  /// Returns the account of a live session, found by its session_jwt, or nullopt.
  std::optional<int64_t> session_account(const std::string& session_jwt) const;

 private:
  struct Grant {
    std::string email;
    int64_t account_id = 0;
    std::chrono::steady_clock::time_point expires;
  };

  using Grants = std::map<std::string, Grant>;

  std::string issue(Grants& grants, Grant grant, const std::string& prefix);
  std::optional<Grant> live(const Grants& grants, const std::string& token) const;
  void drop_expired(Grants& grants);

  Clock clock_;
  mutable std::mutex mutex_;
  Grants discovery_tokens_;
  Grants intermediate_sessions_;
  Grants sessions_;
};

}  // namespace aai::local
