// `aai login`, `logout`, `whoami` and the credential providers, run for real. The aai binary talks
// to the emulator, which plays the login provider and the account service, and a BROWSER script
// follows the sign-in URL with curl where a person would click in a browser.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness.hpp"

namespace aai::testing {
namespace {

using nlohmann::json;

const std::filesystem::path kSample =
    std::filesystem::path(AAI_TEST_SOURCE_DIR) / "samples/sense-and-sensibility.wav";

// Long enough for a loaded machine, short enough that a broken BROWSER script fails the test
// quickly rather than after login's default of 120 s.
constexpr const char* kLoginTimeout = "30";

// Follows the sign-in URL the way a browser would: through the provider's redirect to the
// callback. Each step's status goes to browser.log so tests can see what the callback returned.
constexpr const char* kFollowingBrowser = R"(#!/bin/sh
printf 'url %s\n' "$1" >> "$HOME/browser.log"
curl -s -o /dev/null -w 'followed %{http_code}\n' -L --max-time 20 "$1" >> "$HOME/browser.log"
)";

// Sends two forged callbacks before following the real URL.
constexpr const char* kForgingBrowser = R"(#!/bin/sh
callback="http://127.0.0.1:$AAI_AUTH_PORT/callback"
curl -s -o /dev/null -w 'no-state %{http_code}\n' \
  "$callback?stytch_token_type=discovery_oauth&token=forged" >> "$HOME/browser.log"
curl -s -o /dev/null -w 'wrong-state %{http_code}\n' \
  "$callback?state=0123&stytch_token_type=discovery_oauth&token=forged" >> "$HOME/browser.log"
curl -s -o /dev/null -w 'followed %{http_code}\n' -L --max-time 20 "$1" >> "$HOME/browser.log"
)";

json identity(json organizations) {
  return {{"email", "ada@example.com"}, {"organizations", std::move(organizations)}};
}

json organization(const std::string& id, const std::string& name, json tokens,
                  int account_id = 101) {
  return {{"organization_id", id},
          {"organization_name", name},
          {"account_id", account_id},
          {"llm_gateway", true},
          {"projects",
           json::array({{{"project", {{"id", 7}, {"name", "Default"}}}, {"tokens", tokens}}})}};
}

json accounts_with_tokens(json tokens) {
  return {{"identities", json::array({identity(json::array(
                             {organization("org-1", "Ada's team", std::move(tokens))}))})}};
}

class LoginTest : public ::testing::Test {
 protected:
  void start_emulator(const json& accounts) {
    auto file = data_.write("accounts.json", accounts.dump());
    emulator_ = std::make_unique<Emulator>(data_.path() / "emulator", std::nullopt,
                                           std::vector<std::string>{"--accounts", file.string()});
    sandbox_.set_env("AAI_LOCAL_PORT", std::to_string(emulator_->port()));
  }

  void SetUp() override {
    auth_port_ = free_loopback_port();
    sandbox_.set_env("AAI_AUTH_PORT", std::to_string(auth_port_));
    use_browser(kFollowingBrowser);
  }

  void use_browser(const std::string& script) {
    auto path = data_.write("browser.sh", script);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    sandbox_.set_env("BROWSER", path.string());
  }

  RunResult aai(const std::vector<std::string>& args, const std::string& input = {}) {
    return sandbox_.run(args, input);
  }

  std::filesystem::path secrets_file() const { return sandbox_.home() / "data/aai/secrets.json"; }

  // The secret stored under `account` in the file store, or "" when there is none.
  std::string stored_secret(const std::string& account) const {
    std::string text = read_text(secrets_file());
    if (text.empty()) {
      return {};
    }
    json secrets = json::parse(text);
    const json& service = secrets["assemblyai-cli"];
    return service.contains(account) ? service[account].get<std::string>() : std::string();
  }

  std::string browser_log() const { return read_text(sandbox_.home() / "browser.log"); }

  std::string signup_url() const {
    return "http://127.0.0.1:" + std::to_string(emulator_->port()) + "/signup";
  }

  TempDir data_;
  std::unique_ptr<Emulator> emulator_;
  Sandbox sandbox_;
  int auth_port_ = 0;
};

TEST_F(LoginTest, FirstLoginMintsWorkingKey) {
  start_emulator(accounts_with_tokens(json::array()));

  auto login = aai({"--env", "local", "login", "--timeout", kLoginTimeout});
  ASSERT_EQ(login.exit_code, 0) << login.err;
  EXPECT_EQ(login.out, "Signed in as default (local).\n");
  EXPECT_NE(browser_log().find("followed 200"), std::string::npos) << browser_log();

  std::string key = stored_secret("default");
  EXPECT_EQ(key.rfind("local-", 0), 0u) << key;
  json session = json::parse(stored_secret("session:default"));
  EXPECT_TRUE(session["jwt"].is_string());
  EXPECT_TRUE(session["token"].is_string());

  struct stat file_status {};
  ASSERT_EQ(stat(secrets_file().c_str(), &file_status), 0);
  EXPECT_EQ(file_status.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(secrets_file().parent_path().c_str(), &file_status), 0);
  EXPECT_EQ(file_status.st_mode & 0777, 0700u);

  std::string config = read_text(sandbox_.config_file());
  EXPECT_EQ(config.find(key), std::string::npos) << config;
  EXPECT_EQ(aai({"config", "get", "env"}).out, "local\n");
  EXPECT_EQ(aai({"config", "get", "profile.default.email"}).out, "ada@example.com\n");

  // The profile's stored environment now selects local without --env.
  auto transcribed = aai({"transcribe", kSample.string(), "-o", "text"});
  ASSERT_EQ(transcribed.exit_code, 0) << transcribed.err;
  EXPECT_FALSE(transcribed.out.empty());

  auto logout = aai({"logout"});
  EXPECT_EQ(logout.exit_code, 0) << logout.err;
  EXPECT_EQ(logout.out, "Signed out of default.\n");
  EXPECT_EQ(stored_secret("default"), "");
  EXPECT_EQ(stored_secret("session:default"), "");

  auto after = aai({"transcribe", kSample.string()});
  EXPECT_EQ(after.exit_code, 4);
  EXPECT_EQ(after.err,
            "Error: No API key is configured.\n"
            "Suggestion: Run `aai login`, or set ASSEMBLYAI_API_KEY to your API key.\n");

  auto second_logout = aai({"logout"});
  EXPECT_EQ(second_logout.exit_code, 0);
  EXPECT_EQ(second_logout.out, "Nothing was stored for default.\n");
}

TEST_F(LoginTest, SecondLoginReusesKey) {
  start_emulator(accounts_with_tokens(json::array()));
  ASSERT_EQ(aai({"--env", "local", "login", "--timeout", kLoginTimeout}).exit_code, 0);
  std::string first = stored_secret("default");
  ASSERT_EQ(aai({"--env", "local", "login", "--timeout", kLoginTimeout}).exit_code, 0);
  EXPECT_EQ(stored_secret("default"), first);
}

TEST_F(LoginTest, ReusesCliTokenNamedByTokenName) {
  start_emulator(accounts_with_tokens(json::array({{{"id", 1},
                                                    {"token_name", "AssemblyAI CLI"},
                                                    {"is_disabled", false},
                                                    {"api_key", "key-abc"}}})));
  auto login = aai({"--env", "local", "login", "--timeout", kLoginTimeout});
  ASSERT_EQ(login.exit_code, 0) << login.err;
  EXPECT_EQ(stored_secret("default"), "key-abc");
}

TEST_F(LoginTest, MintsPastDisabledOrKeylessTokens) {
  start_emulator(accounts_with_tokens(json::array(
      {{{"id", 1}, {"name", "AssemblyAI CLI"}, {"is_disabled", true}, {"api_key", "key-disabled"}},
       {{"id", 2}, {"name", "AssemblyAI CLI"}, {"is_disabled", false}}})));
  auto login = aai({"--env", "local", "login", "--timeout", kLoginTimeout});
  ASSERT_EQ(login.exit_code, 0) << login.err;
  std::string key = stored_secret("default");
  EXPECT_NE(key, "key-disabled");
  EXPECT_EQ(key.rfind("local-", 0), 0u) << key;
  EXPECT_EQ(aai({"transcripts", "list"}).exit_code, 0);
}

TEST_F(LoginTest, RejectsForgedCallbacks) {
  start_emulator(accounts_with_tokens(json::array()));
  use_browser(kForgingBrowser);
  auto login = aai({"--env", "local", "login", "--timeout", kLoginTimeout});
  ASSERT_EQ(login.exit_code, 0) << login.err;
  EXPECT_NE(browser_log().find("no-state 400"), std::string::npos) << browser_log();
  EXPECT_NE(browser_log().find("wrong-state 400"), std::string::npos) << browser_log();
  EXPECT_NE(browser_log().find("followed 200"), std::string::npos) << browser_log();
}

TEST_F(LoginTest, PortInUseOpensNoBrowser) {
  start_emulator(accounts_with_tokens(json::array()));
  int holder = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(auth_port_));
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(holder, 1), 0);

  auto login = aai({"--env", "local", "login", "--timeout", kLoginTimeout});
  close(holder);
  std::string port = std::to_string(auth_port_);
  EXPECT_EQ(login.exit_code, 1);
  EXPECT_EQ(login.err, "Error: Port " + port +
                           " on 127.0.0.1 is in use, so the sign-in callback cannot listen there.\n"
                           "Suggestion: Close the program that uses it, or set AAI_AUTH_PORT to a "
                           "free port.\n");
  EXPECT_EQ(browser_log(), "");
}

TEST_F(LoginTest, TimesOutWithoutCallback) {
  start_emulator(accounts_with_tokens(json::array()));
  use_browser("#!/bin/sh\nexit 0\n");
  auto login = aai({"--env", "local", "login", "--timeout", "2"});
  EXPECT_EQ(login.exit_code, 4);
  EXPECT_NE(login.err.find("Error: Timed out after 2 seconds waiting for the browser to finish "
                           "signing in.\n"),
            std::string::npos)
      << login.err;
  EXPECT_EQ(stored_secret("default"), "");
}

TEST_F(LoginTest, NoOrganizationPointsAtSignUp) {
  start_emulator({{"identities", json::array({identity(json::array())})}});
  auto login = aai({"--env", "local", "login", "--timeout", kLoginTimeout});
  EXPECT_EQ(login.exit_code, 1);
  EXPECT_NE(login.err.find("Error: The account ada@example.com belongs to no organization.\n"
                           "Suggestion: Create one at " +
                           signup_url() + ", then run `aai login` again.\n"),
            std::string::npos)
      << login.err;
  EXPECT_EQ(stored_secret("default"), "");
}

TEST_F(LoginTest, TwoOrganizationsPickFirst) {
  start_emulator(
      {{"identities", json::array({identity(json::array(
                          {organization("org-1", "First team", json::array()),
                           organization("org-2", "Second team", json::array(), 102)}))})}});
  auto login = aai({"--env", "local", "login", "--timeout", kLoginTimeout});
  ASSERT_EQ(login.exit_code, 0) << login.err;
  EXPECT_NE(login.err.find(
                "ada@example.com belongs to 2 organizations; signed in to 'First team' (org-1)."),
            std::string::npos)
      << login.err;
}

TEST_F(LoginTest, VerboseOutputMasksSecrets) {
  start_emulator(accounts_with_tokens(json::array()));
  auto login = aai({"-vv", "--env", "local", "login", "--timeout", kLoginTimeout});
  ASSERT_EQ(login.exit_code, 0) << login.err;
  json session = json::parse(stored_secret("session:default"));
  for (const std::string& secret : {stored_secret("default"), session["jwt"].get<std::string>(),
                                    session["token"].get<std::string>()}) {
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(login.err.find(secret), std::string::npos) << login.err;
    EXPECT_EQ(login.out.find(secret), std::string::npos) << login.out;
  }
  auto whoami = aai({"-vv", "whoami"});
  EXPECT_EQ(whoami.err.find(stored_secret("default")), std::string::npos) << whoami.err;
}

TEST_F(LoginTest, WhoamiMasksKey) {
  start_emulator(accounts_with_tokens(json::array({{{"id", 1},
                                                    {"name", "AssemblyAI CLI"},
                                                    {"is_disabled", false},
                                                    {"api_key", "key-abcdef123"}}})));
  ASSERT_EQ(aai({"--env", "local", "login", "--timeout", kLoginTimeout}).exit_code, 0);
  auto whoami = aai({"--json", "whoami"});
  ASSERT_EQ(whoami.exit_code, 0) << whoami.err;
  json report = json::parse(whoami.out);
  EXPECT_EQ(report["profile"], "default");
  EXPECT_EQ(report["env"], "local");
  EXPECT_EQ(report["api_key"], "key...f123");
  EXPECT_EQ(report["reachable"], true);
  EXPECT_EQ(report["session"], "stored");
  EXPECT_TRUE(report["account_id"] == 101 || report["account_id"] == "101") << report;
}

TEST_F(LoginTest, StoredKeyStaysInItsEnvironment) {
  start_emulator(accounts_with_tokens(json::array()));
  ASSERT_EQ(aai({"--env", "local", "login", "--timeout", kLoginTimeout}).exit_code, 0);
  auto elsewhere = aai({"--env", "production", "transcripts", "list"});
  EXPECT_EQ(elsewhere.exit_code, 4);
  EXPECT_EQ(elsewhere.err,
            "Error: Profile 'default' is signed in to 'local', not to 'production'.\n"
            "Suggestion: Run `aai --env production login` to sign in there, or drop --env and "
            "AAI_ENV to use 'local'.\n");
}

TEST_F(LoginTest, WithApiKeyStoresAcceptedKey) {
  start_emulator(accounts_with_tokens(json::array(
      {{{"id", 1}, {"name", "Server"}, {"is_disabled", false}, {"api_key", "key-abc"}}})));
  auto login = aai({"--env", "local", "login", "--with-api-key"}, "key-abc\n");
  ASSERT_EQ(login.exit_code, 0) << login.err;
  EXPECT_EQ(login.out, "Signed in as default (local) with an API key.\n");
  EXPECT_EQ(stored_secret("default"), "key-abc");
  EXPECT_EQ(aai({"transcripts", "list"}).exit_code, 0);
  EXPECT_EQ(browser_log(), "");
}

TEST_F(LoginTest, WithApiKeyRejectedStoresNothing) {
  start_emulator(accounts_with_tokens(json::array()));
  auto login = aai({"--env", "local", "login", "--with-api-key"}, "not-a-key\n");
  EXPECT_EQ(login.exit_code, 4);
  EXPECT_NE(login.err.find("Error: The API key was rejected by local (HTTP 401); nothing was "
                           "stored.\n"),
            std::string::npos)
      << login.err;
  EXPECT_EQ(stored_secret("default"), "");
  EXPECT_EQ(aai({"config", "get", "env"}).out, "unset\n");
}

TEST_F(LoginTest, WithApiKeyRejectsEmptyInput) {
  start_emulator(accounts_with_tokens(json::array()));
  auto login = aai({"--env", "local", "login", "--with-api-key"}, "");
  EXPECT_EQ(login.exit_code, 2);
  EXPECT_EQ(login.err.rfind("Error: --with-api-key read no key from stdin.\n", 0), 0u) << login.err;
  EXPECT_EQ(stored_secret("default"), "");
  EXPECT_EQ(aai({"config", "get", "env"}).out, "unset\n");
}

class AuthCommandTest : public LoginTest {
 protected:
  void SetUp() override {
    LoginTest::SetUp();
    start_emulator(accounts_with_tokens(json::array(
        {{{"id", 1}, {"name", "Server"}, {"is_disabled", false}, {"api_key", "key-abc"}}})));
    ASSERT_EQ(aai({"config", "set", "core.credential_provider", "auth-command"}).exit_code, 0);
  }

  RunResult with_command(const std::string& command, const std::vector<std::string>& args) {
    auto set = aai({"config", "set", "plugin.auth-command.command", command});
    EXPECT_EQ(set.exit_code, 0) << set.err;
    std::vector<std::string> full = {"--env", "local"};
    full.insert(full.end(), args.begin(), args.end());
    return aai(full);
  }
};

TEST_F(AuthCommandTest, SendsPrintedKey) {
  auto listed = with_command("printf key-abc", {"transcripts", "list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  auto json_key = with_command(R"(printf '{"api_key": "key-abc"}')", {"transcripts", "list"});
  EXPECT_EQ(json_key.exit_code, 0) << json_key.err;
}

TEST_F(AuthCommandTest, FailingCommandIsExitFour) {
  auto listed = with_command("exit 3", {"transcripts", "list"});
  EXPECT_EQ(listed.exit_code, 4);
  EXPECT_NE(listed.err.find("Error: The credential command 'exit 3' failed with exit status 3.\n"),
            std::string::npos)
      << listed.err;
}

TEST_F(AuthCommandTest, GarbageOutputIsNotEchoed) {
  auto listed = with_command("echo two words", {"transcripts", "list"});
  EXPECT_EQ(listed.exit_code, 4);
  EXPECT_NE(listed.err.find("Error: The credential command 'echo two words' printed something "
                            "that is neither a key nor {\"api_key\": ...}.\n"),
            std::string::npos)
      << listed.err;
}

TEST_F(AuthCommandTest, RejectedKeyIsExitFour) {
  auto listed = with_command("printf wrong-key", {"transcripts", "list"});
  EXPECT_EQ(listed.exit_code, 4);
  EXPECT_EQ(listed.err,
            "Error: Your API key was rejected.\n"
            "Suggestion: Check the key, or run `aai login` to get a new one.\n");
}

// The Secret Service path: a real gnome-keyring-daemon on a private D-Bus session per run.
class KeyringLoginTest : public LoginTest {
 protected:
  void SetUp() override {
    if (system("command -v dbus-run-session >/dev/null && "
               "command -v gnome-keyring-daemon >/dev/null") != 0) {
      GTEST_SKIP() << "dbus-run-session or gnome-keyring-daemon is not installed "
                      "(scripts/install-deps.sh installs them)";
    }
    LoginTest::SetUp();
    // Each run gets its own session bus and keyring daemon. The keyring file itself lives in the
    // sandbox's XDG_DATA_HOME, so what one run stores the next one reads.
    wrapper_ = data_.write("with-keyring.sh", R"(#!/bin/sh
exec dbus-run-session -- sh -c '
  printf test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$0" "$@"' ")" + (build_dir() / "bin/aai").string() +
                                                  R"(" "$@" 2>&1
)");
    std::filesystem::permissions(wrapper_, std::filesystem::perms::owner_all);
  }

  RunResult keyring_aai(const std::vector<std::string>& args) {
    return sandbox_.run(args, {}, wrapper_);
  }

  std::filesystem::path wrapper_;
};

TEST_F(KeyringLoginTest, StoresKeyInSecretService) {
  start_emulator(accounts_with_tokens(json::array()));
  auto login = keyring_aai({"--env", "local", "login", "--timeout", kLoginTimeout});
  ASSERT_EQ(login.exit_code, 0) << login.out;
  EXPECT_NE(login.out.find("Signed in as default (local)."), std::string::npos) << login.out;
  EXPECT_FALSE(std::filesystem::exists(secrets_file()));

  auto whoami = keyring_aai({"--json", "whoami"});
  ASSERT_EQ(whoami.exit_code, 0) << whoami.out;
  EXPECT_NE(whoami.out.find("Secret Service"), std::string::npos) << whoami.out;

  EXPECT_EQ(keyring_aai({"transcripts", "list"}).exit_code, 0);
  EXPECT_EQ(keyring_aai({"logout"}).exit_code, 0);
  EXPECT_EQ(keyring_aai({"transcripts", "list"}).exit_code, 4);
}

}  // namespace
}  // namespace aai::testing
