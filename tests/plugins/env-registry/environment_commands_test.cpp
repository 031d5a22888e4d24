// `env add`, `env remove` and `env use` through the plugin's real registration. The fake host's
// user folder is /fake/environments.d, so these tests cover everything up to writing a file;
// the integration tests write real files.
#include <aai/plugin.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_host.hpp"

using aai::testing::FakeHost;
using aai::testing::FakeInvocation;
using aai::testing::FakeRegistrar;

namespace {

using Options = std::map<std::string, std::vector<std::string>>;

class EnvironmentCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("AAI_SYSTEM_CONFIG_DIR", "/nonexistent/aai-test-etc", 1);
    ::unsetenv("AAI_ENV");
    ASSERT_EQ(registrar_.register_plugin(aai_plugin_entry(), host_), AAI_STATUS_OK);
    host_.environments = registrar_.environments;
    host_.add_environment("local", "http://127.0.0.1:8765");
  }
  void TearDown() override {
    ::unsetenv("AAI_SYSTEM_CONFIG_DIR");
    ::unsetenv("AAI_ENV");
  }

  // Runs `aai env COMMAND` and returns its exit code.
  int run(const std::string& command, Options options, std::vector<std::string> arguments) {
    invocation_ = std::make_unique<FakeInvocation>(std::move(options), std::move(arguments));
    return invocation_->run(registrar_.command("env " + command), host_);
  }

  std::string message() const { return invocation_->failure ? invocation_->failure->message : ""; }
  std::string suggestion() const {
    return invocation_->failure ? invocation_->failure->suggestion : "";
  }
  std::string type() const { return invocation_->failure ? invocation_->failure->type : ""; }

  FakeHost host_;
  FakeRegistrar registrar_;
  std::unique_ptr<FakeInvocation> invocation_;
};

TEST_F(EnvironmentCommandsTest, AddRejectsInvalidName) {
  EXPECT_EQ(run("add", {{"api-base", {"https://api.acme.example"}}}, {"Acme"}), 2);
  EXPECT_EQ(type(), "usage_error");
  EXPECT_EQ(message(),
            "Invalid environment name 'Acme': the name must contain only lower-case letters, "
            "digits and '-', and must not start with '-'.");
  EXPECT_EQ(suggestion(), "Rename it, such as 'acme' or 'acme-eu'.");
}

TEST_F(EnvironmentCommandsTest, AddNeedsApiBase) {
  EXPECT_EQ(run("add", {{"streaming-base", {"wss://s.acme.example"}}}, {"acme"}), 2);
  EXPECT_EQ(message(), "`aai env add` needs --api-base URL.");
  EXPECT_EQ(suggestion(),
            "Give the REST API's base URL, such as --api-base https://api.acme.example.");
}

TEST_F(EnvironmentCommandsTest, AddChecksUrlsLikeFiles) {
  EXPECT_EQ(run("add", {{"api-base", {"http://api.acme.example"}}}, {"acme"}), 2);
  EXPECT_EQ(type(), "usage_error");
  EXPECT_EQ(message(),
            "Cannot add the environment 'acme': api_base 'http://api.acme.example' must use "
            "https (only loopback hosts may use http).");
  EXPECT_EQ(suggestion(),
            "Use https://, or a loopback host (127.0.0.0/8, [::1] or localhost) for a server on "
            "this machine.");

  EXPECT_EQ(run("add",
                {{"api-base", {"https://api.acme.example"}},
                 {"streaming-base", {"ws://streaming.acme.example"}}},
                {"acme"}),
            2);
  EXPECT_EQ(message(),
            "Cannot add the environment 'acme': streaming_base 'ws://streaming.acme.example' "
            "must use wss (only loopback hosts may use ws).");

  EXPECT_EQ(
      run("add", {{"api-base", {"https://api.acme.example"}}, {"set", {"events_base=ftp://x"}}},
          {"acme"}),
      2);
  EXPECT_EQ(message(),
            "Cannot add the environment 'acme': events_base 'ftp://x' must use https or wss "
            "(only loopback hosts may use http or ws).");
}

TEST_F(EnvironmentCommandsTest, AddRejectsUnsetVariable) {
  ::unsetenv("AAI_TEST_UNSET_HOST");

  EXPECT_EQ(run("add", {{"api-base", {"https://${AAI_TEST_UNSET_HOST}"}}}, {"acme"}), 2);
  EXPECT_EQ(message(),
            "Cannot add the environment 'acme': api_base refers to ${AAI_TEST_UNSET_HOST}, which "
            "is not set.");
}

TEST_F(EnvironmentCommandsTest, AddRejectsBadSettings) {
  struct Case {
    std::vector<std::string> settings;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"region"}, "Invalid --set 'region': expected KEY=VALUE."},
      {{"Region=eu"},
       "Invalid --set 'Region=eu': the key 'Region' must start with a lower-case letter and "
       "contain only lower-case letters, digits and '_'."},
      {{"=eu"},
       "Invalid --set '=eu': the key '' must start with a lower-case letter and contain only "
       "lower-case letters, digits and '_'."},
      {{"summary=ACME"}, "--set cannot set 'summary'."},
      {{"api_base=https://x.example"}, "--set cannot set 'api_base'."},
      {{"region=eu", "region=us"}, "--set sets 'region' twice."},
      {{"region= eu"},
       "Invalid --set region ' eu': a value cannot start or end with a space or tab, because INI "
       "drops them."},
  };
  for (const auto& test_case : cases) {
    EXPECT_EQ(run("add", {{"api-base", {"https://api.acme.example"}}, {"set", test_case.settings}},
                  {"acme"}),
              2);
    EXPECT_EQ(type(), "usage_error");
    EXPECT_EQ(message(), test_case.message);
  }
}

TEST_F(EnvironmentCommandsTest, AddRejectsSummaryInihWouldChange) {
  EXPECT_EQ(run("add", {{"api-base", {"https://api.acme.example"}}, {"summary", {"ACME ; EU"}}},
                {"acme"}),
            2);
  EXPECT_EQ(message(),
            "Invalid --summary 'ACME ; EU': a value cannot contain ';' after a space or tab, "
            "because inih reads the rest as a comment.");
}

TEST_F(EnvironmentCommandsTest, AddRejectsNameOfAnotherPlugin) {
  EXPECT_EQ(run("add", {{"api-base", {"https://api.acme.example"}}}, {"local"}), 2);
  EXPECT_EQ(message(),
            "The environment 'local' comes from the plugin test, which takes precedence over "
            "environment files, so a file for it would have no effect.");
  EXPECT_EQ(suggestion(), "Pick another name.");
}

TEST_F(EnvironmentCommandsTest, RemoveRejectsInvalidName) {
  EXPECT_EQ(run("remove", {}, {"../config"}), 2);
  EXPECT_EQ(message(),
            "Invalid environment name '../config': the name must contain only lower-case "
            "letters, digits and '-', and must not start with '-'.");
}

TEST_F(EnvironmentCommandsTest, RemoveRejectsUnknownName) {
  EXPECT_EQ(run("remove", {}, {"staging"}), 2);
  EXPECT_EQ(type(), "invalid_environment");
  EXPECT_EQ(message(),
            "Unknown environment 'staging'. Known environments: production, sandbox000, "
            "compiled-acme, local.");
}

TEST_F(EnvironmentCommandsTest, UseRejectsUnknownName) {
  EXPECT_EQ(run("use", {}, {"staging"}), 2);
  EXPECT_EQ(type(), "invalid_environment");
  EXPECT_EQ(message(),
            "Unknown environment 'staging'. Known environments: production, sandbox000, "
            "compiled-acme, local.");
  EXPECT_EQ(host_.config.count({"profile.default", "env"}), 0u);
}

TEST_F(EnvironmentCommandsTest, UseBindsTheProfile) {
  EXPECT_EQ(run("use", {}, {"compiled-acme"}), 0);

  EXPECT_EQ((host_.config[{"profile.default", "env"}]), "compiled-acme");
  EXPECT_EQ(host_.stdout_text, "Profile 'default' now uses the environment 'compiled-acme'.\n");
  EXPECT_TRUE(host_.messages.empty());
}

TEST_F(EnvironmentCommandsTest, UsePrintsJson) {
  host_.json = true;

  EXPECT_EQ(run("use", {}, {"local"}), 0);

  EXPECT_EQ(host_.stdout_text, "{\"profile\":\"default\",\"env\":\"local\"}\n");
}

TEST_F(EnvironmentCommandsTest, UseNotesThatAaiEnvWins) {
  ::setenv("AAI_ENV", "local", 1);

  EXPECT_EQ(run("use", {}, {"compiled-acme"}), 0);

  ASSERT_EQ(host_.messages.size(), 1u);
  EXPECT_EQ(host_.messages[0].second,
            "AAI_ENV is set to 'local', which takes precedence over the profile's environment.");
}

TEST_F(EnvironmentCommandsTest, UseKeepsSignedInProfileHome) {
  host_.stored_secrets[{"assemblyai-cli", "default"}] = "production-key";
  host_.config[{"profile.default", "env"}] = "production";

  EXPECT_EQ(run("use", {}, {"compiled-acme"}), 2);

  EXPECT_EQ(type(), "usage_error");
  EXPECT_EQ(message(),
            "Profile 'default' is signed in to 'production', so binding it to 'compiled-acme' "
            "would send that key to 'compiled-acme'.");
  EXPECT_EQ(suggestion(),
            "Sign in there with `aai --env compiled-acme login`, run `aai logout` first, or use "
            "another profile: `aai -p compiled-acme env use compiled-acme`.");
  EXPECT_EQ((host_.config[{"profile.default", "env"}]), "production");
}

TEST_F(EnvironmentCommandsTest, UseRejectsKeyWithoutEnvironment) {
  host_.stored_secrets[{"assemblyai-cli", "default"}] = "some-key";

  EXPECT_EQ(run("use", {}, {"local"}), 2);

  EXPECT_EQ(message(),
            "Profile 'default' has a stored API key but no recorded environment, so binding it "
            "to 'local' could send that key to 'local'.");
  EXPECT_EQ(host_.config.count({"profile.default", "env"}), 0u);
}

TEST_F(EnvironmentCommandsTest, UseAllowsTheEnvironmentTheKeyBelongsTo) {
  host_.stored_secrets[{"assemblyai-cli", "default"}] = "local-key";
  host_.config[{"profile.default", "env"}] = "local";

  EXPECT_EQ(run("use", {}, {"local"}), 0);
  EXPECT_EQ((host_.config[{"profile.default", "env"}]), "local");
}

TEST_F(EnvironmentCommandsTest, UseReportsUnwritableConfig) {
  host_.failing_config_key = std::make_pair(std::string("profile.default"), std::string("env"));

  EXPECT_EQ(run("use", {}, {"local"}), 1);
  EXPECT_EQ(type(), "config_error");
  EXPECT_EQ(message(), "Could not write the config file /fake/config.ini.");
}

}  // namespace
