#include "sign_in_url.hpp"

#include <gtest/gtest.h>

#include <aai/plugin.hpp>

namespace auth_stytch {
namespace {

TEST(SignInUrlTest, EncodesReservedCharacters) {
  EXPECT_EQ(percent_encode("http://127.0.0.1:8585/callback?state=ab&x=1"),
            "http%3A%2F%2F127.0.0.1%3A8585%2Fcallback%3Fstate%3Dab%26x%3D1");
  EXPECT_EQ(percent_encode("a-b_c.d~e f"), "a-b_c.d~e%20f");
  EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");
}

TEST(SignInUrlTest, BuildsDiscoveryStartUrl) {
  EXPECT_EQ(make_start_url("https://test.stytch.com", "public-token-test-1",
                           "http://127.0.0.1:8585/callback"),
            "https://test.stytch.com/v1/b2b/public/oauth/google/discovery/start?public_token="
            "public-token-test-1&discovery_redirect_url=http%3A%2F%2F127.0.0.1%3A8585%2Fcallback");
}

TEST(SignInUrlTest, DefaultsAuthPort) {
  EXPECT_EQ(parse_auth_port(nullptr), 8585);
  EXPECT_EQ(parse_auth_port(""), 8585);
  EXPECT_EQ(parse_auth_port("1"), 1);
  EXPECT_EQ(parse_auth_port("65535"), 65535);
}

TEST(SignInUrlTest, RejectsInvalidAuthPort) {
  for (const char* value : {"0", "65536", "99999999999", " 80", "8585 ", "abc", "+80"}) {
    try {
      parse_auth_port(value);
      ADD_FAILURE() << value;
    } catch (const aai::Error& error) {
      EXPECT_EQ(error.exit_code(), 2);
      EXPECT_EQ(error.type(), "invalid_env");
      EXPECT_EQ(
          std::string(error.what()),
          std::string("AAI_AUTH_PORT must be a port number from 1 to 65535, not '") + value + "'.");
    }
  }
}

}  // namespace
}  // namespace auth_stytch
