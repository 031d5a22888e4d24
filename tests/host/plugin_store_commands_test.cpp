// The plugins install, remove, verify and list commands as a user runs them: output, JSON and
// exit codes.
#include "installed_plugins.hpp"
#include "plugin_loader.hpp"
#include "sha256.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::fixture;
using testing::TestApplication;

// What one `aai` run printed and returned.
struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class PluginCommandsTest : public ::testing::Test {
 protected:
  CommandRun run(const std::vector<std::string>& words) {
    TestApplication test(words);
    PluginLoadRules rules;
    rules.policy = read_plugin_policy(policy_file());
    rules.builtin_folder = dir_.path() / "lib" / "aai" / "plugins";
    rules.user_folder = user();
    load_plugins(test.app(), {rules.builtin_folder, rules.user_folder}, rules);
    CommandRun result;
    result.exit_code = test.run();
    result.out = test.out();
    result.err = test.err();
    return result;
  }

  fs::path user() const { return dir_.path() / "data" / "aai" / "plugins"; }
  fs::path policy_file() const { return dir_.path() / "plugins.ini"; }

  testing::TempDir dir_;
};

TEST_F(PluginCommandsTest, InstallPrintsWhatItInstalled) {
  std::string source = fixture("fixture_store_v1.so").string();
  std::string file = (user() / "fixture-store.so").string();

  CommandRun text = run({"plugins", "install", source});
  CommandRun json = run({"plugins", "install", "--force", source, "--json"});

  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out, "Installed fixture-store 1.0.0 (commands: store-hello) into " + file + ".\n");
  EXPECT_EQ(text.err, "");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(json.out, "{\"name\":\"fixture-store\",\"version\":\"1.0.0\",\"file\":\"" + file +
                          "\",\"sha256\":\"" + sha256_file_hex(source) +
                          "\",\"commands\":[\"store-hello\"]}\n");
}

TEST_F(PluginCommandsTest, InstallErrorsAreReported) {
  CommandRun missing = run({"plugins", "install", "nowhere.so"});
  CommandRun no_path = run({"plugins", "install"});

  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err,
            "Error: Plugin file not found: nowhere.so.\nSuggestion: Check the path; pass the .so "
            "file that the plugin's build wrote.\n");
  EXPECT_EQ(no_path.exit_code, 2);
  EXPECT_TRUE(no_path.err.starts_with("Error: ")) << no_path.err;
}

TEST_F(PluginCommandsTest, RemovePrintsWhatItRemoved) {
  std::string source = fixture("fixture_store_v1.so").string();
  std::string file = (user() / "fixture-store.so").string();
  run({"plugins", "install", source});

  CommandRun text = run({"plugins", "remove", "fixture-store"});
  run({"plugins", "install", source});
  CommandRun json = run({"-j", "plugins", "remove", "fixture-store"});

  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out, "Removed fixture-store 1.0.0 from " + file + ".\n");
  EXPECT_EQ(json.out,
            "{\"name\":\"fixture-store\",\"version\":\"1.0.0\",\"file\":\"" + file + "\"}\n");
}

TEST_F(PluginCommandsTest, VerifyPrintsEachPluginAndFailsOnChange) {
  std::string v1 = fixture("fixture_store_v1.so").string();
  std::string other = fixture("fixture_store_other.so").string();
  run({"plugins", "install", v1});
  run({"plugins", "install", other});
  CommandRun clean = run({"plugins", "verify"});
  std::string recorded = sha256_file_hex(other);
  // A new file in place of the old one: writing into the old file would change the copy that
  // this test process loaded when it installed the plugin.
  fs::remove(user() / "fixture-other.so");
  testing::write_text(user() / "fixture-other.so", "changed");
  fs::remove(user() / "fixture-store.so");

  CommandRun text = run({"plugins", "verify"});
  CommandRun json = run({"plugins", "verify", "--json"});

  std::string other_file = (user() / "fixture-other.so").string();
  std::string store_file = (user() / "fixture-store.so").string();
  EXPECT_EQ(clean.exit_code, 0);
  EXPECT_EQ(clean.out, "ok         fixture-other 1.0.0  " + other_file +
                           "\nok         fixture-store 1.0.0  " + store_file + "\n");
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_EQ(text.out, "changed    fixture-other 1.0.0  " + other_file + " (SHA-256 " +
                          recorded.substr(0, 12) + "... recorded, " +
                          sha256_hex("changed").substr(0, 12) +
                          "... now)\nmissing    fixture-store 1.0.0  " + store_file + "\n");
  std::string skipped = "Warning: skipped plugin " + other_file +
                        ": it changed since it was installed (SHA-256 " + recorded.substr(0, 12) +
                        "... recorded, " + sha256_hex("changed").substr(0, 12) +
                        "... now); reinstall it with `aai plugins install --force " + other +
                        "` or remove it with `aai plugins remove fixture-other`\n";
  EXPECT_EQ(text.err, skipped +
                          "Error: Installed plugins that no longer match their record: "
                          "fixture-other, fixture-store.\nSuggestion: Reinstall fixture-other "
                          "with `aai plugins install --force " +
                          other +
                          "`, or remove it with `aai plugins remove fixture-other`. Reinstall "
                          "fixture-store with `aai plugins install --force " +
                          v1 + "`, or remove it with `aai plugins remove fixture-store`.\n");
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.out,
            "[{\"name\":\"fixture-other\",\"version\":\"1.0.0\",\"status\":\"changed\","
            "\"file\":\"" +
                other_file + "\",\"source\":\"" + other + "\",\"recorded_sha256\":\"" + recorded +
                "\",\"sha256\":\"" + sha256_hex("changed") +
                "\",\"problem\":null},{\"name\":\"fixture-store\",\"version\":\"1.0.0\","
                "\"status\":\"missing\",\"file\":\"" +
                store_file + "\",\"source\":\"" + v1 + "\",\"recorded_sha256\":\"" +
                sha256_file_hex(v1) + "\",\"sha256\":null,\"problem\":null}]\n");
}

TEST_F(PluginCommandsTest, VerifyWithNothingInstalled) {
  CommandRun text = run({"plugins", "verify"});
  CommandRun json = run({"plugins", "verify", "-j"});

  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out, "No plugins are installed with `aai plugins install`.\n");
  EXPECT_EQ(json.out, "[]\n");
}

TEST_F(PluginCommandsTest, ListShowsPolicyInForce) {
  testing::write_text(policy_file(),
                      "[policy]\nset_by = IT Operations <it@example.com>\n"
                      "allow = transcribe, streaming\nallow_sha256 = " +
                          std::string(64, 'a') + "\n");

  CommandRun text = run({"plugins", "list"});
  CommandRun json = run({"plugins", "list", "--json"});

  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out, "No plugins loaded.\n\nPlugin policy: " + policy_file().string() +
                          ", set by IT Operations <it@example.com>\n"
                          "  allow: transcribe, streaming\n  allow_sha256: " +
                          std::string(64, 'a') + "\n");
  EXPECT_EQ(json.out, "{\"plugins\":[],\"skipped\":[],\"policy\":{\"file\":\"" +
                          policy_file().string() +
                          "\",\"set_by\":\"IT Operations <it@example.com>\",\"allow\":["
                          "\"transcribe\",\"streaming\"],\"allow_sha256\":[\"" +
                          std::string(64, 'a') + "\"]}}\n");
}

TEST_F(PluginCommandsTest, ListShowsInvalidPolicy) {
  testing::write_text(policy_file(), "[policy]\nallow = transcribe\nallow = Bad\n");

  CommandRun text = run({"plugins", "list"});
  CommandRun json = run({"plugins", "list", "--json"});

  std::string problem =
      "line 3: invalid plugin name 'Bad' in allow: use lower-case letters, digits and '-'";
  std::string builtin = (dir_.path() / "lib" / "aai" / "plugins").string();
  EXPECT_EQ(text.out, "No plugins loaded.\n\nPlugin policy: " + policy_file().string() +
                          " is invalid (" + problem + "); only the plugins in " + builtin +
                          " load\n");
  EXPECT_EQ(text.err, "Warning: the plugin policy " + policy_file().string() + " is invalid (" +
                          problem + "); until it is fixed, only the plugins in " + builtin +
                          " load\n");
  EXPECT_EQ(json.out, "{\"plugins\":[],\"skipped\":[],\"policy\":{\"file\":\"" +
                          policy_file().string() + "\",\"error\":\"" + problem + "\"}}\n");
}

TEST_F(PluginCommandsTest, ListWithoutPolicyFileLeavesItOut) {
  CommandRun text = run({"plugins", "list"});
  CommandRun json = run({"plugins", "list", "--json"});

  EXPECT_EQ(text.out, "No plugins loaded.\n");
  EXPECT_EQ(json.out, "{\"plugins\":[],\"skipped\":[]}\n");
}

}  // namespace
}  // namespace aai::host
