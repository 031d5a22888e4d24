#include "builtin_environments.hpp"

namespace env_registry {

const std::vector<EnvironmentDefinition>& builtin_environments() {
  // URLs carry no trailing slash, so commands join paths with a plain "/v2/...".
  static const std::vector<EnvironmentDefinition> kEnvironments = {
      {"production",
       "AssemblyAI's public service",
       {{"api_base", "https://api.assemblyai.com"},
        {"streaming_base", "wss://streaming.assemblyai.com"},
        {"llm_gateway_base", "https://llm-gateway.assemblyai.com/v1"},
        {"ams_base", "https://ams.internal.assemblyai-labs.com"},
        {"stytch_domain", "https://api.stytch.com"},
        {"stytch_public_token", "public-token-live-bbc59d30-d3c8-4815-a5be-fede00306680"},
        {"signup_url", "https://www.assemblyai.com/dashboard"}},
       kBuiltInOrigin},
      {"sandbox000",
       "AssemblyAI's internal sandbox (staff accounts only)",
       {{"api_base", "https://api.sandbox000.assemblyai-labs.com"},
        {"streaming_base", "wss://streaming.sandbox000.assemblyai-labs.com"},
        {"llm_gateway_base", "https://llm-gateway.sandbox000.assemblyai-labs.com/v1"},
        {"ams_base", "https://ams.sandbox000.assemblyai-labs.com"},
        {"stytch_domain", "https://test.stytch.com"},
        {"stytch_public_token", "public-token-test-a161155e-7e9b-4dd1-9d43-493c899b4117"},
        {"signup_url", "https://dashboard-assemblyai.vercel.app/dashboard/login"}},
       kBuiltInOrigin},
  };
  return kEnvironments;
}

}  // namespace env_registry
