// The sign-in endpoints of aai-local-server over real HTTP on 127.0.0.1: the Stytch discovery
// start, the AMS calls, and the API keys they mint.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server_process.hpp"

namespace aai::local::testing {
namespace {

using nlohmann::json;

const char* const kStartPath = "/stytch/v1/b2b/public/oauth/google/discovery/start";
const std::string kState = std::string(64, 'a');

const json kSeededAccounts = json::parse(R"({"identities": [
  {"email": "ada@example.com",
   "organizations": [
     {"organization_id": "org-1", "organization_name": "Ada's team", "account_id": 101,
      "llm_gateway": true,
      "projects": [
        {"project": null, "tokens": []},
        {"project": {"id": 7, "name": "Default"},
         "tokens": [{"id": 1, "name": "AssemblyAI CLI", "is_disabled": false,
                     "api_key": "key-abc"},
                    {"id": 2, "token_name": "Listed without key", "is_disabled": false}]}]},
     {"organization_id": "org-2", "organization_name": "Side project", "account_id": 202,
      "projects": [{"project": {"id": 9, "name": "Other"}, "tokens": []}]}]}]})");

std::string encode(const std::string& text) {
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      char escape[4];
      std::snprintf(escape, sizeof escape, "%%%02X", c);
      encoded += escape;
    }
  }
  return encoded;
}

std::string start_target(const std::string& redirect_url,
                         const std::string& public_token = "public-token-local") {
  return std::string(kStartPath) + "?public_token=" + encode(public_token) +
         "&discovery_redirect_url=" + encode(redirect_url);
}

class LoginFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ = std::filesystem::temp_directory_path() /
                ("aai-login-test-" + std::to_string(getpid()) + "-" + info->name());
    accounts_file_ = data_dir_.string() + "-accounts.json";
    std::filesystem::remove_all(data_dir_);
    std::filesystem::create_directories(data_dir_);
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(data_dir_);
    std::filesystem::remove(data_dir_.string() + "-server.log");
    std::filesystem::remove(accounts_file_);
  }

  ServerProcess& start(std::vector<std::string> arguments = {}) {
    server_.reset();
    server_ = std::make_unique<ServerProcess>(data_dir_, std::move(arguments));
    return *server_;
  }

  ServerProcess& start_seeded(const json& accounts = kSeededAccounts) {
    std::ofstream(accounts_file_) << accounts.dump();
    return start({"--accounts", accounts_file_.string()});
  }

  std::string discovery_token() {
    HttpResult result = server_->request("GET", start_target("http://127.0.0.1:8585/callback"));
    EXPECT_EQ(result.status, 302u) << result.body;
    return result.location.substr(result.location.find("&token=") + 7);
  }

  HttpResult post(const std::string& path, const json& body, const std::string& cookie = "") {
    Headers headers = {{"Content-Type", "application/json"}};
    if (!cookie.empty()) {
      headers.emplace_back("Cookie", cookie);
    }
    return server_->send("POST", path, body.dump(), headers);
  }

  HttpResult get(const std::string& path, const std::string& cookie) {
    Headers headers;
    if (!cookie.empty()) {
      headers.emplace_back("Cookie", cookie);
    }
    return server_->send("GET", path, "", headers);
  }

  json discover(const std::string& token) {
    HttpResult result =
        post("/ams/v2/auth/discover", {{"token", token}, {"token_type", "discovery_oauth"}});
    EXPECT_EQ(result.status, 200u) << result.body;
    return json::parse(result.body);
  }

  json exchange(const json& discovered, const std::string& organization_id) {
    HttpResult result =
        post("/ams/v2/auth/exchange",
             {{"intermediate_session_token", discovered["intermediate_session_token"]},
              {"organization_id", organization_id}});
    EXPECT_EQ(result.status, 200u) << result.body;
    return json::parse(result.body);
  }

  // Signs in to `organization_id` and returns the Cookie header value of the session.
  std::string session_cookie(const std::string& organization_id) {
    json session = exchange(discover(discovery_token()), organization_id);
    return "stytch_session_jwt=" + session["session_jwt"].get<std::string>();
  }

  static json detail(const std::string& text) { return {{"detail", text}}; }

  std::filesystem::path data_dir_;
  std::filesystem::path accounts_file_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(LoginFlowTest, RedirectKeepsStateAndAppendsToken) {
  auto& server = start();
  std::string redirect_url = "http://127.0.0.1:8585/callback?state=" + kState;

  HttpResult result = server.request("GET", start_target(redirect_url), "", "");

  EXPECT_EQ(result.status, 302u);
  std::smatch match;
  std::regex expected(std::regex_replace(redirect_url, std::regex("[.?]"), "\\$&") +
                      "&stytch_token_type=discovery_oauth&token=([A-Za-z0-9_-]{20,})");
  EXPECT_TRUE(std::regex_match(result.location, match, expected)) << result.location;
}

TEST_F(LoginFlowTest, SignupPageExplainsAccountsFile) {
  start();

  HttpResult result = get("/signup", "");

  EXPECT_EQ(result.status, 200u);
  EXPECT_NE(result.body.find("aai local serve --accounts FILE"), std::string::npos) << result.body;
}

TEST_F(LoginFlowTest, RedirectWithoutQueryGetsOne) {
  auto& server = start();

  HttpResult result = server.request("GET", start_target("http://localhost:8585/callback"), "", "");

  EXPECT_EQ(result.status, 302u);
  EXPECT_EQ(result.location.rfind(
                "http://localhost:8585/callback?stytch_token_type=discovery_oauth&token=", 0),
            0u)
      << result.location;
}

TEST_F(LoginFlowTest, StartRejectsWrongPublicToken) {
  auto& server = start();

  HttpResult wrong = server.request(
      "GET", start_target("http://127.0.0.1:8585/callback", "public-token-live-1"), "", "");
  HttpResult missing = server.request(
      "GET", std::string(kStartPath) + "?discovery_redirect_url=http://127.0.0.1:8585/", "", "");

  EXPECT_EQ(wrong.status, 400u);
  EXPECT_EQ(json::parse(wrong.body),
            json({{"status_code", 400},
                  {"error_type", "public_token_invalid"},
                  {"error_message",
                   "public_token must be \"public-token-local\" on the local emulator, not "
                   "\"public-token-live-1\"."}}));
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(json::parse(missing.body)["error_message"],
            "public_token must be \"public-token-local\" on the local emulator, not none.");
}

TEST_F(LoginFlowTest, StartRejectsMissingRedirect) {
  auto& server = start();

  HttpResult result =
      server.request("GET", std::string(kStartPath) + "?public_token=public-token-local", "", "");

  EXPECT_EQ(result.status, 400u);
  EXPECT_EQ(json::parse(result.body),
            json({{"status_code", 400},
                  {"error_type", "invalid_discovery_redirect_url"},
                  {"error_message", "discovery_redirect_url is missing."}}));
}

TEST_F(LoginFlowTest, StartRejectsNonLoopbackRedirects) {
  auto& server = start();

  for (const std::string redirect_url :
       {"https://127.0.0.1:8585/callback", "http://example.com:8585/callback",
        "http://127.0.0.1.example.com:8585/", "http://127.0.0.1/callback",
        "http://127.0.0.1:70000/callback", "http://127.0.0.1:8585/callback#top",
        "http://127.0.0.1:8585/a b", "http://127.0.0.1:8585/\r\nSet-Cookie: x=1",
        "http://user@127.0.0.1:8585/"}) {
    HttpResult result = server.request("GET", start_target(redirect_url), "", "");

    EXPECT_EQ(result.status, 400u) << redirect_url;
    EXPECT_EQ(result.location, "") << redirect_url;
    EXPECT_EQ(json::parse(result.body)["error_message"],
              "discovery_redirect_url must be an http://127.0.0.1:PORT or http://localhost:PORT "
              "URL without a fragment, not " +
                  json(redirect_url).dump() + ".")
        << redirect_url;
  }
}

TEST_F(LoginFlowTest, WalksWholeProtocol) {
  start_seeded();

  json discovered = discover(discovery_token());
  EXPECT_EQ(discovered["email"], "ada@example.com");
  EXPECT_EQ(discovered["organizations"],
            json::parse(R"([{"organization_id": "org-1", "organization_name": "Ada's team"},
                            {"organization_id": "org-2", "organization_name": "Side project"}])"));
  json session = exchange(discovered, "org-1");
  EXPECT_EQ(session["account"], json({{"id", 101}}));
  EXPECT_TRUE(session["session_token"].is_string());
  std::string cookie = "stytch_session_jwt=" + session["session_jwt"].get<std::string>();

  HttpResult projects = get("/ams/v1/users/accounts/101/projects", cookie);
  EXPECT_EQ(projects.status, 200u);
  EXPECT_EQ(json::parse(projects.body),
            kSeededAccounts["identities"][0]["organizations"][0]["projects"]);

  HttpResult minted = post("/ams/v1/users/accounts/101/tokens",
                           {{"project_id", 7}, {"token_name", "AssemblyAI CLI"}}, cookie);
  EXPECT_EQ(minted.status, 200u) << minted.body;
  json token = json::parse(minted.body);
  EXPECT_EQ(token["id"], 3);
  EXPECT_EQ(token["token_name"], "AssemblyAI CLI");
  EXPECT_EQ(token["is_disabled"], false);
  std::string api_key = token["api_key"];
  EXPECT_TRUE(std::regex_match(api_key, std::regex("local-[0-9a-f]{32}"))) << api_key;

  json listed = json::parse(get("/ams/v1/users/accounts/101/projects", cookie).body);
  EXPECT_EQ(listed[1]["tokens"].back(), token);
  EXPECT_EQ(server_->request("GET", "/v2/transcript", "", api_key).status, 200u);
  EXPECT_EQ(server_->request("GET", "/v2/transcript", "", "key-abc").status, 200u);
  EXPECT_EQ(server_->request("GET", "/v2/transcript", "", "made-up").status, 401u);
}

TEST_F(LoginFlowTest, LogShowsNoSecrets) {
  start_seeded();
  std::string discovery = discovery_token();
  json discovered = discover(discovery);
  json session = exchange(discovered, "org-1");
  std::string cookie = "stytch_session_jwt=" + session["session_jwt"].get<std::string>();
  json token = json::parse(post("/ams/v1/users/accounts/101/tokens",
                                {{"project_id", 7}, {"token_name", "AssemblyAI CLI"}}, cookie)
                               .body);

  // The server logs a request after sending its response, so the last line can lag behind.
  std::string log;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  const std::string last_line = "POST /ams/v1/users/accounts/101/tokens 200";
  while (log.find(last_line) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log = server_->log();
  }

  EXPECT_NE(log.find(last_line), std::string::npos) << log;
  for (const std::string& secret : std::vector<std::string>{
           discovery, discovered["intermediate_session_token"].get<std::string>(),
           session["session_jwt"].get<std::string>(), session["session_token"].get<std::string>(),
           token["api_key"].get<std::string>()}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(LoginFlowTest, DiscoveryTokenWorksOnce) {
  start();
  std::string token = discovery_token();
  discover(token);

  HttpResult again =
      post("/ams/v2/auth/discover", {{"token", token}, {"token_type", "discovery_oauth"}});
  HttpResult unknown =
      post("/ams/v2/auth/discover", {{"token", "discovery-0"}, {"token_type", "discovery_oauth"}});

  EXPECT_EQ(again.status, 401u);
  EXPECT_EQ(json::parse(again.body),
            detail("The discovery token is unknown, expired or already used."));
  EXPECT_EQ(unknown.status, 401u);
}

TEST_F(LoginFlowTest, DiscoverRejectsBadBodies) {
  start();

  HttpResult malformed = server_->send("POST", "/ams/v2/auth/discover", "{\"token\":", {});
  HttpResult not_object = post("/ams/v2/auth/discover", json::array());
  HttpResult no_token = post("/ams/v2/auth/discover", {{"token_type", "discovery_oauth"}});
  HttpResult wrong_type =
      post("/ams/v2/auth/discover", {{"token", discovery_token()}, {"token_type", "magic_links"}});

  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(json::parse(malformed.body), detail("The request body is not valid JSON."));
  EXPECT_EQ(not_object.status, 400u);
  EXPECT_EQ(json::parse(not_object.body), detail("The request body must be a JSON object."));
  EXPECT_EQ(no_token.status, 400u);
  EXPECT_EQ(json::parse(no_token.body), detail("token is missing."));
  EXPECT_EQ(wrong_type.status, 400u);
  EXPECT_EQ(json::parse(wrong_type.body),
            detail("token_type must be \"discovery_oauth\", not \"magic_links\"."));
}

TEST_F(LoginFlowTest, IdentityWithoutOrganizationsDiscoversNone) {
  start_seeded(
      json::parse(R"({"identities": [{"email": "new@example.com", "organizations": []}]})"));

  json discovered = discover(discovery_token());

  EXPECT_EQ(discovered["email"], "new@example.com");
  EXPECT_EQ(discovered["organizations"], json::array());
}

TEST_F(LoginFlowTest, ExchangeRejectsOtherOrganization) {
  start_seeded();
  json discovered = discover(discovery_token());

  HttpResult result =
      post("/ams/v2/auth/exchange",
           {{"intermediate_session_token", discovered["intermediate_session_token"]},
            {"organization_id", "org-9"}});

  EXPECT_EQ(result.status, 403u);
  EXPECT_EQ(json::parse(result.body),
            detail("ada@example.com is not a member of organization \"org-9\"."));
  exchange(discovered, "org-2");
}

TEST_F(LoginFlowTest, IntermediateSessionWorksOnce) {
  start();
  json discovered = discover(discovery_token());
  exchange(discovered, "org-local");

  HttpResult again = post("/ams/v2/auth/exchange",
                          {{"intermediate_session_token", discovered["intermediate_session_token"]},
                           {"organization_id", "org-local"}});
  HttpResult missing = post("/ams/v2/auth/exchange", {{"intermediate_session_token", "x"}});

  EXPECT_EQ(again.status, 401u);
  EXPECT_EQ(json::parse(again.body),
            detail("The intermediate session token is unknown, expired or already used."));
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(json::parse(missing.body), detail("organization_id is missing."));
}

TEST_F(LoginFlowTest, ProjectsRequireSessionOfAccount) {
  start_seeded();
  std::string cookie = session_cookie("org-1");

  HttpResult no_cookie = get("/ams/v1/users/accounts/101/projects", "");
  HttpResult other_cookie = get("/ams/v1/users/accounts/101/projects", "theme=dark");
  HttpResult bogus = get("/ams/v1/users/accounts/101/projects", "stytch_session_jwt=bogus");
  HttpResult other_account = get("/ams/v1/users/accounts/202/projects", cookie);
  HttpResult unknown_account = get("/ams/v1/users/accounts/999/projects", cookie);
  HttpResult bad_id = get("/ams/v1/users/accounts/abc/projects", cookie);
  HttpResult among_others = get("/ams/v1/users/accounts/101/projects", "theme=dark; " + cookie);

  EXPECT_EQ(no_cookie.status, 401u);
  EXPECT_EQ(json::parse(no_cookie.body),
            detail("The stytch_session_jwt cookie is missing. Sign in first."));
  EXPECT_EQ(other_cookie.status, 401u);
  EXPECT_EQ(bogus.status, 401u);
  EXPECT_EQ(json::parse(bogus.body), detail("The session is unknown or expired. Sign in again."));
  EXPECT_EQ(other_account.status, 401u);
  EXPECT_EQ(json::parse(other_account.body), detail("The session does not belong to account 202."));
  EXPECT_EQ(unknown_account.status, 404u);
  EXPECT_EQ(json::parse(unknown_account.body), detail("Account 999 not found."));
  EXPECT_EQ(bad_id.status, 404u);
  EXPECT_EQ(json::parse(bad_id.body), detail("Account \"abc\" not found."));
  EXPECT_EQ(among_others.status, 200u);
}

TEST_F(LoginFlowTest, MintRejectsBadRequests) {
  start_seeded();
  std::string cookie = session_cookie("org-1");
  const std::string path = "/ams/v1/users/accounts/101/tokens";

  HttpResult no_cookie = post(path, {{"project_id", 7}, {"token_name", "AssemblyAI CLI"}});
  HttpResult other_project =
      post(path, {{"project_id", 9}, {"token_name", "AssemblyAI CLI"}}, cookie);
  HttpResult string_project =
      post(path, {{"project_id", "7"}, {"token_name", "AssemblyAI CLI"}}, cookie);
  HttpResult no_name = post(path, {{"project_id", 7}}, cookie);
  HttpResult malformed = server_->send("POST", path, "nope", {{"Cookie", cookie}});

  EXPECT_EQ(no_cookie.status, 401u);
  EXPECT_EQ(other_project.status, 400u);
  EXPECT_EQ(json::parse(other_project.body), detail("Project 9 is not in account 101."));
  EXPECT_EQ(string_project.status, 400u);
  EXPECT_EQ(json::parse(string_project.body), detail("project_id must be an integer, not \"7\"."));
  EXPECT_EQ(no_name.status, 400u);
  EXPECT_EQ(json::parse(no_name.body), detail("token_name is missing."));
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(json::parse(malformed.body), detail("The request body is not valid JSON."));
}

TEST_F(LoginFlowTest, RejectsUnknownPathsAndMethods) {
  start();

  HttpResult unknown = get("/ams/v1/nothing", "");
  HttpResult wrong_method = get("/ams/v2/auth/discover", "");

  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(json::parse(unknown.body), detail("Not found"));
  EXPECT_EQ(wrong_method.status, 405u);
  EXPECT_EQ(json::parse(wrong_method.body),
            detail("Method GET is not allowed on /ams/v2/auth/discover; use POST."));
}

TEST_F(LoginFlowTest, MintedKeyWorksAfterRestart) {
  start({"--api-key", "operator-key"});
  std::string cookie = session_cookie("org-local");
  json token = json::parse(post("/ams/v1/users/accounts/1001/tokens",
                                {{"project_id", 1}, {"token_name", "AssemblyAI CLI"}}, cookie)
                               .body);
  std::string api_key = token["api_key"];

  start({"--api-key", "operator-key"});

  EXPECT_EQ(server_->request("GET", "/v2/transcript", "", api_key).status, 200u);
  EXPECT_EQ(server_->request("GET", "/v2/transcript", "", "operator-key").status, 200u);
  EXPECT_EQ(server_->request("GET", "/v2/transcript", "", "other").status, 401u);
  EXPECT_EQ(get("/ams/v1/users/accounts/1001/projects", cookie).status, 401u);
}

TEST_F(LoginFlowTest, OpenModeStillAcceptsAnyKey) {
  auto& server = start();

  EXPECT_EQ(server.request("GET", "/v2/transcript", "", "anything").status, 200u);
}

TEST_F(LoginFlowTest, BadAccountsFileExitsWithUsageError) {
  std::ofstream(accounts_file_) << R"({"identities": [{"organizations": []}]})";

  auto [exit_code, stderr_text] = run_server_to_exit(
      {"--port", "0", "--data-dir", data_dir_.string(), "--accounts", accounts_file_.string()},
      std::chrono::seconds(20));

  EXPECT_EQ(exit_code, 2);
  EXPECT_EQ(stderr_text, "aai-local-server: error: The accounts file \"" + accounts_file_.string() +
                             "\" is not valid: identities[0].email is missing.\n");
  EXPECT_FALSE(std::filesystem::exists(data_dir_ / "accounts.json"));
}

TEST_F(LoginFlowTest, MissingAccountsFileExitsWithUsageError) {
  auto [exit_code, stderr_text] = run_server_to_exit(
      {"--port", "0", "--data-dir", data_dir_.string(), "--accounts", accounts_file_.string()},
      std::chrono::seconds(20));

  EXPECT_EQ(exit_code, 2);
  EXPECT_EQ(stderr_text, "aai-local-server: error: Could not read the accounts file \"" +
                             accounts_file_.string() + "\": No such file or directory.\n");
}

}  // namespace
}  // namespace aai::local::testing
