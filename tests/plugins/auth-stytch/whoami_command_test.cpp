#include "whoami_command.hpp"

#include <gtest/gtest.h>

#include "auth_test_fixture.hpp"

namespace auth_stytch::testing {
namespace {

using WhoamiTest = AuthCommandTest;

TEST(MaskApiKeyTest, KeepsThreeAndFourCharacters) {
  EXPECT_EQ(mask_api_key("0123456789abcdef"), "012...cdef");
  EXPECT_EQ(mask_api_key("123456789"), "123...6789");
}

TEST(MaskApiKeyTest, HidesShortKeysWhole) {
  EXPECT_EQ(mask_api_key("12345678"), "***");
  EXPECT_EQ(mask_api_key("k"), "***");
  EXPECT_EQ(mask_api_key(""), "***");
}

TEST_F(WhoamiTest, ShowsStoredKeyMasked) {
  store_key(kStoredKey);
  host_.config[{"profile.default", "account_id"}] = "42";
  host_.stored_secrets[{"assemblyai-cli", "session:default"}] = R"({"jwt":"j","token":"t"})";
  host_.respond(200, "{}");

  ASSERT_EQ(run("whoami"), 0);

  EXPECT_EQ(host_.stdout_text,
            "Profile:      default\n"
            "Environment:  production\n"
            "Provider:     auth-stytch\n"
            "Key source:   the file /fake/secrets.json\n"
            "API key:      sto...cdef\n"
            "Key works:    yes\n"
            "Account id:   42\n"
            "Session:      stored\n");
  EXPECT_EQ(host_.stdout_text.find(kStoredKey), std::string::npos);
  EXPECT_EQ(host_.requests.at(0).url, "http://127.0.0.1:9101/v2/transcript?limit=1");
  EXPECT_EQ(header(host_.requests[0], "Authorization"), kStoredKey);
}

TEST_F(WhoamiTest, WritesJson) {
  host_.json = true;
  store_key(kStoredKey);
  host_.config[{"profile.default", "account_id"}] = "42";
  host_.respond(200, "{}");

  ASSERT_EQ(run("whoami"), 0);

  EXPECT_EQ(host_.stdout_text,
            R"({"profile":"default","env":"production","provider":"auth-stytch",)"
            R"("key_source":"the file /fake/secrets.json","api_key":"sto...cdef",)"
            R"("reachable":true,"account_id":42,"session":"none"})"
            "\n");
}

TEST_F(WhoamiTest, PrefersEnvironmentVariable) {
  host_.json = true;
  store_key(kStoredKey);
  setenv("ASSEMBLYAI_API_KEY", "environment-key-0123456789", 1);
  host_.respond(200, "{}");

  ASSERT_EQ(run("whoami"), 0);

  EXPECT_EQ(host_.stdout_text,
            R"({"profile":"default","env":"production","provider":"auth-stytch",)"
            R"("key_source":"ASSEMBLYAI_API_KEY","api_key":"env...6789",)"
            R"("reachable":true,"account_id":null,"session":"none"})"
            "\n");
}

TEST_F(WhoamiTest, PrintsThenFailsForRejectedKey) {
  host_.json = true;
  store_key(kStoredKey);
  host_.respond(401, R"({"error":"Authentication error, API token missing/invalid"})");

  ASSERT_EQ(run("whoami"), 4);

  EXPECT_NE(host_.stdout_text.find(R"("reachable":false)"), std::string::npos);
  EXPECT_EQ(last_failure_->type, "not_authenticated");
  EXPECT_EQ(last_failure_->message, "The API key was rejected by production.");
  EXPECT_EQ(last_failure_->suggestion, "Run `aai login` to store a new key.");
}

TEST_F(WhoamiTest, FailsWithoutKey) {
  ASSERT_EQ(run("whoami"), 4);

  EXPECT_EQ(last_failure_->type, "not_authenticated");
  EXPECT_EQ(last_failure_->message, "No API key is configured.");
  EXPECT_EQ(last_failure_->suggestion,
            "Run `aai login`, or set ASSEMBLYAI_API_KEY to your API key.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(WhoamiTest, ReportsNetworkFailure) {
  store_key(kStoredKey);
  aai::testing::ScriptedResponse failure;
  failure.transport_error_message = "Could not connect to http://127.0.0.1:9101: refused.";
  host_.responses.push_back(failure);

  ASSERT_EQ(run("whoami"), 1);

  EXPECT_EQ(last_failure_->type, "api_error");
  EXPECT_EQ(host_.stdout_text, "");
}

TEST_F(WhoamiTest, RefusesKeyOfOtherEnvironment) {
  store_key(kStoredKey, "production");
  host_.active_environment = "local";
  host_.active_source = "--env";

  ASSERT_EQ(run("whoami"), 4);

  EXPECT_EQ(last_failure_->message,
            "Profile 'default' is signed in to 'production', not to 'local'.");
  EXPECT_EQ(last_failure_->suggestion,
            "Run `aai --env local login` to sign in there, or drop --env and AAI_ENV to use "
            "'production'.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(WhoamiTest, LeavesKeyToOtherProvider) {
  host_.json = true;
  host_.config[{"core", "credential_provider"}] = "auth-command";
  host_.provider = nullptr;
  host_.respond(200, "{}");

  ASSERT_EQ(run("whoami"), 0);

  EXPECT_EQ(host_.stdout_text,
            R"({"profile":"default","env":"production","provider":"auth-command",)"
            R"("key_source":null,"api_key":null,"reachable":true,"account_id":null,)"
            R"("session":"none"})"
            "\n");
}

}  // namespace
}  // namespace auth_stytch::testing
