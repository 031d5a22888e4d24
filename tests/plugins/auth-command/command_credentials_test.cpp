#include "command_credentials.hpp"

#include <aai/plugin.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "fake_host.hpp"

using aai::testing::FakeHost;
using aai::testing::FakeRegistrar;
using aai::testing::FakeRequestEditor;
using auth_command::CommandCredentials;

namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

constexpr const char* kApiUrl = "https://api.assemblyai.com/v2/transcript";
constexpr auto kNow = std::chrono::sys_days(std::chrono::year(2026) / 12 / 4) + 19h;

// A request editor with environment_field set, which FakeRequestEditor leaves NULL. The callbacks
// still record into the FakeRequestEditor.
class FieldEditor {
 public:
  FieldEditor(const std::string& url, std::optional<std::string> field,
              bool is_environment_host = true)
      : fake("GET", url, is_environment_host), field_(std::move(field)) {
    raw_ = *fake.raw();
    raw_.environment_field = field_ ? field_->c_str() : nullptr;
  }
  FieldEditor(const FieldEditor&) = delete;
  FieldEditor& operator=(const FieldEditor&) = delete;

  const aai_request_editor_t* raw() const { return &raw_; }
  aai::RequestEditor editor() const { return aai::RequestEditor(&raw_); }

  FakeRequestEditor fake;

 private:
  std::optional<std::string> field_;
  aai_request_editor_t raw_{};
};

class CommandCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("ASSEMBLYAI_API_KEY");
    host_.add_environment("production", "https://api.assemblyai.com");
    char pattern[] = "/tmp/aai-auth-command-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    folder_ = pattern;
  }
  void TearDown() override {
    unsetenv("ASSEMBLYAI_API_KEY");
    std::filesystem::remove_all(folder_);
  }

  void configure(const std::string& key, const std::string& value) {
    host_.config[{"plugin.auth-command", key}] = value;
  }

  // A command that appends a line to a file on every run, then prints `output` through printf,
  // where %s is the run number.
  std::string counting_command(const std::string& output) const {
    const std::string runs = (folder_ / "runs").string();
    return "echo run >> '" + runs + "'; printf '" + output + "' $(wc -l < '" + runs + "')";
  }

  int run_count() const {
    std::ifstream runs(folder_ / "runs");
    int lines = 0;
    for (std::string line; std::getline(runs, line);) {
      ++lines;
    }
    return lines;
  }

  // Sends one request to `field` and returns its Authorization header, or "" when none was set.
  std::string authorization_for(const std::string& field, const std::string& url = kApiUrl) {
    FieldEditor request(url, field);
    credentials_.attach(aai::Host(host_.raw()), request.editor());
    return request.fake.headers.count("Authorization") ? request.fake.headers["Authorization"] : "";
  }

  // Sends one api_base request and returns the error it raised. Fails the test when none did.
  aai::Error attach_error() {
    FieldEditor request(kApiUrl, "api_base");
    try {
      credentials_.attach(aai::Host(host_.raw()), request.editor());
    } catch (const aai::Error& error) {
      EXPECT_TRUE(request.fake.headers.empty());
      return error;
    }
    ADD_FAILURE() << "attach did not throw";
    return aai::Error(0, "", "");
  }

  FakeHost host_;
  std::filesystem::path folder_;
  system_clock::time_point now_ = kNow;
  CommandCredentials credentials_{[this] { return now_; }};
};

TEST_F(CommandCredentialsTest, SetsBareKeyFromCommand) {
  configure("command", "printf '  bare-key-1 \\n'");
  FieldEditor request(kApiUrl, "api_base");

  credentials_.attach(aai::Host(host_.raw()), request.editor());

  EXPECT_EQ(request.fake.headers["Authorization"], "bare-key-1");
  ASSERT_EQ(request.fake.credential_header_names.size(), 1u);
  EXPECT_EQ(request.fake.credential_header_names[0], "Authorization");
  ASSERT_FALSE(host_.secrets.empty());
  EXPECT_EQ(host_.secrets.front(), "bare-key-1");
}

TEST_F(CommandCredentialsTest, SetsKeyFromJsonOutput) {
  configure("command", "printf '{\"api_key\": \"json-key-1\"}\\n'");

  EXPECT_EQ(authorization_for("api_base"), "json-key-1");
  EXPECT_EQ(authorization_for("streaming_base"), "json-key-1");
}

TEST_F(CommandCredentialsTest, SendsBearerToLlmGateway) {
  configure("command", "echo gateway-key");

  EXPECT_EQ(authorization_for("llm_gateway_base", "https://llm-gateway.assemblyai.com/v1/chat"),
            "Bearer gateway-key");
}

TEST_F(CommandCredentialsTest, ReusesKeyForRestOfRun) {
  configure("command", counting_command("run-%s"));

  EXPECT_EQ(authorization_for("api_base"), "run-1");
  now_ += 24h * 365;
  EXPECT_EQ(authorization_for("api_base"), "run-1");
  EXPECT_EQ(run_count(), 1);
}

TEST_F(CommandCredentialsTest, ReusesKeyUntilShortlyBeforeExpiry) {
  configure("command", counting_command(
                           "{\"api_key\": \"run-%s\", \"expires_at\": \"2026-12-04T20:00:00Z\"}"));

  EXPECT_EQ(authorization_for("api_base"), "run-1");
  now_ = kNow + 59min + 29s;
  EXPECT_EQ(authorization_for("api_base"), "run-1");
  EXPECT_EQ(run_count(), 1);

  now_ = kNow + 59min + 30s;
  EXPECT_EQ(authorization_for("api_base"), "run-2");
  EXPECT_EQ(run_count(), 2);
}

TEST_F(CommandCredentialsTest, RunsAgainWhenKeyIsAlreadyExpired) {
  configure("command", counting_command(
                           "{\"api_key\": \"run-%s\", \"expires_at\": \"2026-12-04T18:00:00Z\"}"));

  EXPECT_EQ(authorization_for("api_base"), "run-1");
  EXPECT_EQ(authorization_for("api_base"), "run-2");
  EXPECT_EQ(run_count(), 2);
}

TEST_F(CommandCredentialsTest, RunsAgainWhenEnvironmentChanges) {
  host_.add_environment("local", "http://127.0.0.1:8765");
  configure("command", "echo run >> '" + (folder_ / "runs").string() +
                           "'; printf '%s-%s' \"$AAI_PROFILE\" \"$AAI_ENV\"");

  EXPECT_EQ(authorization_for("api_base"), "default-production");
  EXPECT_EQ(authorization_for("api_base"), "default-production");
  host_.active_environment = "local";
  EXPECT_EQ(authorization_for("api_base", "http://127.0.0.1:8765/v2/transcript"), "default-local");
  EXPECT_EQ(run_count(), 2);
}

TEST_F(CommandCredentialsTest, EnvironmentKeyWinsOverCommand) {
  setenv("ASSEMBLYAI_API_KEY", " \tenv-key\n", 1);
  configure("command", counting_command("run-%s"));

  EXPECT_EQ(authorization_for("api_base"), "env-key");
  EXPECT_EQ(authorization_for("llm_gateway_base"), "Bearer env-key");
  EXPECT_EQ(run_count(), 0);
}

TEST_F(CommandCredentialsTest, BlankEnvironmentKeyCountsAsUnset) {
  setenv("ASSEMBLYAI_API_KEY", "  \n", 1);
  configure("command", "echo command-key");

  EXPECT_EQ(authorization_for("api_base"), "command-key");
}

TEST_F(CommandCredentialsTest, AttachesNothingForFieldsWithoutKey) {
  configure("command", counting_command("run-%s"));

  EXPECT_EQ(authorization_for("ams_base", "https://ams.internal.assemblyai-labs.com/v2/x"), "");
  EXPECT_EQ(authorization_for("stytch_domain", "https://api.stytch.com/v1/x"), "");
  FieldEditor unknown(kApiUrl, std::nullopt);
  credentials_.attach(aai::Host(host_.raw()), unknown.editor());
  EXPECT_TRUE(unknown.fake.headers.empty());
  EXPECT_EQ(run_count(), 0);
}

TEST_F(CommandCredentialsTest, AttachesNothingToOtherHosts) {
  configure("command", counting_command("run-%s"));
  FieldEditor request("https://cdn.example.test/audio.mp3", "api_base", false);

  credentials_.attach(aai::Host(host_.raw()), request.editor());

  EXPECT_TRUE(request.fake.headers.empty());
  EXPECT_EQ(run_count(), 0);
}

TEST_F(CommandCredentialsTest, FailsWhenCommandIsUnset) {
  const aai::Error error = attach_error();

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_STREQ(error.what(), "No credential command is configured for auth-command.");
  EXPECT_EQ(error.suggestion(),
            "Set one with `aai config set plugin.auth-command.command 'COMMAND'`, or pick another "
            "provider with `aai config set core.credential_provider auth-stytch`.");
}

TEST_F(CommandCredentialsTest, FailsWhenCommandIsBlank) {
  configure("command", "   ");

  EXPECT_STREQ(attach_error().what(), "No credential command is configured for auth-command.");
}

TEST_F(CommandCredentialsTest, FailsWhenCommandFails) {
  configure("command", "echo secret-looking-output; exit 3");

  const aai::Error error = attach_error();

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_STREQ(error.what(),
               "The credential command 'echo secret-looking-output; exit 3' failed with exit "
               "status 3.");
  EXPECT_EQ(error.suggestion(), "Run it by hand to see its error output.");
}

TEST_F(CommandCredentialsTest, FailsWhenCommandIsNotFound) {
  configure("command", "aai-no-such-credential-helper 2>/dev/null");

  const aai::Error error = attach_error();

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_STREQ(error.what(),
               "The credential command 'aai-no-such-credential-helper 2>/dev/null' was not found "
               "(exit status 127).");
  EXPECT_EQ(error.suggestion(),
            "Check the program name and PATH, or set the full path with "
            "`aai config set plugin.auth-command.command 'COMMAND'`.");
}

TEST_F(CommandCredentialsTest, FailsWhenCommandIsKilled) {
  configure("command", "kill -KILL $$");

  const aai::Error error = attach_error();

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_STREQ(error.what(), "The credential command 'kill -KILL $$' was killed by signal 9.");
  EXPECT_EQ(error.suggestion(), "Run it by hand to see its error output.");
}

TEST_F(CommandCredentialsTest, FailsWhenCommandTimesOut) {
  configure("command", "sleep 20");
  configure("timeout", "0.2");

  const auto started = std::chrono::steady_clock::now();
  const aai::Error error = attach_error();

  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_STREQ(error.what(), "The credential command 'sleep 20' timed out after 0.2 s.");
  EXPECT_EQ(error.suggestion(),
            "Run it by hand to see whether it waits for input, or raise the limit with "
            "`aai config set plugin.auth-command.timeout SECONDS`.");
}

TEST_F(CommandCredentialsTest, RejectsInvalidTimeout) {
  configure("command", "echo key");
  for (const char* value : {"abc", "0", "-1", "3601", "nan", "inf", "", "5s"}) {
    configure("timeout", value);

    const aai::Error error = attach_error();

    EXPECT_EQ(error.exit_code(), 2) << value;
    EXPECT_EQ(error.type(), "invalid_config") << value;
    EXPECT_EQ(std::string(error.what()),
              std::string("Invalid value '") + value +
                  "' for plugin.auth-command.timeout: expected seconds greater than 0 and at "
                  "most 3600.");
    EXPECT_EQ(error.suggestion(), "Fix it with `aai config set plugin.auth-command.timeout 30`.");
  }
}

TEST_F(CommandCredentialsTest, FailsOnGarbageOutput) {
  for (const char* command : {"echo two secret words", "echo '{\"key\": \"hidden\"}'", "true"}) {
    configure("command", command);

    const aai::Error error = attach_error();

    EXPECT_EQ(error.exit_code(), 4) << command;
    EXPECT_EQ(error.type(), "not_authenticated") << command;
    EXPECT_EQ(std::string(error.what()),
              std::string("The credential command '") + command +
                  "' printed something that is neither a key nor {\"api_key\": ...}.");
    EXPECT_EQ(error.suggestion(),
              "Make it print the key alone on one line, or JSON with an api_key field.");
  }
}

TEST_F(CommandCredentialsTest, FailsOnOversizedOutput) {
  configure("command", "head -c 70000 /dev/zero | tr '\\0' k");

  const aai::Error error = attach_error();

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_STREQ(error.what(),
               "The credential command 'head -c 70000 /dev/zero | tr '\\0' k' printed more than "
               "64 KiB.");
  EXPECT_EQ(error.suggestion(),
            "Make it print the key alone on one line, or JSON with an api_key field.");
}

TEST_F(CommandCredentialsTest, FailsOnInvalidExpiry) {
  configure("command", "echo '{\"api_key\": \"k\", \"expires_at\": \"soon\"}'");

  const aai::Error error = attach_error();

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_STREQ(error.what(),
               "The credential command 'echo '{\"api_key\": \"k\", \"expires_at\": \"soon\"}'' "
               "printed an expires_at that is not an RFC 3339 time.");
  EXPECT_EQ(error.suggestion(),
            "Print it like 2026-12-04T20:00:00Z, or with an offset like "
            "2026-12-04T21:00:00+01:00.");
}

TEST_F(CommandCredentialsTest, StopsCommandWhenInterrupted) {
  configure("command", "sleep 20");
  host_.interrupt_on_check = 2;

  const aai::Error error = attach_error();

  EXPECT_EQ(error.exit_code(), 130);
  EXPECT_EQ(error.type(), "interrupted");
  EXPECT_STREQ(error.what(), "Interrupted while running the credential command 'sleep 20'.");
}

TEST_F(CommandCredentialsTest, NeverLogsKey) {
  // The key is assembled by printf so that the logged command line does not contain it.
  configure("command", "printf 'logged-%s-%s' key 1");
  host_.verbosity = 2;

  EXPECT_EQ(authorization_for("api_base"), "logged-key-1");

  EXPECT_FALSE(host_.log_lines.empty());
  EXPECT_EQ(host_.joined_log().find("logged-key-1"), std::string::npos);
}

// Registers the plugin through its real descriptor and calls its provider as the host would.
class AuthCommandPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("ASSEMBLYAI_API_KEY");
    host_.add_environment("production", "https://api.assemblyai.com");
    host_.config[{"core", "credential_provider"}] = "auth-command";
    ASSERT_EQ(registrar_.register_plugin(aai_plugin_entry(), host_), AAI_STATUS_OK);
    ASSERT_EQ(registrar_.providers.size(), 1u);
  }

  FakeHost host_;
  FakeRegistrar registrar_;
};

TEST(AuthCommandRegistrationTest, OffersNoProviderUntilConfigured) {
  unsetenv("ASSEMBLYAI_API_KEY");
  FakeHost host;
  FakeRegistrar registrar;
  ASSERT_EQ(registrar.register_plugin(aai_plugin_entry(), host), AAI_STATUS_OK);
  EXPECT_TRUE(registrar.providers.empty());
}

TEST(AuthCommandRegistrationTest, OffersProviderOnceCommandIsSet) {
  unsetenv("ASSEMBLYAI_API_KEY");
  FakeHost host;
  host.config[{"plugin.auth-command", "command"}] = "printf key";
  FakeRegistrar registrar;
  ASSERT_EQ(registrar.register_plugin(aai_plugin_entry(), host), AAI_STATUS_OK);
  EXPECT_EQ(registrar.providers.size(), 1u);
}

TEST_F(AuthCommandPluginTest, RegistersCredentialsProvider) {
  EXPECT_EQ(registrar_.plugin_name, "auth-command");
  EXPECT_EQ(registrar_.providers[0].role, "aai.credentials");
  EXPECT_EQ(registrar_.providers[0].name, "auth-command");
  EXPECT_TRUE(registrar_.commands.empty());
}

TEST_F(AuthCommandPluginTest, ReportsFailureThroughEditor) {
  FieldEditor request(kApiUrl, "api_base");
  const auto& provider = registrar_.providers.front();

  EXPECT_EQ(provider.pre_request(provider.context, host_.raw(), request.raw()), AAI_STATUS_ERROR);

  ASSERT_TRUE(request.fake.failure.has_value());
  EXPECT_EQ(request.fake.failure->exit_code, 4);
  EXPECT_EQ(request.fake.failure->type, "not_authenticated");
  EXPECT_EQ(request.fake.failure->message, "No credential command is configured for auth-command.");
}

TEST_F(AuthCommandPluginTest, AttachesKeyThroughProvider) {
  host_.config[{"plugin.auth-command", "command"}] = "echo provider-key";
  FieldEditor request(kApiUrl, "api_base");
  const auto& provider = registrar_.providers.front();

  EXPECT_EQ(provider.pre_request(provider.context, host_.raw(), request.raw()), AAI_STATUS_OK);

  EXPECT_EQ(request.fake.headers["Authorization"], "provider-key");
}

}  // namespace
