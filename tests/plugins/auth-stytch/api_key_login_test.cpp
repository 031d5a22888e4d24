#include "api_key_login.hpp"

#include <gtest/gtest.h>

#include "auth_test_fixture.hpp"

namespace auth_stytch::testing {
namespace {

using ApiKeyLoginTest = AuthCommandTest;

constexpr const char* kPipedKey = "piped-key-0123456789abcdef";

TEST_F(ApiKeyLoginTest, StoresValidatedKeyFromStdin) {
  stdin_text_ = std::string("  ") + kPipedKey + "\n";
  host_.respond(200, R"({"transcripts":[]})");

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 0) << last_failure_->message;

  ASSERT_EQ(host_.requests.size(), 1u);
  EXPECT_EQ(host_.requests[0].method, "GET");
  EXPECT_EQ(host_.requests[0].url, "http://127.0.0.1:9101/v2/transcript?limit=1");
  EXPECT_EQ(header(host_.requests[0], "Authorization"), kPipedKey);
  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), kPipedKey);
  EXPECT_EQ((host_.config[{"profile.default", "env"}]), "production");
  EXPECT_EQ((host_.config[{"core", "active_profile"}]), "default");
  EXPECT_EQ(host_.stdout_text, "Signed in as default (production) with an API key.\n");
  EXPECT_TRUE(script_->opened_urls.empty());
}

TEST_F(ApiKeyLoginTest, RemovesBrowserSession) {
  store_key(kStoredKey);
  host_.stored_secrets[{"assemblyai-cli", "session:default"}] = R"({"jwt":"j","token":"t"})";
  host_.config[{"profile.default", "account_id"}] = "42";
  host_.config[{"profile.default", "email"}] = "ada@example.com";
  stdin_text_ = kPipedKey;
  host_.respond(200, "{}");

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 0);

  EXPECT_EQ(host_.stored_secrets.count({"assemblyai-cli", "session:default"}), 0u);
  EXPECT_EQ(host_.config.count({"profile.default", "account_id"}), 0u);
  EXPECT_EQ(host_.config.count({"profile.default", "email"}), 0u);
  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), kPipedKey);
}

TEST_F(ApiKeyLoginTest, SendsCandidateOverEnvironmentKey) {
  setenv("ASSEMBLYAI_API_KEY", "environment-key-0123456789", 1);
  stdin_text_ = kPipedKey;
  host_.respond(200, "{}");

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 0);

  EXPECT_EQ(header(host_.requests[0], "Authorization"), kPipedKey);
}

TEST_F(ApiKeyLoginTest, WritesJsonResult) {
  host_.json = true;
  stdin_text_ = kPipedKey;
  host_.respond(200, "{}");

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 0);

  EXPECT_EQ(host_.stdout_text,
            R"({"authenticated":true,"profile":"default","env":"production","api_key_only":true})"
            "\n");
}

TEST_F(ApiKeyLoginTest, RejectedKeyStoresNothing) {
  for (int status : {401, 403}) {
    SCOPED_TRACE(status);
    stdin_text_ = kPipedKey;
    host_.respond(status, R"({"error":"Authentication error, API token missing/invalid"})");

    ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 4);

    EXPECT_EQ(last_failure_->type, "not_authenticated");
    EXPECT_EQ(last_failure_->message, "The API key was rejected by production (HTTP " +
                                          std::to_string(status) + "); nothing was stored.");
    EXPECT_EQ(last_failure_->suggestion,
              "Check the key in your AssemblyAI dashboard and try again.");
    EXPECT_TRUE(host_.stored_secrets.empty());
    EXPECT_TRUE(host_.config.empty());
  }
}

TEST_F(ApiKeyLoginTest, ReportsServerErrorWhileChecking) {
  stdin_text_ = kPipedKey;
  host_.respond(503, "");

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 1);

  EXPECT_EQ(last_failure_->type, "api_error");
  EXPECT_EQ(last_failure_->message,
            "Could not check the API key: production returned HTTP 503; nothing was stored.");
  EXPECT_TRUE(host_.stored_secrets.empty());
}

TEST_F(ApiKeyLoginTest, RejectsTerminalStdin) {
  host_.terminal_fds = {0};

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 2);

  EXPECT_EQ(last_failure_->type, "usage_error");
  EXPECT_EQ(last_failure_->message,
            "--with-api-key reads the key from stdin, but stdin is a terminal.");
  EXPECT_EQ(last_failure_->suggestion,
            "Pipe the key in: printenv ASSEMBLYAI_API_KEY | aai login --with-api-key");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(ApiKeyLoginTest, RejectsEmptyStdin) {
  stdin_text_ = " \n\t";

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 2);

  EXPECT_EQ(last_failure_->type, "usage_error");
  EXPECT_EQ(last_failure_->message, "--with-api-key read no key from stdin.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(ApiKeyLoginTest, WarnsThatApiKeyOptionIsDeprecated) {
  host_.respond(200, "{}");

  ASSERT_EQ(run("login", {{"api-key", {kPipedKey}}}), 0);

  ASSERT_EQ(warnings().size(), 1u);
  EXPECT_EQ(warnings()[0],
            "--api-key is deprecated because the key ends up in your shell history; pipe the key "
            "to --with-api-key instead.");
  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), kPipedKey);
}

TEST_F(ApiKeyLoginTest, RejectsEmptyApiKeyOption) {
  ASSERT_EQ(run("login", {{"api-key", {" "}}}), 2);

  EXPECT_EQ(last_failure_->message, "--api-key needs a non-empty key.");
}

TEST_F(ApiKeyLoginTest, RejectsBothKeyOptions) {
  stdin_text_ = kPipedKey;

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}, {"api-key", {kPipedKey}}}), 2);

  EXPECT_EQ(last_failure_->type, "usage_error");
  EXPECT_EQ(last_failure_->message, "--api-key and --with-api-key cannot be used together.");
  EXPECT_EQ(last_failure_->suggestion, "Drop --api-key and pipe the key to --with-api-key.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(ApiKeyLoginTest, ProbesSecretStoreFirst) {
  host_.secret_lookup_error = "The keyring is locked.";
  stdin_text_ = kPipedKey;

  ASSERT_EQ(run("login", {{"with-api-key", {"true"}}}), 2);

  EXPECT_EQ(last_failure_->type, "keyring_unusable");
  EXPECT_EQ(last_failure_->message, "The secret store cannot be used: The keyring is locked.");
  EXPECT_TRUE(host_.requests.empty());
}

}  // namespace
}  // namespace auth_stytch::testing
