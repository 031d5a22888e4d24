#include "login_command.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth_test_fixture.hpp"

namespace auth_stytch::testing {
namespace {

using LoginTest = AuthCommandTest;

constexpr const char* kProjectWithoutKeys =
    R"([{"project":{"id":"proj-1","name":"Main"},"tokens":[]}])";

std::string project_with_token(const std::string& token_json) {
  return R"([{"project":{"id":"proj-1","name":"Main"},"tokens":[)" + token_json + "]}]";
}

TEST_F(LoginTest, FirstLoginCreatesKey) {
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0) << last_failure_->message;

  EXPECT_EQ(host_.stdout_text, "Signed in as default (production).\n");
  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), kMintedKey);
  EXPECT_EQ((host_.stored_secret_labels[{"assemblyai-cli", "default"}]),
            "AssemblyAI API key (default)");
  EXPECT_EQ(nlohmann::json::parse(host_.stored_secrets[{"assemblyai-cli", "session:default"}]),
            (nlohmann::json{{"jwt", "jwt-0001"}, {"token", "session-0001"}}));
  EXPECT_EQ((host_.stored_secret_labels[{"assemblyai-cli", "session:default"}]),
            "AssemblyAI session (default)");
  EXPECT_EQ((host_.config[{"profile.default", "env"}]), "production");
  EXPECT_EQ((host_.config[{"profile.default", "account_id"}]), "42");
  EXPECT_EQ((host_.config[{"profile.default", "email"}]), "ada@example.com");
  EXPECT_EQ((host_.config[{"core", "active_profile"}]), "default");
  EXPECT_EQ(notes().back(),
            "Account: ada@example.com, organization Acme; key kept in the file "
            "/fake/secrets.json.");
  EXPECT_EQ(script_->redirect_status, 200);
}

TEST_F(LoginTest, SendsProtocolRequests) {
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  ASSERT_EQ(host_.requests.size(), 4u);
  const std::string ams = "http://127.0.0.1:9101/ams";
  EXPECT_EQ(host_.requests[0].method, "POST");
  EXPECT_EQ(host_.requests[0].url, ams + "/v2/auth/discover");
  EXPECT_EQ(nlohmann::json::parse(host_.requests[0].body),
            (nlohmann::json{{"token", "one-time-token-0001"}, {"token_type", "discovery_oauth"}}));
  EXPECT_EQ(host_.requests[1].url, ams + "/v2/auth/exchange");
  EXPECT_EQ(
      nlohmann::json::parse(host_.requests[1].body),
      (nlohmann::json{{"intermediate_session_token", "ist-0001"}, {"organization_id", "org-1"}}));
  EXPECT_EQ(host_.requests[2].method, "GET");
  EXPECT_EQ(host_.requests[2].url, ams + "/v1/users/accounts/42/projects");
  EXPECT_EQ(header(host_.requests[2], "Cookie"), "stytch_session_jwt=jwt-0001");
  EXPECT_EQ(host_.requests[3].url, ams + "/v1/users/accounts/42/tokens");
  EXPECT_EQ(nlohmann::json::parse(host_.requests[3].body),
            (nlohmann::json{{"project_id", "proj-1"}, {"token_name", "AssemblyAI CLI"}}));
  EXPECT_EQ(header(host_.requests[3], "Cookie"), "stytch_session_jwt=jwt-0001");
  for (const auto& request : host_.requests) {
    EXPECT_EQ(header(request, "Authorization"), std::nullopt) << request.url;
  }
}

TEST_F(LoginTest, OpensStartUrlAndNotesIt) {
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  ASSERT_EQ(script_->opened_urls.size(), 1u);
  const std::string port = getenv("AAI_AUTH_PORT");
  const std::string expected =
      "http://127.0.0.1:9101/stytch/v1/b2b/public/oauth/google/discovery/start?public_token="
      "public-token-production&discovery_redirect_url=http%3A%2F%2F127.0.0.1%3A" +
      port + "%2Fcallback";
  EXPECT_EQ(script_->opened_urls[0], expected);
  ASSERT_GE(notes().size(), 2u);
  EXPECT_EQ(notes()[0],
            "Opening your browser to sign in to production. If it does not open, visit:");
  EXPECT_EQ(notes()[1], expected);
}

TEST_F(LoginTest, RegistersEverySecret) {
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  for (const char* secret :
       {"one-time-token-0001", "ist-0001", "jwt-0001", "session-0001", kMintedKey}) {
    EXPECT_NE(std::find(host_.secrets.begin(), host_.secrets.end(), secret), host_.secrets.end())
        << secret;
  }
}

TEST_F(LoginTest, SecondLoginReusesKey) {
  script_account(project_with_token(
      R"({"id":"t-1","name":"AssemblyAI CLI","is_disabled":false,"api_key":"reused-key-0123456789"})"));

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ(host_.requests.size(), 3u);
  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), "reused-key-0123456789");
}

TEST_F(LoginTest, ReusesKeyNamedByTokenName) {
  script_account(project_with_token(
      R"({"id":"t-1","token_name":"AssemblyAI CLI","is_disabled":false,"api_key":"reused-key-0123456789"})"));

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ(host_.requests.size(), 3u);
  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), "reused-key-0123456789");
}

TEST_F(LoginTest, CreatesKeyWhenCliTokenDisabled) {
  script_account(project_with_token(
      R"({"id":"t-1","name":"AssemblyAI CLI","is_disabled":true,"api_key":"disabled-key-0123456"})"));
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ(host_.requests.size(), 4u);
  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), kMintedKey);
}

TEST_F(LoginTest, CreatesKeyWhenCliTokenHidesKey) {
  script_account(project_with_token(R"({"id":"t-1","name":"AssemblyAI CLI","is_disabled":false})"));
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ(host_.requests.size(), 4u);
  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), kMintedKey);
}

TEST_F(LoginTest, IgnoresKeysWithOtherNames) {
  script_account(project_with_token(
      R"({"id":"t-1","name":"Production","is_disabled":false,"api_key":"other-key-0123456789"})"));
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ((host_.stored_secrets[{"assemblyai-cli", "default"}]), kMintedKey);
}

TEST_F(LoginTest, CreatesKeyInFirstEntryWithProject) {
  script_account(
      R"([{"project":null,"tokens":[]},{"project":{"id":7,"name":"Second"},"tokens":[]}])");
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ(nlohmann::json::parse(host_.requests[3].body)["project_id"], 7);
}

TEST_F(LoginTest, AcceptsAccountIdAsString) {
  host_.respond(200,
                R"({"intermediate_session_token":"ist-0001","email":"ada@example.com",)"
                R"("organizations":[{"organization_id":"org-1","organization_name":"Acme"}]})");
  host_.respond(200, R"({"session_jwt":"jwt-0001","session_token":"session-0001",)"
                     R"("account":{"id":"42"}})");
  host_.respond(200, kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ(host_.requests[2].url, "http://127.0.0.1:9101/ams/v1/users/accounts/42/projects");
}

TEST_F(LoginTest, WritesJsonResult) {
  host_.json = true;
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ(host_.stdout_text,
            R"({"authenticated":true,"profile":"default","env":"production","api_key_only":false})"
            "\n");
}

TEST_F(LoginTest, FailsWithoutOrganization) {
  host_.respond(200, R"({"intermediate_session_token":"ist-0001","email":"ada@example.com",)"
                     R"("organizations":[]})");

  ASSERT_EQ(run("login"), 1);

  EXPECT_EQ(last_failure_->type, "api_error");
  EXPECT_EQ(last_failure_->message, "The account ada@example.com belongs to no organization.");
  EXPECT_EQ(last_failure_->suggestion,
            "Create one at http://127.0.0.1:9101/signup, then run `aai login` again.");
  EXPECT_TRUE(host_.stored_secrets.empty());
}

TEST_F(LoginTest, NotesChoiceAmongOrganizations) {
  host_.respond(200, R"({"intermediate_session_token":"ist-0001","email":"ada@example.com",)"
                     R"("organizations":[{"organization_id":"org-1","organization_name":"Acme"},)"
                     R"({"organization_id":"org-2","organization_name":"Beta"}]})");
  host_.respond(200, R"({"session_jwt":"jwt-0001","session_token":"session-0001",)"
                     R"("account":{"id":42}})");
  host_.respond(200, kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  const auto all_notes = notes();
  EXPECT_NE(std::find(all_notes.begin(), all_notes.end(),
                      "ada@example.com belongs to 2 organizations; signed in to 'Acme' (org-1)."),
            all_notes.end());
  EXPECT_EQ(nlohmann::json::parse(host_.requests[1].body)["organization_id"], "org-1");
}

TEST_F(LoginTest, FailsWhenAccountServiceRejects) {
  host_.respond(401, R"({"detail":"Token expired"})");

  ASSERT_EQ(run("login"), 4);

  EXPECT_EQ(last_failure_->type, "not_authenticated");
  EXPECT_EQ(last_failure_->message,
            "The account service rejected the sign-in (HTTP 401: Token expired).");
  EXPECT_EQ(last_failure_->suggestion, "Run `aai login` again to start a new sign-in.");
}

TEST_F(LoginTest, TreatsForbiddenAsRejected) {
  host_.respond(403, "");

  ASSERT_EQ(run("login"), 4);

  EXPECT_EQ(last_failure_->message, "The account service rejected the sign-in (HTTP 403).");
}

TEST_F(LoginTest, ReportsOtherAccountServiceErrors) {
  host_.respond(404, R"({"detail":"No such organization"})");

  ASSERT_EQ(run("login"), 1);

  EXPECT_EQ(last_failure_->type, "api_error");
  EXPECT_EQ(last_failure_->message,
            "The account service returned HTTP 404 to POST /v2/auth/discover: No such "
            "organization.");
}

struct MalformedReply {
  const char* name;
  int replies_before;
  std::string body;
  std::string request_line;
};

TEST_F(LoginTest, RejectsMalformedReplies) {
  const std::vector<MalformedReply> cases = {
      {"not JSON", 0, "<html>oops</html>", "POST /v2/auth/discover"},
      {"organizations not an array", 0,
       R"({"intermediate_session_token":"ist-0001","organizations":{"id":"org-1"}})",
       "POST /v2/auth/discover"},
      {"organization without id", 0,
       R"({"intermediate_session_token":"ist-0001","organizations":[{"organization_name":"A"}]})",
       "POST /v2/auth/discover"},
      {"reply is an array", 0, "[]", "POST /v2/auth/discover"},
      {"account id missing", 1, R"({"session_jwt":"jwt-0001","session_token":"s","account":{}})",
       "POST /v2/auth/exchange"},
      {"account not an object", 1, R"({"session_jwt":"jwt-0001","session_token":"s","account":42})",
       "POST /v2/auth/exchange"},
      {"account id negative", 1,
       R"({"session_jwt":"jwt-0001","session_token":"s","account":{"id":-1}})",
       "POST /v2/auth/exchange"},
      {"projects an object", 2, R"({"project":{"id":"proj-1"},"tokens":[]})",
       "GET /v1/users/accounts/42/projects"},
      {"tokens an object", 2, R"([{"project":{"id":"proj-1"},"tokens":{}}])",
       "GET /v1/users/accounts/42/projects"},
      {"project without id", 2, R"([{"project":{"name":"Main"},"tokens":[]}])",
       "GET /v1/users/accounts/42/projects"},
      {"entry a string", 2, R"(["proj-1"])", "GET /v1/users/accounts/42/projects"},
      {"created key missing", 3, R"({"id":"t-9","token_name":"AssemblyAI CLI"})",
       "POST /v1/users/accounts/42/tokens"},
  };
  const std::vector<std::string> good_replies = {
      R"({"intermediate_session_token":"ist-0001","email":"ada@example.com",)"
      R"("organizations":[{"organization_id":"org-1","organization_name":"Acme"}]})",
      R"({"session_jwt":"jwt-0001","session_token":"session-0001","account":{"id":42}})",
      kProjectWithoutKeys};
  for (const auto& malformed : cases) {
    SCOPED_TRACE(malformed.name);
    host_.responses.clear();
    host_.stored_secrets.clear();
    for (int i = 0; i < malformed.replies_before; ++i) {
      host_.respond(200, good_replies[i]);
    }
    host_.respond(200, malformed.body);

    ASSERT_EQ(run("login"), 1);

    EXPECT_EQ(last_failure_->type, "api_error");
    EXPECT_EQ(last_failure_->message,
              "The account service sent an unexpected reply to " + malformed.request_line + ".");
    EXPECT_EQ(last_failure_->suggestion,
              "Run `aai login` again; if it fails the same way, run it with -vv and report the "
              "output.");
    EXPECT_TRUE(host_.stored_secrets.empty());
  }
}

TEST_F(LoginTest, FailsWithoutProject) {
  script_account(R"([{"project":null,"tokens":[]}])");

  ASSERT_EQ(run("login"), 1);

  EXPECT_EQ(last_failure_->type, "api_error");
  EXPECT_EQ(last_failure_->message, "The account 42 has no project to create a key in.");
}

TEST_F(LoginTest, RollsBackWhenSessionWriteFails) {
  script_account(kProjectWithoutKeys);
  script_minted_key();
  host_.fail_secret_store_on_call = 2;

  ASSERT_EQ(run("login"), 1);

  EXPECT_EQ(last_failure_->type, "keyring_error");
  EXPECT_EQ(last_failure_->message, "The fake secret store rejected the write.");
  EXPECT_TRUE(host_.stored_secrets.empty());
  EXPECT_TRUE(host_.config.empty());
  EXPECT_EQ(host_.stdout_text, "");
}

TEST_F(LoginTest, RollbackRestoresEarlierLogin) {
  store_key(kStoredKey);
  host_.stored_secrets[{"assemblyai-cli", "session:default"}] = R"({"jwt":"old","token":"old"})";
  host_.config[{"profile.default", "account_id"}] = "7";
  host_.config[{"core", "active_profile"}] = "default";
  const auto secrets_before = host_.stored_secrets;
  const auto config_before = host_.config;
  script_account(kProjectWithoutKeys);
  script_minted_key();
  host_.failing_config_key = {"profile.default", "email"};

  ASSERT_EQ(run("login"), 1);

  EXPECT_EQ(last_failure_->type, "config_error");
  EXPECT_EQ(host_.stored_secrets, secrets_before);
  EXPECT_EQ(host_.config, config_before);
}

TEST_F(LoginTest, OffersHintsWhenBrowserDoesNotStart) {
  script_->open_succeeds = false;
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  const std::string port = getenv("AAI_AUTH_PORT");
  const auto all_notes = notes();
  ASSERT_GE(all_notes.size(), 4u);
  EXPECT_EQ(all_notes[2].rfind("On a remote machine, forward the port first: ssh -L " + port +
                                   ":127.0.0.1:" + port + " ",
                               0),
            0u);
  EXPECT_EQ(all_notes[3],
            "Or sign in with a key: printenv ASSEMBLYAI_API_KEY | aai login --with-api-key");
}

TEST_F(LoginTest, OffersHintsOnceWhenBrowserCommandFails) {
  script_->fails_after_start = true;
  script_->sends_redirect = false;

  ASSERT_EQ(run("login", {{"timeout", {"1"}}}), 4);

  const auto all_notes = notes();
  ASSERT_EQ(all_notes.size(), 4u);
  EXPECT_EQ(all_notes[3],
            "Or sign in with a key: printenv ASSEMBLYAI_API_KEY | aai login --with-api-key");
}

TEST_F(LoginTest, TimesOutWithoutCallback) {
  script_->sends_redirect = false;

  ASSERT_EQ(run("login", {{"timeout", {"1"}}}), 4);

  EXPECT_EQ(last_failure_->type, "not_authenticated");
  EXPECT_EQ(last_failure_->message,
            "Timed out after 1 second waiting for the browser to finish signing in.");
  EXPECT_EQ(last_failure_->suggestion,
            "Run `aai login` again, or sign in with a key: printenv ASSEMBLYAI_API_KEY | aai "
            "login --with-api-key");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(LoginTest, RejectsInvalidTimeout) {
  for (const char* value : {"0", "-5", "3601"}) {
    ASSERT_EQ(run("login", {{"timeout", {value}}}), 2) << value;

    EXPECT_EQ(last_failure_->message,
              std::string("--timeout must be a whole number of seconds from 1 to 3600, not '") +
                  value + "'.");
  }
}

TEST_F(LoginTest, StopsOnInterrupt) {
  script_->sends_redirect = false;
  host_.interrupt_on_check = 1;

  ASSERT_EQ(run("login"), 130);

  EXPECT_EQ(last_failure_->type, "interrupted");
}

TEST_F(LoginTest, SendsStateWhenEnvironmentChecksIt) {
  host_.active_environment = "local";
  host_.active_source = "--env";
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  const std::string redirect =
      query_parameter(script_->opened_urls.at(0), "discovery_redirect_url");
  const std::string state = query_parameter(redirect, "state");
  EXPECT_EQ(state.size(), 64u);
  EXPECT_EQ(state.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(script_->redirect_target.rfind("/callback?state=" + state + "&stytch_token_type=", 0),
            0u);
  EXPECT_EQ((host_.config[{"profile.default", "env"}]), "local");
  EXPECT_TRUE(host_.selected_environments.empty());
}

TEST_F(LoginTest, SendsNoStateWhenEnvironmentDoesNot) {
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  const std::string redirect =
      query_parameter(script_->opened_urls.at(0), "discovery_redirect_url");
  EXPECT_EQ(redirect.find('?'), std::string::npos);
}

TEST_F(LoginTest, IgnoresProfileEnvironment) {
  host_.active_environment = "local";
  host_.active_source = "profile";
  script_account(kProjectWithoutKeys);
  script_minted_key();

  ASSERT_EQ(run("login"), 0);

  EXPECT_EQ(host_.selected_environments, std::vector<std::string>{"production"});
  EXPECT_EQ((host_.config[{"profile.default", "env"}]), "production");
  EXPECT_EQ(host_.stdout_text, "Signed in as default (production).\n");
}

TEST_F(LoginTest, RejectsInvalidAuthPort) {
  for (const char* value : {"0", "65536", "http", "80x", "-1"}) {
    setenv("AAI_AUTH_PORT", value, 1);

    ASSERT_EQ(run("login"), 2) << value;

    EXPECT_EQ(last_failure_->type, "invalid_env");
    EXPECT_EQ(
        last_failure_->message,
        std::string("AAI_AUTH_PORT must be a port number from 1 to 65535, not '") + value + "'.");
    EXPECT_EQ(last_failure_->suggestion, "Unset AAI_AUTH_PORT to use port 8585.");
    EXPECT_TRUE(script_->opened_urls.empty());
  }
}

TEST_F(LoginTest, RejectsOtherSelectedProvider) {
  host_.config[{"core", "credential_provider"}] = "auth-command";

  ASSERT_EQ(run("login"), 2);

  EXPECT_EQ(last_failure_->type, "usage_error");
  EXPECT_EQ(last_failure_->message,
            "`aai login` stores keys for the auth-stytch provider, but core.credential_provider "
            "selects 'auth-command'.");
  EXPECT_EQ(last_failure_->suggestion,
            "Run `aai config unset core.credential_provider`, then `aai login` again.");
  EXPECT_TRUE(script_->opened_urls.empty());
}

TEST_F(LoginTest, RejectsProviderFromOlderKey) {
  host_.config[{"providers", "aai.credentials"}] = "auth-command";

  ASSERT_EQ(run("login"), 2);

  EXPECT_EQ(last_failure_->suggestion,
            "Run `aai config unset providers.aai.credentials`, then `aai login` again.");
}

TEST_F(LoginTest, AcceptsThisProviderSelected) {
  host_.config[{"core", "credential_provider"}] = "auth-stytch";
  script_account(kProjectWithoutKeys);
  script_minted_key();

  EXPECT_EQ(run("login"), 0);
}

TEST_F(LoginTest, FailsWhenSecretStoreUnusable) {
  host_.secret_lookup_error = "No Secret Service answered on the session bus.";

  ASSERT_EQ(run("login"), 2);

  EXPECT_EQ(last_failure_->type, "keyring_unusable");
  EXPECT_EQ(last_failure_->message,
            "The secret store cannot be used: No Secret Service answered on the session bus.");
  EXPECT_EQ(last_failure_->suggestion,
            "Run `aai config set core.secret_store file` to keep secrets in a file, then `aai "
            "login` again.");
  EXPECT_TRUE(script_->opened_urls.empty());
}

}  // namespace
}  // namespace auth_stytch::testing
