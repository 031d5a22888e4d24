#include "key_provider.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "fake_host.hpp"

namespace auth_stytch {
namespace {

using aai::testing::FakeHost;
using aai::testing::FakeRequestEditor;

constexpr const char* kStoredKey = "stored-key-0123456789abcdef";

class KeyProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("ASSEMBLYAI_API_KEY");
    host_.add_environment("production", "http://127.0.0.1:9101");
    host_.add_environment("local", "http://127.0.0.1:9102");
  }
  void TearDown() override { unsetenv("ASSEMBLYAI_API_KEY"); }

  void store_key(const std::string& environment) {
    host_.stored_secrets[{"assemblyai-cli", "default"}] = kStoredKey;
    host_.config[{"profile.default", "env"}] = environment;
  }

  // Runs the provider over a request to `field`'s endpoint and returns the error it raised.
  std::optional<aai::testing::RecordedFailure> attach(FakeRequestEditor& editor,
                                                      const std::optional<std::string>& field) {
    editor.set_environment_field(field);
    try {
      provider_.pre_request(aai::Host(host_.raw()), aai::RequestEditor(editor.raw()));
    } catch (const aai::Error& error) {
      return aai::testing::RecordedFailure{error.exit_code(), error.type(), error.what(),
                                           error.suggestion(), ""};
    }
    return std::nullopt;
  }

  FakeHost host_;
  KeyProvider provider_;
};

TEST_F(KeyProviderTest, SendsStoredKeyToApi) {
  store_key("production");
  FakeRequestEditor editor("GET", "http://127.0.0.1:9101/v2/transcript", true);

  ASSERT_EQ(attach(editor, "api_base"), std::nullopt);

  EXPECT_EQ(editor.headers["Authorization"], kStoredKey);
}

TEST_F(KeyProviderTest, SendsBearerToLlmGateway) {
  setenv("ASSEMBLYAI_API_KEY", "environment-key", 1);
  FakeRequestEditor editor("POST", "http://127.0.0.1:9101/v1/chat/completions", true);

  ASSERT_EQ(attach(editor, "llm_gateway_base"), std::nullopt);

  EXPECT_EQ(editor.headers["Authorization"], "Bearer environment-key");
}

TEST_F(KeyProviderTest, SendsNothingToAccountService) {
  setenv("ASSEMBLYAI_API_KEY", "environment-key", 1);
  FakeRequestEditor editor("POST", "http://127.0.0.1:9101/ams/v2/auth/discover", true);

  ASSERT_EQ(attach(editor, "ams_base"), std::nullopt);

  EXPECT_TRUE(editor.headers.empty());
}

TEST_F(KeyProviderTest, NeedsNoKeyForAccountService) {
  FakeRequestEditor editor("POST", "http://127.0.0.1:9101/ams/v2/auth/discover", true);

  EXPECT_EQ(attach(editor, "ams_base"), std::nullopt);
  EXPECT_EQ(attach(editor, std::nullopt), std::nullopt);
}

TEST_F(KeyProviderTest, PrefersEnvironmentVariable) {
  store_key("production");
  setenv("ASSEMBLYAI_API_KEY", " environment-key\n", 1);
  FakeRequestEditor editor("GET", "http://127.0.0.1:9101/v2/transcript", true);

  ASSERT_EQ(attach(editor, "api_base"), std::nullopt);

  EXPECT_EQ(editor.headers["Authorization"], "environment-key");
}

TEST_F(KeyProviderTest, PrefersLoginCandidate) {
  setenv("ASSEMBLYAI_API_KEY", "environment-key", 1);
  FakeRequestEditor editor("GET", "http://127.0.0.1:9101/v2/transcript", true);
  {
    CandidateKeyScope candidate(provider_, "candidate-key");

    ASSERT_EQ(attach(editor, "api_base"), std::nullopt);
  }

  EXPECT_EQ(editor.headers["Authorization"], "candidate-key");
  FakeRequestEditor after("GET", "http://127.0.0.1:9101/v2/transcript", true);
  ASSERT_EQ(attach(after, "api_base"), std::nullopt);
  EXPECT_EQ(after.headers["Authorization"], "environment-key");
}

TEST_F(KeyProviderTest, ReadsStoreOncePerRun) {
  store_key("production");
  FakeRequestEditor first("GET", "http://127.0.0.1:9101/v2/transcript", true);
  ASSERT_EQ(attach(first, "api_base"), std::nullopt);
  host_.stored_secrets[{"assemblyai-cli", "default"}] = "changed-key-0123456789";

  FakeRequestEditor second("GET", "http://127.0.0.1:9101/v2/transcript", true);
  ASSERT_EQ(attach(second, "api_base"), std::nullopt);

  EXPECT_EQ(second.headers["Authorization"], kStoredKey);
  EXPECT_EQ(host_.secrets.front(), kStoredKey);
}

TEST_F(KeyProviderTest, RefusesKeyOfOtherEnvironment) {
  store_key("production");
  host_.active_environment = "local";
  FakeRequestEditor editor("GET", "http://127.0.0.1:9102/v2/transcript", true);

  auto failure = attach(editor, "api_base");

  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->exit_code, 4);
  EXPECT_EQ(failure->type, "not_authenticated");
  EXPECT_EQ(failure->message, "Profile 'default' is signed in to 'production', not to 'local'.");
  EXPECT_EQ(failure->suggestion,
            "Run `aai --env local login` to sign in there, or drop --env and AAI_ENV to use "
            "'production'.");
  EXPECT_TRUE(editor.headers.empty());
}

TEST_F(KeyProviderTest, BindsKeyWithoutEnvToProduction) {
  host_.stored_secrets[{"assemblyai-cli", "default"}] = kStoredKey;
  host_.active_environment = "local";
  FakeRequestEditor editor("GET", "http://127.0.0.1:9102/v2/transcript", true);

  auto failure = attach(editor, "api_base");

  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->message, "Profile 'default' is signed in to 'production', not to 'local'.");
}

TEST_F(KeyProviderTest, EnvironmentVariableIgnoresBinding) {
  store_key("production");
  host_.active_environment = "local";
  setenv("ASSEMBLYAI_API_KEY", "environment-key", 1);
  FakeRequestEditor editor("GET", "http://127.0.0.1:9102/v2/transcript", true);

  ASSERT_EQ(attach(editor, "api_base"), std::nullopt);

  EXPECT_EQ(editor.headers["Authorization"], "environment-key");
}

TEST_F(KeyProviderTest, ReportsUnreadableStore) {
  host_.secret_lookup_error = "The keyring is locked.";
  FakeRequestEditor editor("GET", "http://127.0.0.1:9101/v2/transcript", true);

  auto failure = attach(editor, "api_base");

  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->type, "keyring_error");
  EXPECT_EQ(failure->message, "The keyring is locked.");
}

}  // namespace
}  // namespace auth_stytch
