// The real aai binary installing, checking and removing a real plugin, and an administrator's
// plugin policy read through AAI_SYSTEM_CONFIG_DIR.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "harness.hpp"

namespace aai::testing {
namespace {

namespace fs = std::filesystem;

// The first-party plugins, which a policy must list for them to load.
constexpr const char* kFirstPartyPlugins =
    "auth-command, auth-stytch, env-registry, llm-gateway, local, streaming, transcribe";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Returns the SHA-256 of `file` as computed by coreutils' sha256sum, an implementation
// independent of the one aai uses.
std::string sha256sum(const fs::path& file) {
  std::string command = "sha256sum '" + file.string() + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "could not run " << command;
    return "";
  }
  char digest[65] = {};
  size_t count = std::fread(digest, 1, 64, pipe);
  ::pclose(pipe);
  EXPECT_EQ(count, 64u) << command;
  return std::string(digest, count);
}

fs::path good_plugin() {
  return build_dir() / "tests/host/fixtures/fixture_good.so";
}

// A sandboxed user with its own system config folder, empty unless a test writes a policy.
class PluginStoreCliTest : public ::testing::Test {
 protected:
  PluginStoreCliTest() {
    sandbox_.set_env("AAI_SYSTEM_CONFIG_DIR", system_config_.path().string());
  }

  fs::path plugin_folder() const { return sandbox_.home() / "data/aai/plugins"; }
  fs::path installed_file() const { return plugin_folder() / "fixture-good.so"; }
  fs::path policy_file() const { return system_config_.path() / "plugins.ini"; }

  void write_policy(const std::string& text) const { system_config_.write("plugins.ini", text); }

  Sandbox sandbox_;
  TempDir system_config_;
};

TEST_F(PluginStoreCliTest, InstallRunTamperReinstallRemove) {
  std::string source = good_plugin().string();
  std::string file = installed_file().string();

  auto installed = sandbox_.run({"plugins", "install", source});
  auto help = sandbox_.run({"--help"});
  auto greeting = sandbox_.run({"greet", "ann"});

  ASSERT_EQ(installed.exit_code, 0) << installed.err;
  EXPECT_EQ(installed.out,
            "Installed fixture-good 1.2.3 (commands: greet, things list, things "
            "add, fail, where) into " +
                file + ".\n");
  EXPECT_EQ(installed.err, "");
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0644u);
  ASSERT_EQ(::stat(plugin_folder().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0755u);
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_TRUE(contains(help.out, "(plugin fixture-good):\n")) << help.out;
  EXPECT_TRUE(contains(help.out, "  greet ")) << help.out;
  EXPECT_EQ(greeting.exit_code, 0) << greeting.err;
  EXPECT_EQ(greeting.out, "hello ann count=1 format=text\n");

  // Appending keeps the file a valid ELF library, so only the digest can tell.
  std::string recorded = sha256sum(installed_file());
  std::ofstream(installed_file(), std::ios::binary | std::ios::app) << "tampered";
  std::string now = sha256sum(installed_file());
  auto rejected = sandbox_.run({"greet", "ann"});
  auto verified = sandbox_.run({"plugins", "verify"});

  std::string skipped = "Warning: skipped plugin " + file +
                        ": it changed since it was installed (SHA-256 " + recorded.substr(0, 12) +
                        "... recorded, " + now.substr(0, 12) +
                        "... now); reinstall it with `aai plugins install --force " + source +
                        "` or remove it with `aai plugins remove fixture-good`\n";
  std::string reason = skipped.substr(("Warning: skipped plugin " + file + ": ").size());
  reason.pop_back();
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_EQ(rejected.err, skipped + "Error: The command 'greet' comes from the plugin " + file +
                              ", which was skipped: " + reason +
                              ".\nSuggestion: Fix the plugin file as the reason says; `aai "
                              "plugins list` shows every skipped file.\n");
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_EQ(verified.out, "changed    fixture-good 1.2.3  " + file + " (SHA-256 " +
                              recorded.substr(0, 12) + "... recorded, " + now.substr(0, 12) +
                              "... now)\n");
  EXPECT_EQ(verified.err, skipped +
                              "Error: Installed plugins that no longer match their record: "
                              "fixture-good.\nSuggestion: Reinstall fixture-good with `aai "
                              "plugins install --force " +
                              source + "`, or remove it with `aai plugins remove fixture-good`.\n");

  auto without_force = sandbox_.run({"plugins", "install", source});
  auto reinstalled = sandbox_.run({"plugins", "install", "--force", source});
  auto greeting_again = sandbox_.run({"greet", "bob"});
  auto verified_again = sandbox_.run({"plugins", "verify"});

  EXPECT_EQ(without_force.exit_code, 1);
  EXPECT_EQ(without_force.err,
            skipped + "Error: The plugin 'fixture-good' 1.2.3 is already installed, and " + source +
                " is version 1.2.3.\nSuggestion: Run `aai plugins install --force " + source +
                "` to replace it with 1.2.3.\n");
  EXPECT_EQ(reinstalled.exit_code, 0) << reinstalled.err;
  EXPECT_EQ(greeting_again.out, "hello bob count=1 format=text\n");
  EXPECT_EQ(verified_again.exit_code, 0);
  EXPECT_EQ(verified_again.out, "ok         fixture-good 1.2.3  " + file + "\n");

  auto removed = sandbox_.run({"plugins", "remove", "fixture-good"});
  auto gone = sandbox_.run({"greet", "ann"});

  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, "Removed fixture-good 1.2.3 from " + file + ".\n");
  EXPECT_FALSE(fs::exists(installed_file()));
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_EQ(gone.err,
            "Error: Unknown command 'greet'.\nSuggestion: Run `aai --help` to list the "
            "commands.\n");
}

TEST_F(PluginStoreCliTest, InstallJsonOutput) {
  auto installed = sandbox_.run({"plugins", "install", good_plugin().string(), "--json"});

  EXPECT_EQ(installed.exit_code, 0) << installed.err;
  EXPECT_EQ(installed.out, "{\"name\":\"fixture-good\",\"version\":\"1.2.3\",\"file\":\"" +
                               installed_file().string() + "\",\"sha256\":\"" +
                               sha256sum(good_plugin()) +
                               "\",\"commands\":[\"greet\",\"things list\",\"things add\","
                               "\"fail\",\"where\"]}\n");
}

TEST_F(PluginStoreCliTest, BadInputsGetExactMessages) {
  TempDir files;
  auto junk = files.write("junk.so", "not a library\n");

  auto missing = sandbox_.run({"plugins", "install", "/nonexistent/hello.so"});
  auto not_elf = sandbox_.run({"plugins", "install", junk.string()});
  auto unknown = sandbox_.run({"plugins", "remove", "hello"});
  auto first_party = sandbox_.run({"plugins", "remove", "transcribe"});

  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err,
            "Error: Plugin file not found: /nonexistent/hello.so.\nSuggestion: Check the path; "
            "pass the .so file that the plugin's build wrote.\n");
  EXPECT_EQ(not_elf.exit_code, 2);
  EXPECT_EQ(not_elf.err, "Error: Cannot install " + junk.string() +
                             ": not an ELF shared library.\nSuggestion: Pass the .so file that "
                             "the plugin's build wrote.\n");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "Error: Unknown plugin 'hello'.\nSuggestion: No plugins are installed with `aai "
            "plugins install`.\n");
  EXPECT_EQ(first_party.exit_code, 2);
  EXPECT_EQ(first_party.err,
            "Error: The plugin 'transcribe' is loaded from " +
                (build_dir() / "lib/aai/plugins/transcribe.so").string() +
                ", which `aai plugins install` did not write; only plugins installed with `aai "
                "plugins install` can be removed.\nSuggestion: It comes with aai; an "
                "administrator can keep it from loading with the plugin policy (see "
                "docs/plugins.md).\n");
  EXPECT_FALSE(fs::exists(plugin_folder()));
}

TEST_F(PluginStoreCliTest, JunkFileInPluginFolderOnlyWarns) {
  sandbox_.run({"plugins", "install", good_plugin().string()});
  auto junk = plugin_folder() / "junk.so";
  std::ofstream(junk) << "this is not a shared library\n";
  fs::permissions(junk, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);

  auto help = sandbox_.run({"--help"});
  auto greeting = sandbox_.run({"greet", "ann"});
  auto verified = sandbox_.run({"plugins", "verify"});

  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err, "Warning: skipped plugin " + junk.string() +
                          ": not an ELF shared library. Remove it or move it out of " +
                          plugin_folder().string() + ".\n");
  EXPECT_TRUE(contains(help.out, "transcribe")) << help.out;
  EXPECT_EQ(greeting.out, "hello ann count=1 format=text\n");
  EXPECT_EQ(verified.exit_code, 0);
}

TEST_F(PluginStoreCliTest, PolicyListingFirstPartyPluginsOnly) {
  write_policy("[policy]\nset_by = IT Operations <it@example.com>\nallow = " +
               std::string(kFirstPartyPlugins) + "\n");
  std::string source = good_plugin().string();

  auto help = sandbox_.run({"--help"});
  auto rejected = sandbox_.run({"plugins", "install", source});
  auto listing = sandbox_.run({"plugins", "list"});

  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err, "");
  EXPECT_TRUE(contains(help.out, "transcribe")) << help.out;
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_EQ(rejected.err, "Error: Cannot install " + source +
                              ": it is not allowed by the plugin policy in " +
                              policy_file().string() +
                              ", set by IT Operations <it@example.com>.\nSuggestion: Ask IT "
                              "Operations <it@example.com> to add 'fixture-good' to allow, or " +
                              sha256sum(good_plugin()) + " to allow_sha256, in " +
                              policy_file().string() + ".\n");
  EXPECT_FALSE(fs::exists(plugin_folder()));
  EXPECT_TRUE(contains(listing.out, "\nPlugin policy: " + policy_file().string() +
                                        ", set by IT Operations <it@example.com>\n  allow: " +
                                        kFirstPartyPlugins + "\n  allow_sha256: none\n"))
      << listing.out;
}

TEST_F(PluginStoreCliTest, PolicySkipsUnlistedPlugins) {
  write_policy("[policy]\nset_by = IT Operations <it@example.com>\nallow = transcribe\n");
  // A plugin copied by hand is held to the policy like any other.
  fs::create_directories(plugin_folder());
  fs::permissions(plugin_folder(), fs::perms::owner_all | fs::perms::group_read |
                                       fs::perms::group_exec | fs::perms::others_read |
                                       fs::perms::others_exec);
  fs::copy_file(good_plugin(), installed_file());

  auto help = sandbox_.run({"--help"});
  auto stream = sandbox_.run({"stream", "x.wav"});

  std::string reason = ": it is not allowed by the plugin policy in " + policy_file().string() +
                       ", set by IT Operations <it@example.com>\n";
  std::string builtin = (build_dir() / "lib/aai/plugins").string();
  std::string expected;
  for (const char* name :
       {"auth-command", "auth-stytch", "env-registry", "llm-gateway", "local", "streaming"}) {
    expected += "Warning: skipped plugin " + builtin + "/" + name + ".so" + reason;
  }
  expected += "Warning: skipped plugin " + installed_file().string() + reason;
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err, expected);
  EXPECT_TRUE(contains(help.out, "transcribe")) << help.out;
  EXPECT_FALSE(contains(help.out, "greet")) << help.out;
  EXPECT_EQ(stream.exit_code, 1);
  EXPECT_EQ(stream.err, expected + "Error: The command 'stream' comes from the plugin " + builtin +
                            "/streaming.so, which was skipped" +
                            reason.substr(0, reason.size() - 1) +
                            ".\nSuggestion: Fix the plugin file as the reason says; `aai plugins "
                            "list` shows every skipped file.\n");
}

TEST_F(PluginStoreCliTest, PolicyAllowsByDigest) {
  write_policy("[policy]\nallow = " + std::string(kFirstPartyPlugins) +
               "\nallow_sha256 = " + sha256sum(good_plugin()) + "\n");

  auto installed = sandbox_.run({"plugins", "install", good_plugin().string()});
  auto greeting = sandbox_.run({"greet", "ann"});

  EXPECT_EQ(installed.exit_code, 0) << installed.err;
  EXPECT_EQ(greeting.exit_code, 0) << greeting.err;
  EXPECT_EQ(greeting.out, "hello ann count=1 format=text\n");
  EXPECT_EQ(greeting.err, "");
}

TEST_F(PluginStoreCliTest, InvalidPolicyLoadsOnlyPluginsBesideAai) {
  sandbox_.run({"plugins", "install", good_plugin().string()});
  write_policy("[policy]\nallow = transcribe\nalow = fixture-good\n");

  auto help = sandbox_.run({"--help"});
  auto rejected = sandbox_.run({"plugins", "install", "--force", good_plugin().string()});

  std::string builtin = (build_dir() / "lib/aai/plugins").string();
  std::string policy = policy_file().string();
  std::string warning = "Warning: the plugin policy " + policy +
                        " is invalid (line 3: unknown key 'alow' in [policy]; expected set_by, "
                        "allow or allow_sha256); until it is fixed, only the plugins in " +
                        builtin + " load\nWarning: skipped plugin " + installed_file().string() +
                        ": the plugin policy " + policy + " is invalid, so only the plugins in " +
                        builtin + " load\n";
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err, warning);
  EXPECT_TRUE(contains(help.out, "transcribe")) << help.out;
  EXPECT_TRUE(contains(help.out, "stream")) << help.out;
  EXPECT_FALSE(contains(help.out, "greet")) << help.out;
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_EQ(rejected.err, warning + "Error: Cannot install " + good_plugin().string() +
                              ": the plugin policy " + policy +
                              " is invalid (line 3: unknown key 'alow' in [policy]; expected "
                              "set_by, allow or allow_sha256), so only the plugins in " +
                              builtin + " load.\nSuggestion: Ask the administrator to fix " +
                              policy + ".\n");
}

}  // namespace
}  // namespace aai::testing
