#include <aai/plugin.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "api_key_credentials.hpp"
#include "fake_host.hpp"

using aai::testing::FakeHost;
using aai::testing::FakeRegistrar;
using aai::testing::FakeRequestEditor;

namespace {

constexpr const char* kKey = "0123456789abcdef0123456789abcdef";

// Registers the plugin through its real descriptor and calls its provider as the host would.
class AuthStytchPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(registrar_.register_plugin(aai_plugin_entry(), host_), AAI_STATUS_OK);
    ASSERT_EQ(registrar_.providers.size(), 1u);
  }
  void TearDown() override { unsetenv("ASSEMBLYAI_API_KEY"); }

  aai_status_t send_through_provider(FakeRequestEditor& editor) {
    const auto& provider = registrar_.providers.front();
    return provider.pre_request(provider.context, host_.raw(), editor.raw());
  }

  FakeHost host_;
  FakeRegistrar registrar_;
};

TEST_F(AuthStytchPluginTest, RegistersCredentialsProvider) {
  EXPECT_EQ(registrar_.providers[0].role, "aai.credentials");
  EXPECT_EQ(registrar_.providers[0].name, "auth-stytch");
}

TEST_F(AuthStytchPluginTest, RegistersAccountCommands) {
  ASSERT_EQ(registrar_.commands.size(), 3u);
  EXPECT_EQ(registrar_.commands[0].name, "login");
  EXPECT_EQ(registrar_.commands[0].option_names,
            (std::vector<std::string>{"with-api-key", "api-key", "timeout"}));
  EXPECT_EQ(registrar_.commands[1].name, "logout");
  EXPECT_EQ(registrar_.commands[2].name, "whoami");
}

TEST_F(AuthStytchPluginTest, SetsTrimmedKeyAsAuthorization) {
  setenv("ASSEMBLYAI_API_KEY", "  0123456789abcdef0123456789abcdef\n", 1);
  FakeRequestEditor editor("GET", "https://api.assemblyai.com/v2/transcript", true);
  editor.set_environment_field("api_base");

  ASSERT_EQ(send_through_provider(editor), AAI_STATUS_OK);

  EXPECT_EQ(editor.headers["Authorization"], kKey);
  ASSERT_EQ(editor.credential_header_names.size(), 1u);
  EXPECT_EQ(editor.credential_header_names[0], "Authorization");
  ASSERT_EQ(host_.secrets.size(), 1u);
  EXPECT_EQ(host_.secrets[0], kKey);
}

TEST_F(AuthStytchPluginTest, NeverLogsKeyAtDebugLevel) {
  setenv("ASSEMBLYAI_API_KEY", kKey, 1);
  host_.verbosity = 2;
  FakeRequestEditor editor("POST", "https://api.assemblyai.com/v2/upload", true);
  editor.set_environment_field("api_base");

  ASSERT_EQ(send_through_provider(editor), AAI_STATUS_OK);

  EXPECT_FALSE(host_.log_lines.empty());
  EXPECT_EQ(host_.joined_log().find(kKey), std::string::npos);
}

TEST_F(AuthStytchPluginTest, LeavesOtherHostsWithoutKey) {
  setenv("ASSEMBLYAI_API_KEY", kKey, 1);
  FakeRequestEditor editor("GET", "https://cdn.example.test/audio.mp3", false);

  ASSERT_EQ(send_through_provider(editor), AAI_STATUS_OK);

  EXPECT_TRUE(editor.headers.empty());
  EXPECT_FALSE(editor.failure.has_value());
}

TEST_F(AuthStytchPluginTest, FailsWhenKeyIsMissing) {
  unsetenv("ASSEMBLYAI_API_KEY");
  FakeRequestEditor editor("GET", "https://api.assemblyai.com/v2/transcript", true);
  editor.set_environment_field("api_base");

  ASSERT_EQ(send_through_provider(editor), AAI_STATUS_ERROR);

  ASSERT_TRUE(editor.failure.has_value());
  EXPECT_EQ(editor.failure->exit_code, 4);
  EXPECT_EQ(editor.failure->type, "not_authenticated");
  EXPECT_EQ(editor.failure->message, "No API key is configured.");
  EXPECT_EQ(editor.failure->suggestion,
            "Run `aai login`, or set ASSEMBLYAI_API_KEY to your API key.");
}

TEST_F(AuthStytchPluginTest, TreatsBlankKeyAsMissing) {
  setenv("ASSEMBLYAI_API_KEY", " \t\n", 1);
  FakeRequestEditor editor("GET", "https://api.assemblyai.com/v2/transcript", true);
  editor.set_environment_field("api_base");

  ASSERT_EQ(send_through_provider(editor), AAI_STATUS_ERROR);

  ASSERT_TRUE(editor.failure.has_value());
  EXPECT_EQ(editor.failure->message, "No API key is configured.");
  EXPECT_TRUE(editor.headers.empty());
}

TEST(ApiKeyTest, NormalizesWhitespace) {
  EXPECT_EQ(auth_stytch::normalize_api_key(nullptr), std::nullopt);
  EXPECT_EQ(auth_stytch::normalize_api_key(""), std::nullopt);
  EXPECT_EQ(auth_stytch::normalize_api_key(" k e y \r\n"), "k e y");
}

}  // namespace
