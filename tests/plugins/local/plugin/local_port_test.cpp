#include "plugin/local_port.hpp"

#include <cstdlib>

#include <gtest/gtest.h>
#include <aai/plugin.hpp>

namespace aai::local {
namespace {

class LocalPortEnvironment : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv("AAI_LOCAL_PORT"); }
};

TEST(LocalPortTest, ParsesPorts) {
  EXPECT_EQ(parse_port("1"), 1);
  EXPECT_EQ(parse_port("65535"), 65535);
  EXPECT_FALSE(parse_port("0").has_value());
  EXPECT_FALSE(parse_port("65536").has_value());
  EXPECT_FALSE(parse_port("-1").has_value());
  EXPECT_FALSE(parse_port("80x").has_value());
  EXPECT_FALSE(parse_port("").has_value());
}

TEST_F(LocalPortEnvironment, DefaultsTo8765) {
  unsetenv("AAI_LOCAL_PORT");

  EXPECT_EQ(configured_port(), 8765);
}

TEST_F(LocalPortEnvironment, ReadsAaiLocalPort) {
  setenv("AAI_LOCAL_PORT", "9001", 1);

  EXPECT_EQ(configured_port(), 9001);
}

TEST_F(LocalPortEnvironment, RejectsBadAaiLocalPort) {
  setenv("AAI_LOCAL_PORT", "http", 1);

  try {
    configured_port();
    FAIL() << "expected aai::Error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(error.type(), "invalid_environment");
    EXPECT_STREQ(error.what(), "AAI_LOCAL_PORT must be 1..65535, not \"http\".");
    EXPECT_EQ(error.suggestion(),
              "Set AAI_LOCAL_PORT to a free TCP port, or unset it to use 8765.");
  }
  EXPECT_EQ(port_for_registration(), 8765);
}

TEST(LocalPortTest, BuildsEnvironmentFields) {
  auto fields = local_environment_fields(9001);

  std::vector<std::pair<std::string, std::string>> expected = {
      {"api_base", "http://127.0.0.1:9001"},
      {"streaming_base", "ws://127.0.0.1:9001"},
      {"llm_gateway_base", "http://127.0.0.1:9001/v1"},
      {"ams_base", "http://127.0.0.1:9001/ams"},
      {"stytch_domain", "http://127.0.0.1:9001/stytch"},
      {"stytch_public_token", "public-token-local"},
      {"signup_url", "http://127.0.0.1:9001/signup"},
      {"login_state", "query"}};
  EXPECT_EQ(fields, expected);
}

TEST(LocalPortTest, MatchesWebSocketOnSamePort) {
  const std::string base = "http://127.0.0.1:8765";
  EXPECT_EQ(port_if_same_origin("ws://127.0.0.1:8765/v3/ws?sample_rate=16000", base), 8765);
}

TEST(LocalPortTest, MatchesOnlySameOrigin) {
  const std::string base = "http://127.0.0.1:8765";

  EXPECT_EQ(port_if_same_origin("http://127.0.0.1:8765/v2/transcript", base), 8765);
  EXPECT_EQ(port_if_same_origin("http://127.0.0.1:8765", base), 8765);
  EXPECT_EQ(port_if_same_origin("http://127.0.0.1:8765?x", base), 8765);
  EXPECT_FALSE(port_if_same_origin("http://127.0.0.1:87650/v2", base).has_value());
  EXPECT_FALSE(port_if_same_origin("https://api.assemblyai.com/v2", base).has_value());
  EXPECT_FALSE(port_if_same_origin("http://localhost:8765/v2", base).has_value());
  EXPECT_FALSE(port_if_same_origin("ws://127.0.0.1:9000/v3/ws", base).has_value());
}

}  // namespace
}  // namespace aai::local
