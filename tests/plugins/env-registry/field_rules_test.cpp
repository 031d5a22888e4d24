#include "field_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace env_registry {
namespace {

std::string reason(const std::optional<Problem>& problem) {
  return problem ? problem->reason : "";
}

TEST(FieldRulesTest, AcceptsHostStyleNames) {
  for (const char* name : {"acme", "acme-eu", "a1", "0day", "production"}) {
    EXPECT_FALSE(check_environment_name(name).has_value()) << name;
  }
}

TEST(FieldRulesTest, RejectsOtherNames) {
  for (const char* name : {"", "Acme", "-acme", "acme_eu", "ac me", "../etc", "acme.ini"}) {
    EXPECT_EQ(reason(check_environment_name(name)),
              "the name must contain only lower-case letters, digits and '-', and must not "
              "start with '-'")
        << name;
  }
}

TEST(FieldRulesTest, ChecksKeys) {
  EXPECT_FALSE(check_field_key("api_base").has_value());
  EXPECT_FALSE(check_field_key("region2").has_value());
  EXPECT_EQ(reason(check_field_key("Api-Base")),
            "the key 'Api-Base' must start with a lower-case letter and contain only lower-case "
            "letters, digits and '_'");
  EXPECT_TRUE(check_field_key("_x").has_value());
  EXPECT_TRUE(check_field_key("2x").has_value());
  EXPECT_TRUE(check_field_key("").has_value());
}

TEST(FieldRulesTest, AcceptsSecureUrls) {
  EXPECT_FALSE(check_field_value("api_base", "https://api.acme.example").has_value());
  EXPECT_FALSE(check_field_value("api_base", "HTTPS://API.acme.example:8443").has_value());
  EXPECT_FALSE(check_field_value("llm_gateway_base", "https://llm.acme.example/v1").has_value());
  EXPECT_FALSE(check_field_value("streaming_base", "wss://streaming.acme.example").has_value());
  EXPECT_FALSE(check_field_value("stytch_domain", "https://api.stytch.com").has_value());
  EXPECT_FALSE(check_field_value("signup_url", "https://acme.example/signup/?ref=cli").has_value());
  EXPECT_FALSE(check_field_value("events_base", "wss://events.acme.example").has_value());
  EXPECT_FALSE(check_field_value("events_base", "https://events.acme.example").has_value());
}

TEST(FieldRulesTest, RejectsPlainHttpOnOtherHosts) {
  EXPECT_EQ(reason(check_field_value("api_base", "http://api.acme.example")),
            "api_base 'http://api.acme.example' must use https (only loopback hosts may use "
            "http)");
  EXPECT_EQ(check_field_value("api_base", "http://api.acme.example")->suggestion,
            "Use https://, or a loopback host (127.0.0.0/8, [::1] or localhost) for a server on "
            "this machine.");
  EXPECT_EQ(reason(check_field_value("streaming_base", "ws://streaming.acme.example")),
            "streaming_base 'ws://streaming.acme.example' must use wss (only loopback hosts may "
            "use ws)");
  EXPECT_EQ(reason(check_field_value("streaming_base", "https://streaming.acme.example")),
            "streaming_base 'https://streaming.acme.example' must use wss (only loopback hosts "
            "may use ws)");
  EXPECT_EQ(reason(check_field_value("api_base", "wss://api.acme.example")),
            "api_base 'wss://api.acme.example' must use https (only loopback hosts may use "
            "http)");
  EXPECT_EQ(reason(check_field_value("events_base", "ws://events.acme.example")),
            "events_base 'ws://events.acme.example' must use https or wss (only loopback hosts "
            "may use http or ws)");
  EXPECT_EQ(reason(check_field_value("signup_url", "http://acme.example/signup")),
            "signup_url 'http://acme.example/signup' must use https (only loopback hosts may use "
            "http)");
  EXPECT_EQ(reason(check_field_value("api_base", "ftp://api.acme.example")),
            "api_base 'ftp://api.acme.example' must use https (only loopback hosts may use "
            "http)");
}

TEST(FieldRulesTest, AllowsPlainSchemesOnLoopbackHosts) {
  for (const char* url : {"http://127.0.0.1:8765", "http://127.1.2.3", "http://localhost:80",
                          "http://LOCALHOST", "http://[::1]:8765"}) {
    EXPECT_FALSE(check_field_value("api_base", url).has_value()) << url;
  }
  EXPECT_FALSE(check_field_value("streaming_base", "ws://127.0.0.1:8765").has_value());
  EXPECT_FALSE(check_field_value("llm_gateway_base", "http://127.0.0.1:8765/v1").has_value());
}

TEST(FieldRulesTest, LoopbackMeansOnlyLoopback) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.255.255.254"));
  EXPECT_TRUE(is_loopback_host("[::1]"));
  EXPECT_TRUE(is_loopback_host("LocalHost"));
  for (const char* host : {"128.0.0.1", "127.0.0.256", "127.0.0", "127.0.0.1.example",
                           "localhost.example", "[::2]", "10.0.0.1", "0x7f.0.0.1", "127.0.0.-1"}) {
    EXPECT_FALSE(is_loopback_host(host)) << host;
  }
  EXPECT_TRUE(check_field_value("api_base", "http://127.0.0.1.example").has_value());
}

TEST(FieldRulesTest, RejectsWhatTheHostCannotUse) {
  const std::vector<std::string> not_urls = {"",
                                             "api.acme.example",
                                             "https://",
                                             "https://:443",
                                             "https:///x",
                                             "https://a b.example",
                                             "https://acme:0",
                                             "https://acme:65536",
                                             "https://acme:",
                                             "https://acme:8x",
                                             "https://[::1",
                                             "https://[]",
                                             "https://[::1]x",
                                             "https://a,b.example",
                                             "//api.acme.example",
                                             "https://acme.example\t"};
  for (const auto& url : not_urls) {
    EXPECT_EQ(reason(check_field_value("api_base", url)),
              "api_base '" + url + "' is not an absolute URL")
        << url;
  }
}

TEST(FieldRulesTest, RejectsUserInfo) {
  EXPECT_EQ(reason(check_field_value("api_base", "https://me:secret@api.acme.example")),
            "api_base 'https://me:secret@api.acme.example' must not contain a user name or "
            "password");
}

TEST(FieldRulesTest, BaseUrlsTakeNoQueryOrTrailingSlash) {
  EXPECT_EQ(reason(check_field_value("api_base", "https://api.acme.example/")),
            "api_base 'https://api.acme.example/' must not end with '/'");
  EXPECT_EQ(reason(check_field_value("llm_gateway_base", "https://llm.acme.example/v1/")),
            "llm_gateway_base 'https://llm.acme.example/v1/' must not end with '/'");
  EXPECT_EQ(reason(check_field_value("api_base", "https://api.acme.example?x=1")),
            "api_base 'https://api.acme.example?x=1' must not contain a query or fragment");
  EXPECT_EQ(reason(check_field_value("stytch_domain", "https://stytch.example#top")),
            "stytch_domain 'https://stytch.example#top' must not contain a query or fragment");
}

TEST(FieldRulesTest, LoginStateIsQueryOnly) {
  EXPECT_FALSE(check_field_value("login_state", "query").has_value());
  EXPECT_EQ(reason(check_field_value("login_state", "fragment")),
            "login_state 'fragment' must be 'query' or left out");
}

TEST(FieldRulesTest, OtherFieldsTakeAnyValue) {
  EXPECT_FALSE(check_field_value("region", "http://not-a-url").has_value());
  EXPECT_FALSE(check_field_value("stytch_public_token", "").has_value());
  EXPECT_FALSE(check_field_value("summary", "anything at all").has_value());
}

}  // namespace
}  // namespace env_registry
