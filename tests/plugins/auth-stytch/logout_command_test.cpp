#include "logout_command.hpp"

#include <gtest/gtest.h>

#include "auth_test_fixture.hpp"

namespace auth_stytch::testing {
namespace {

using LogoutTest = AuthCommandTest;

TEST_F(LogoutTest, RemovesKeySessionAndAccount) {
  store_key(kStoredKey);
  host_.stored_secrets[{"assemblyai-cli", "session:default"}] = R"({"jwt":"j","token":"t"})";
  host_.config[{"profile.default", "account_id"}] = "42";
  host_.config[{"profile.default", "email"}] = "ada@example.com";

  ASSERT_EQ(run("logout"), 0);

  EXPECT_EQ(host_.stdout_text, "Signed out of default.\n");
  EXPECT_TRUE(host_.stored_secrets.empty());
  EXPECT_EQ(host_.config.count({"profile.default", "account_id"}), 0u);
  EXPECT_EQ(host_.config.count({"profile.default", "email"}), 0u);
  EXPECT_EQ((host_.config[{"profile.default", "env"}]), "production");
}

TEST_F(LogoutTest, SecondLogoutFindsNothing) {
  store_key(kStoredKey);
  ASSERT_EQ(run("logout"), 0);
  host_.stdout_text.clear();

  ASSERT_EQ(run("logout"), 0);

  EXPECT_EQ(host_.stdout_text, "Nothing was stored for default.\n");
}

TEST_F(LogoutTest, WritesJsonResult) {
  host_.json = true;
  store_key(kStoredKey);

  ASSERT_EQ(run("logout"), 0);
  ASSERT_EQ(run("logout"), 0);

  EXPECT_EQ(host_.stdout_text,
            "{\"logged_out\":true,\"profile\":\"default\",\"cleared\":true}\n"
            "{\"logged_out\":true,\"profile\":\"default\",\"cleared\":false}\n");
}

TEST_F(LogoutTest, WarnsAndSucceedsWhenKeyringFails) {
  store_key(kStoredKey);
  host_.config[{"profile.default", "account_id"}] = "42";
  host_.secret_remove_error = "The keyring is locked.";

  ASSERT_EQ(run("logout"), 0);

  ASSERT_EQ(warnings().size(), 2u);
  EXPECT_EQ(warnings()[0], "Could not remove the keyring entry 'default': The keyring is locked.");
  EXPECT_EQ(warnings()[1],
            "Could not remove the keyring entry 'session:default': The keyring is locked.");
  EXPECT_EQ(host_.config.count({"profile.default", "account_id"}), 0u);
  EXPECT_EQ(host_.stdout_text, "Signed out of default.\n");
}

TEST_F(LogoutTest, ForgetsCachedKey) {
  store_key(kStoredKey);
  host_.respond(200, "{}");
  ASSERT_EQ(run("whoami"), 0);

  ASSERT_EQ(run("logout"), 0);
  ASSERT_EQ(run("whoami"), 4);

  EXPECT_EQ(last_failure_->message, "No API key is configured.");
}

}  // namespace
}  // namespace auth_stytch::testing
