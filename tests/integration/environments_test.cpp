// Environments from files and from `aai env add`, with the real binary. The tests cover the
// system folder (via AAI_SYSTEM_CONFIG_DIR) and the user's folder overriding the built-in table
// and each other, and the add/show/use/remove round trip. The enterprise build's tests run
// commands through its compiled-in default environment, which points at the emulator.
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aai_local/wer.hpp"
#include "harness.hpp"
#include "recordings.hpp"

namespace aai::testing {
namespace {

namespace fs = std::filesystem;
using aai::local::word_error_rate;

const fs::path kClip = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";
const std::string kClipText = "he was not an ill disposed young man";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

unsigned file_mode(const fs::path& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return info.st_mode & 07777;
}

// A sandbox whose system folder is its own, so the machine's /etc/aai never counts.
class EnvironmentFilesTest : public ::testing::Test {
 protected:
  void SetUp() override { sandbox_.set_env("AAI_SYSTEM_CONFIG_DIR", etc().string()); }

  fs::path etc() const { return sandbox_.home() / "etc"; }
  fs::path system_folder() const { return etc() / "aai" / "environments.d"; }
  fs::path user_folder() const { return sandbox_.home() / "config" / "aai" / "environments.d"; }

  static void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }

  nlohmann::json show(const std::string& name) {
    RunResult result = sandbox_.run({"--json", "env", "show", name});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? nlohmann::json::parse(result.out) : nlohmann::json::object();
  }

  Sandbox sandbox_;
};

TEST_F(EnvironmentFilesTest, SourcesOverrideInOrder) {
  write(system_folder() / "acme.ini",
        "[acme]\napi_base = https://system.acme.example\n"
        "[production]\nsummary = Proxy\napi_base = https://proxy.example\n");
  write(user_folder() / "mine.ini", "[acme]\napi_base = https://user.acme.example\n");

  nlohmann::json acme = show("acme");
  nlohmann::json production = show("production");
  nlohmann::json sandbox000 = show("sandbox000");

  EXPECT_EQ(acme["fields"]["api_base"], "https://user.acme.example");
  EXPECT_EQ(acme["origin"], (user_folder() / "mine.ini").string());
  EXPECT_EQ(acme["plugin"], "env-registry");
  EXPECT_EQ(production["fields"]["api_base"], "https://proxy.example");
  EXPECT_EQ(production["fields"].size(), 1u);
  EXPECT_EQ(production["summary"], "Proxy");
  EXPECT_EQ(production["origin"], (system_folder() / "acme.ini").string());
  EXPECT_EQ(sandbox000["origin"], "built-in");
}

TEST_F(EnvironmentFilesTest, VerboseRunLogsEachReplacement) {
  write(system_folder() / "acme.ini", "[acme]\napi_base = https://system.acme.example\n");
  write(user_folder() / "acme.ini", "[acme]\napi_base = https://user.acme.example\n");

  RunResult result = sandbox_.run({"-v", "env", "list"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "[env-registry] environment 'acme' from " +
                                       (user_folder() / "acme.ini").string() +
                                       " replaces the one from " +
                                       (system_folder() / "acme.ini").string() + "\n"))
      << result.err;
}

TEST_F(EnvironmentFilesTest, BadEntryIsSkippedWithWarning) {
  write(system_folder() / "acme.ini",
        "[acme]\nsummary = ACME\napi_base = http://api.acme.example\n"
        "[beta]\napi_base = https://beta.example\n");
  write(user_folder() / "gamma.ini", "[gamma]\napi_base = https://gamma.example\n");

  RunResult result = sandbox_.run({"--json", "env", "list"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "{\"warning\":\"skipped environment 'acme' in " +
                            (system_folder() / "acme.ini").string() +
                            " line 3: api_base 'http://api.acme.example' must use https (only "
                            "loopback hosts may use http)\"}\n");
  std::vector<std::string> names;
  for (const auto& environment : nlohmann::json::parse(result.out)) {
    names.push_back(environment["name"]);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"production", "sandbox000", "beta", "gamma", "local"}));
}

TEST_F(EnvironmentFilesTest, UnparsableFileIsSkippedWhole) {
  write(user_folder() / "broken.ini", "[acme]\napi_base = https://api.acme.example\nnot a key\n");

  RunResult result = sandbox_.run({"env", "show", "acme"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Warning: skipped " + (user_folder() / "broken.ini").string() +
                ": line 3 is not [name], key = value or a comment, so no environment from this "
                "file is used\n"
                "Error: Unknown environment 'acme'. Known environments: production, sandbox000, "
                "local.\n"
                "Suggestion: Run `aai env list` to see every environment and the plugin that adds "
                "it.\n");
}

TEST_F(EnvironmentFilesTest, PluginEnvironmentWinsOverFile) {
  write(user_folder() / "local.ini", "[local]\napi_base = https://not-the-emulator.example\n");

  nlohmann::json local = show("local");

  EXPECT_EQ(local["plugin"], "local");
  EXPECT_EQ(local["origin"], "plugin local");
  EXPECT_EQ(local["fields"]["api_base"], "http://127.0.0.1:8765");
}

TEST_F(EnvironmentFilesTest, AddShowUseRemoveRoundTrip) {
  const fs::path file = user_folder() / "acme.ini";

  RunResult added = sandbox_.run({"env", "add", "acme", "--api-base", "https://api.acme.example",
                                  "--streaming-base", "wss://streaming.acme.example", "--summary",
                                  "ACME's deployment", "--set", "region=eu"});

  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(added.out, "Added the environment 'acme' in " + file.string() + ".\n");
  EXPECT_EQ(added.err,
            "Use it with `aai --env acme COMMAND`, or bind this profile to it with `aai env use "
            "acme`.\n");
  EXPECT_EQ(read_text(file),
            "# Written by `aai env add`. Edit it, or delete it with `aai env remove acme`.\n"
            "[acme]\n"
            "summary = ACME's deployment\n"
            "api_base = https://api.acme.example\n"
            "streaming_base = wss://streaming.acme.example\n"
            "region = eu\n");
  EXPECT_EQ(file_mode(file), 0644u);
  EXPECT_EQ(file_mode(user_folder()), 0755u);

  nlohmann::json acme = show("acme");
  EXPECT_EQ(acme["origin"], file.string());
  EXPECT_EQ(acme["summary"], "ACME's deployment");
  EXPECT_EQ(acme["fields"]["region"], "eu");
  EXPECT_EQ(acme["active"], false);

  RunResult used = sandbox_.run({"env", "use", "acme"});
  ASSERT_EQ(used.exit_code, 0) << used.err;
  EXPECT_EQ(used.out, "Profile 'default' now uses the environment 'acme'.\n");
  EXPECT_TRUE(contains(read_text(sandbox_.config_file()), "[profile.default]\nenv = acme\n"))
      << read_text(sandbox_.config_file());

  RunResult active = sandbox_.run({"--json", "env", "show"});
  ASSERT_EQ(active.exit_code, 0) << active.err;
  nlohmann::json active_details = nlohmann::json::parse(active.out);
  EXPECT_EQ(active_details["name"], "acme");
  EXPECT_EQ(active_details["source"], "profile");

  RunResult again = sandbox_.run({"env", "add", "acme", "--api-base", "https://new.acme.example"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.err, "Error: The environment file " + file.string() +
                           " already exists.\nSuggestion: Pass --force to replace it, or remove "
                           "it first with `aai env remove acme`.\n");

  RunResult forced = sandbox_.run(
      {"--json", "env", "add", "acme", "--api-base", "https://new.acme.example", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.out,
            "{\"added\":\"acme\",\"file\":\"" + file.string() + "\",\"replaced\":true}\n");
  EXPECT_EQ(show("acme")["fields"]["api_base"], "https://new.acme.example");

  RunResult removed = sandbox_.run({"env", "remove", "acme"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, "Removed the environment 'acme' (" + file.string() + ").\n");
  EXPECT_EQ(removed.err,
            "Warning: Profile 'default' still uses 'acme', which no longer exists; pick another "
            "with `aai env use NAME`.\n");
  EXPECT_FALSE(fs::exists(file));

  RunResult gone = sandbox_.run({"env", "remove", "acme"});
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_EQ(gone.err,
            "Error: Unknown environment 'acme'. Known environments: production, sandbox000, "
            "local.\nSuggestion: Run `aai env list` to see every environment and the plugin that "
            "adds it.\n");
}

TEST_F(EnvironmentFilesTest, FailedAddWritesNothing) {
  RunResult result = sandbox_.run({"env", "add", "acme", "--api-base", "http://api.acme.example"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: Cannot add the environment 'acme': api_base 'http://api.acme.example' must "
            "use https (only loopback hosts may use http).\nSuggestion: Use https://, or a "
            "loopback host (127.0.0.0/8, [::1] or localhost) for a server on this machine.\n");
  EXPECT_FALSE(fs::exists(user_folder()));
}

TEST_F(EnvironmentFilesTest, OverridingBuiltInNeedsForce) {
  RunResult rejected =
      sandbox_.run({"env", "add", "production", "--api-base", "https://proxy.example"});

  EXPECT_EQ(rejected.exit_code, 2);
  EXPECT_EQ(rejected.err,
            "Error: The environment 'production' already exists (origin: built-in).\n"
            "Suggestion: Pass --force to override it with your own file, or pick another name.\n");

  RunResult forced =
      sandbox_.run({"env", "add", "production", "--api-base", "https://proxy.example", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(show("production")["origin"], (user_folder() / "production.ini").string());

  RunResult removed = sandbox_.run({"env", "remove", "production"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.err, "'production' now comes from built-in.\n");
  EXPECT_EQ(show("production")["fields"]["api_base"], "https://api.assemblyai.com");
}

TEST_F(EnvironmentFilesTest, AddRejectsNameALaterFileOverrides) {
  write(user_folder() / "zeta.ini", "[acme]\napi_base = https://zeta.acme.example\n");

  RunResult result =
      sandbox_.run({"env", "add", "acme", "--api-base", "https://api.acme.example", "--force"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "Error: The environment 'acme' is also defined in " +
                            (user_folder() / "zeta.ini").string() +
                            ", which is read after acme.ini and would override it.\n"
                            "Suggestion: Edit that file instead.\n");
}

TEST_F(EnvironmentFilesTest, RemoveExplainsWhereOthersComeFrom) {
  write(system_folder() / "acme.ini", "[acme]\napi_base = https://system.acme.example\n");
  struct Case {
    std::string name;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"production",
       "Error: Cannot remove the environment 'production': it is built in, and only "
       "environments added with `aai env add` can be removed.\nSuggestion: Use another "
       "environment with --env NAME or `aai env use NAME`.\n"},
      {"acme",
       "Error: Cannot remove the environment 'acme': it comes from " +
           (system_folder() / "acme.ini").string() +
           ", and only environments added with `aai env add` can be removed.\nSuggestion: Edit "
           "or delete " +
           (system_folder() / "acme.ini").string() + " yourself.\n"},
      {"local",
       "Error: Cannot remove the environment 'local': it comes from the plugin local, and only "
       "environments added with `aai env add` can be removed.\nSuggestion: Remove the plugin's "
       "file to drop it; `aai plugins list` shows where it is.\n"},
      {"Acme",
       "Error: Invalid environment name 'Acme': the name must contain only lower-case letters, "
       "digits and '-', and must not start with '-'.\nSuggestion: Rename it, such as 'acme' or "
       "'acme-eu'.\n"},
  };
  for (const auto& test_case : cases) {
    RunResult result = sandbox_.run({"env", "remove", test_case.name});

    EXPECT_EQ(result.exit_code, 2) << test_case.name;
    EXPECT_EQ(result.err, test_case.error);
  }
}

TEST_F(EnvironmentFilesTest, UseRejectsUnknownName) {
  RunResult result = sandbox_.run({"env", "use", "staging"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: Unknown environment 'staging'. Known environments: production, sandbox000, "
            "local.\nSuggestion: Run `aai env list` to see every environment and the plugin that "
            "adds it.\n");
  EXPECT_FALSE(fs::exists(sandbox_.config_file()));
}

TEST_F(EnvironmentFilesTest, TranscribesThroughAnAddedEnvironment) {
  TempDir data;
  Emulator emulator(data.path() / "emulator", "test-key");
  const std::string origin = "http://127.0.0.1:" + std::to_string(emulator.port());
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "test-key");

  RunResult added =
      sandbox_.run({"env", "add", "emulator", "--api-base", origin, "--streaming-base",
                    "ws://127.0.0.1:" + std::to_string(emulator.port())});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  RunResult result = sandbox_.run({"--env", "emulator", "transcribe", kClip.string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LE(word_error_rate(kClipText, result.out), kMaxClipWordErrorRate) << result.out;
}

// The enterprise build: PREFIX/bin/aai built with AAI_DEFAULT_ENV=acme, and env-registry with
// tests/integration/enterprise/acme.ini compiled in. acme reads the emulator's port from
// AAI_TEST_EMULATOR_PORT, so these runs reach the emulator without --env.
class EnterpriseBuildTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = std::make_unique<TempDir>();
    emulator_ = std::make_unique<Emulator>(data_->path() / "emulator", "test-key");
  }
  static void TearDownTestSuite() {
    emulator_.reset();
    data_.reset();
  }

  void SetUp() override {
    sandbox_.set_env("AAI_SYSTEM_CONFIG_DIR", (sandbox_.home() / "etc").string());
    sandbox_.set_env("AAI_TEST_EMULATOR_PORT", std::to_string(emulator_->port()));
    sandbox_.set_env("ASSEMBLYAI_API_KEY", "test-key");
  }

  static fs::path executable() {
    return build_dir() / "tests/integration/enterprise/prefix/bin/aai";
  }

  RunResult aai(const std::vector<std::string>& args, const std::string& input = {}) {
    return sandbox_.run(args, input, executable());
  }

  static inline std::unique_ptr<TempDir> data_;
  static inline std::unique_ptr<Emulator> emulator_;
  Sandbox sandbox_;
};

TEST_F(EnterpriseBuildTest, DefaultEnvironmentIsCompiledIn) {
  RunResult result = aai({"--json", "env", "show"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json details = nlohmann::json::parse(result.out);
  EXPECT_EQ(details["name"], "acme");
  EXPECT_EQ(details["source"], "default");
  EXPECT_EQ(details["origin"], "compiled in from acme.ini");
  EXPECT_EQ(details["fields"]["api_base"], "http://127.0.0.1:" + std::to_string(emulator_->port()));
  EXPECT_EQ(details["fields"]["region"], "test");
}

TEST_F(EnterpriseBuildTest, OtherEnvironmentsStaySelectable) {
  RunResult result = aai({"--json", "--env", "production", "env", "show"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nlohmann::json::parse(result.out)["name"], "production");
}

TEST_F(EnterpriseBuildTest, UnsetPortVariableSkipsTheEnvironment) {
  sandbox_.set_env("AAI_TEST_EMULATOR_PORT", std::nullopt);

  RunResult result = aai({"env", "show"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Warning: skipped environment 'acme' in acme.ini (compiled in) line 6: api_base "
            "refers to ${AAI_TEST_EMULATOR_PORT}, which is not set\n"
            "Error: Unknown environment 'acme'.\n"
            "Suggestion: Known environments: production, sandbox000, local. Run `aai env list` "
            "for details.\n");
}

TEST_F(EnterpriseBuildTest, TranscribesByDefault) {
  RunResult result = aai({"transcribe", kClip.string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LE(word_error_rate(kClipText, result.out), kMaxClipWordErrorRate) << result.out;
}

TEST_F(EnterpriseBuildTest, StreamsByDefault) {
  RunResult result = aai({"stream", kClip.string(), "-o", "text"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LE(word_error_rate(kClipText, result.out), kMaxClipWordErrorRate) << result.out;
}

TEST_F(EnterpriseBuildTest, AsksTheGatewayByDefault) {
  RunResult result =
      aai({"llm", "When is the budget review?"}, "The budget review moved to Tuesday at noon.\n");

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "Tuesday")) << result.out;
}

TEST_F(EnterpriseBuildTest, WrongKeyIsRejectedByTheEmulator) {
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "wrong-key");

  RunResult result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 4) << result.err;
}

}  // namespace
}  // namespace aai::testing
