// A fake host with the auth-stytch provider and commands registered, for command tests.
#pragma once

#include <gtest/gtest.h>
#include <aai/plugin.hpp>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fake_browser.hpp"
#include "fake_host.hpp"
#include "key_provider.hpp"
#include "login_command.hpp"
#include "logout_command.hpp"
#include "whoami_command.hpp"

namespace auth_stytch::testing {

using aai::testing::FakeInvocation;
using aai::testing::RecordedRequest;

inline constexpr const char* kStoredKey = "stored-key-0123456789abcdef";
inline constexpr const char* kMintedKey = "minted-key-0123456789abcdef";

/// Every endpoint is on 127.0.0.1, although only the callback server is ever contacted, because
/// the fake host returns scripted responses to HTTP requests.
inline std::vector<std::pair<std::string, std::string>> environment_fields(
    const std::string& name) {
  const std::string origin =
      name == "production" ? "http://127.0.0.1:9101" : "http://127.0.0.1:9102";
  std::vector<std::pair<std::string, std::string>> fields = {
      {"api_base", origin},
      {"streaming_base", "ws://127.0.0.1:9103"},
      {"llm_gateway_base", origin + "/v1"},
      {"ams_base", origin + "/ams"},
      {"stytch_domain", origin + "/stytch"},
      {"stytch_public_token", "public-token-" + name},
      {"signup_url", origin + "/signup"}};
  if (name == "local") {
    fields.emplace_back("login_state", "query");
  }
  return fields;
}

class AuthCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("ASSEMBLYAI_API_KEY");
    setenv("AAI_AUTH_PORT", std::to_string(free_loopback_port()).c_str(), 1);
    host_.add_environment("production", environment_fields("production"));
    host_.add_environment("local", environment_fields("local"));

    aai::Registrar registrar(host_.raw(), registrar_.raw());
    registrar.add_provider(AAI_PROVIDER_CREDENTIALS, "auth-stytch", "test",
                           [this](const aai::Host& host, const aai::RequestEditor& editor) {
                             provider_.pre_request(host, editor);
                           });
    LoginDependencies dependencies{
        [script = script_] { return std::make_unique<FakeBrowser>(script); },
        [this] { return stdin_text_; }};
    registrar.add(login_command(provider_, dependencies));
    registrar.add(logout_command(provider_));
    registrar.add(whoami_command(provider_));
    host_.provider = registrar_.providers.back().pre_request;
    host_.provider_context = registrar_.providers.back().context;
  }

  void TearDown() override {
    unsetenv("ASSEMBLYAI_API_KEY");
    unsetenv("AAI_AUTH_PORT");
  }

  /// Runs `command` with `options` and returns its exit code. Its failure, if any, is then in
  /// last_failure_.
  int run(const std::string& command,
          std::map<std::string, std::vector<std::string>> options = {}) {
    FakeInvocation invocation(std::move(options), {});
    const int exit_code = invocation.run(registrar_.command(command), host_);
    last_failure_ = invocation.failure;
    return exit_code;
  }

  void store_key(const std::string& key, const std::string& environment = "production") {
    host_.stored_secrets[{"assemblyai-cli", "default"}] = key;
    host_.config[{"profile.default", "env"}] = environment;
  }

  /// Scripts the account service's replies to discover, exchange and the project list.
  void script_account(const std::string& projects_json) {
    host_.respond(200,
                  R"({"intermediate_session_token":"ist-0001","email":"ada@example.com",)"
                  R"("organizations":[{"organization_id":"org-1","organization_name":"Acme"}]})");
    host_.respond(200, R"({"session_jwt":"jwt-0001","session_token":"session-0001",)"
                       R"("account":{"id":42}})");
    host_.respond(200, projects_json);
  }

  void script_minted_key() {
    host_.respond(200, std::string(R"({"id":"t-9","token_name":"AssemblyAI CLI",)") +
                           R"("is_disabled":false,"api_key":")" + kMintedKey + R"("})");
  }

  std::vector<std::string> notes() const {
    std::vector<std::string> texts;
    for (const auto& [kind, text] : host_.messages) {
      if (kind == AAI_MESSAGE_NOTE) {
        texts.push_back(text);
      }
    }
    return texts;
  }

  std::vector<std::string> warnings() const {
    std::vector<std::string> texts;
    for (const auto& [kind, text] : host_.messages) {
      if (kind == AAI_MESSAGE_WARNING) {
        texts.push_back(text);
      }
    }
    return texts;
  }

  std::optional<std::string> header(const RecordedRequest& request, const std::string& name) {
    for (const auto& [header_name, value] : request.headers) {
      if (header_name == name) {
        return value;
      }
    }
    return std::nullopt;
  }

  aai::testing::FakeHost host_;
  aai::testing::FakeRegistrar registrar_;
  KeyProvider provider_;
  std::shared_ptr<FakeBrowserScript> script_ = std::make_shared<FakeBrowserScript>();
  std::string stdin_text_;
  std::optional<aai::testing::RecordedFailure> last_failure_;
};

}  // namespace auth_stytch::testing
