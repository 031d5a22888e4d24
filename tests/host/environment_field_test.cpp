#include "environment_field.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

Environment production() {
  Environment environment;
  environment.name = "production";
  environment.fields = {{"api_base", "https://api.assemblyai.com"},
                        {"streaming_base", "wss://streaming.assemblyai.com"},
                        {"llm_gateway_base", "https://llm-gateway.assemblyai.com/v1"},
                        {"ams_base", "https://ams.internal.assemblyai-labs.com"},
                        {"stytch_domain", "https://api.stytch.com"},
                        {"stytch_public_token", "public-token-live-1234"},
                        {"signup_url", "https://www.assemblyai.com/dashboard"}};
  return environment;
}

Environment local() {
  Environment environment;
  environment.name = "local";
  environment.fields = {{"api_base", "http://127.0.0.1:8765"},
                        {"streaming_base", "ws://127.0.0.1:8765"},
                        {"llm_gateway_base", "http://127.0.0.1:8765/v1"},
                        {"ams_base", "http://127.0.0.1:8765/ams"},
                        {"stytch_domain", "http://127.0.0.1:8765/stytch/"},
                        {"stytch_public_token", "public-token-local"},
                        {"signup_url", "http://127.0.0.1:8765/signup"}};
  return environment;
}

std::string field_for(const Environment& environment, const std::string& url) {
  const std::string* name = match_environment_field(environment, url);
  return name != nullptr ? *name : "(none)";
}

TEST(EnvironmentFieldTest, MatchesProductionHosts) {
  struct Case {
    std::string url;
    std::string field;
  };
  std::vector<Case> cases = {
      {"https://api.assemblyai.com/v2/transcript", "api_base"},
      {"https://api.assemblyai.com", "api_base"},
      {"https://API.AssemblyAI.com:443/v2/upload?x=1", "api_base"},
      {"wss://streaming.assemblyai.com/v3/ws?sample_rate=16000", "streaming_base"},
      {"https://streaming.assemblyai.com/v3/token", "streaming_base"},
      {"https://llm-gateway.assemblyai.com/v1/chat/completions", "llm_gateway_base"},
      {"https://llm-gateway.assemblyai.com/v1", "llm_gateway_base"},
      {"https://llm-gateway.assemblyai.com/v10/chat", "(none)"},
      {"https://llm-gateway.assemblyai.com/", "(none)"},
      {"https://ams.internal.assemblyai-labs.com/v2/auth/discover", "ams_base"},
      {"https://api.stytch.com/v1/b2b/public/oauth/google/discovery/start", "stytch_domain"},
      {"https://www.assemblyai.com/dashboard/login", "signup_url"},
      {"https://www.assemblyai.com/dashboards", "(none)"},
      {"http://api.assemblyai.com/v2/transcript", "(none)"},
      {"ws://streaming.assemblyai.com/v3/ws", "(none)"},
      {"https://api.assemblyai.com:8443/v2/transcript", "(none)"},
      {"https://evil.example/v2/transcript", "(none)"},
      {"not a url", "(none)"},
  };
  Environment environment = production();

  for (const auto& test : cases) {
    EXPECT_EQ(field_for(environment, test.url), test.field) << test.url;
  }
}

TEST(EnvironmentFieldTest, LongestPathWinsOnOneOrigin) {
  struct Case {
    std::string url;
    std::string field;
  };
  std::vector<Case> cases = {
      {"http://127.0.0.1:8765/v2/transcript", "api_base"},
      {"http://127.0.0.1:8765", "api_base"},
      {"http://127.0.0.1:8765/v1/chat/completions", "llm_gateway_base"},
      {"http://127.0.0.1:8765/v1?stream=true", "llm_gateway_base"},
      {"http://127.0.0.1:8765/v1#part", "llm_gateway_base"},
      {"http://127.0.0.1:8765/v10", "api_base"},
      {"http://127.0.0.1:8765/ams/v2/auth/discover", "ams_base"},
      {"http://127.0.0.1:8765/amsterdam", "api_base"},
      {"http://127.0.0.1:8765/stytch/v1/b2b", "stytch_domain"},
      {"http://127.0.0.1:8765/stytch", "stytch_domain"},
      {"http://127.0.0.1:8765/signup", "signup_url"},
      {"ws://127.0.0.1:8765/v3/ws", "streaming_base"},
      {"ws://127.0.0.1:8765/v1/realtime", "llm_gateway_base"},
      {"https://127.0.0.1:8765/v2/transcript", "(none)"},
      {"http://127.0.0.1:8766/v2/transcript", "(none)"},
      {"http://localhost:8765/v2/transcript", "(none)"},
  };
  Environment environment = local();

  for (const auto& test : cases) {
    EXPECT_EQ(field_for(environment, test.url), test.field) << test.url;
  }
}

TEST(EnvironmentFieldTest, DotSegmentsMatchNothing) {
  Environment environment = local();

  EXPECT_EQ(field_for(environment, "http://127.0.0.1:8765/v2/../ams/v1/users"), "(none)");
  EXPECT_EQ(field_for(environment, "http://127.0.0.1:8765/./ams"), "(none)");
  EXPECT_EQ(field_for(environment, "http://127.0.0.1:8765/v2/%2E%2e/ams"), "(none)");
  EXPECT_EQ(field_for(environment, "http://127.0.0.1:8765/v2/..data"), "api_base");
}

TEST(EnvironmentFieldTest, SkipsFieldsThatAreNotUrls) {
  Environment environment;
  environment.fields = {{"stytch_public_token", "public-token-local"},
                        {"login_state", "query"},
                        {"bad_base", "ftp://127.0.0.1:8765"}};

  EXPECT_EQ(field_for(environment, "http://127.0.0.1:8765/x"), "(none)");
}

TEST(EnvironmentFieldTest, SamePathPrefersExactSchemeThenFirst) {
  Environment environment;
  environment.fields = {{"streaming_base", "ws://127.0.0.1:8765"},
                        {"api_base", "http://127.0.0.1:8765"},
                        {"other_base", "http://127.0.0.1:8765/"}};

  EXPECT_EQ(field_for(environment, "http://127.0.0.1:8765/v2"), "api_base");
  EXPECT_EQ(field_for(environment, "ws://127.0.0.1:8765/v3/ws"), "streaming_base");
}

}  // namespace
}  // namespace aai::host
