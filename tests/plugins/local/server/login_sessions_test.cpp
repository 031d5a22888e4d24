#include "server/login_sessions.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

using namespace std::chrono_literals;

class LoginSessionsTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_{};
  LoginSessions sessions_{[this] { return now_; }};
};

TEST_F(LoginSessionsTest, RedeemsDiscoveryTokenOnce) {
  std::string token = sessions_.issue_discovery_token("ada@example.com");

  EXPECT_EQ(sessions_.redeem_discovery_token(token), "ada@example.com");
  EXPECT_FALSE(sessions_.redeem_discovery_token(token).has_value());
}

TEST_F(LoginSessionsTest, DiscoveryTokenExpiresAfterTenMinutes) {
  std::string live = sessions_.issue_discovery_token("ada@example.com");
  std::string expired = sessions_.issue_discovery_token("ada@example.com");

  now_ += 10min - 1s;
  EXPECT_EQ(sessions_.redeem_discovery_token(live), "ada@example.com");
  now_ += 1s;
  EXPECT_FALSE(sessions_.redeem_discovery_token(expired).has_value());
}

TEST_F(LoginSessionsTest, RejectsUnknownTokens) {
  EXPECT_FALSE(sessions_.redeem_discovery_token("discovery-nope").has_value());
  EXPECT_FALSE(sessions_.redeem_discovery_token("").has_value());
  EXPECT_FALSE(sessions_.intermediate_session_identity("nope").has_value());
  EXPECT_FALSE(sessions_.session_account("nope").has_value());
}

TEST_F(LoginSessionsTest, TokensAreDistinct) {
  std::string first = sessions_.issue_discovery_token("ada@example.com");
  std::string second = sessions_.issue_discovery_token("ada@example.com");

  EXPECT_NE(first, second);
  EXPECT_EQ(first.size(), std::string("discovery-").size() + 48);
}

TEST_F(LoginSessionsTest, IntermediateSessionEndsWhenExchanged) {
  std::string token = sessions_.issue_intermediate_session("ada@example.com");

  EXPECT_EQ(sessions_.intermediate_session_identity(token), "ada@example.com");
  EXPECT_EQ(sessions_.intermediate_session_identity(token), "ada@example.com");
  sessions_.end_intermediate_session(token);
  EXPECT_FALSE(sessions_.intermediate_session_identity(token).has_value());
}

TEST_F(LoginSessionsTest, IntermediateSessionExpires) {
  std::string token = sessions_.issue_intermediate_session("ada@example.com");

  now_ += 10min;

  EXPECT_FALSE(sessions_.intermediate_session_identity(token).has_value());
}

TEST_F(LoginSessionsTest, SessionNamesAccountUntilExpiry) {
  Session session = sessions_.start_session("ada@example.com", 101);

  EXPECT_NE(session.session_jwt, session.session_token);
  EXPECT_EQ(sessions_.session_account(session.session_jwt), 101);
  EXPECT_FALSE(sessions_.session_account(session.session_token).has_value());
  now_ += 60min;
  EXPECT_FALSE(sessions_.session_account(session.session_jwt).has_value());
}

}  // namespace
}  // namespace aai::local
