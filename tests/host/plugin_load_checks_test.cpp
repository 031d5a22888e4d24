// The loader's checks before loading: the SHA-256 in installed.json and the plugin policy.
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

// A plugin folder laid out as on a real machine: a built-in folder, a user folder and a policy
// file, all inside the test's temp folder.
struct Layout {
  explicit Layout(const TestApplication& test)
      : builtin(test.dir().path() / "lib" / "aai" / "plugins"),
        user(test.dir().path() / "data" / "aai" / "plugins"),
        policy_file(test.dir().path() / "etc" / "plugins.ini") {
    testing::create_plugin_folder(builtin);
    testing::create_plugin_folder(user);
    fs::create_directories(policy_file.parent_path());
  }

  PluginLoadRules rules() const {
    PluginLoadRules rules;
    rules.policy = read_plugin_policy(policy_file);
    rules.builtin_folder = builtin;
    rules.user_folder = user;
    return rules;
  }

  void write_policy(const std::string& text) const { testing::write_text(policy_file, text); }

  // Records `file` in installed.json as installed from `source` with its current SHA-256.
  void record(const fs::path& file, const std::string& name, const std::string& source) const {
    auto plugins = read_installed_plugins(user);
    plugins.push_back({name, "1.2.3", sha256_file_hex(file), source});
    write_installed_plugins(user, plugins);
  }

  fs::path builtin;
  fs::path user;
  fs::path policy_file;
};

std::string skip_line(const fs::path& file, const std::string& reason) {
  return "Warning: skipped plugin " + file.string() + ": " + reason + "\n";
}

TEST(PluginLoadChecksTest, LoadsInstalledPluginWithMatchingDigest) {
  TestApplication test;
  Layout layout(test);
  fs::path file = layout.user / "fixture-good.so";
  testing::copy_plugin(fixture("fixture_good.so"), file);
  layout.record(file, "fixture-good", "/src/good.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(), "");
  ASSERT_EQ(test.app().catalog().loaded.size(), 1u);
  EXPECT_EQ(test.app().catalog().user_folder, layout.user);
  EXPECT_EQ(test.app().catalog().builtin_folder, layout.builtin);
}

TEST(PluginLoadChecksTest, SkipsInstalledPluginThatChanged) {
  TestApplication test;
  Layout layout(test);
  fs::path file = layout.user / "fixture-good.so";
  testing::copy_plugin(fixture("fixture_good.so"), file);
  layout.record(file, "fixture-good", "/src/good.so");
  std::string recorded = sha256_file_hex(file);
  testing::copy_plugin(fixture("fixture_older_minor.so"), file);
  std::string now = sha256_file_hex(file);

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  std::string reason = "it changed since it was installed (SHA-256 " + recorded.substr(0, 12) +
                       "... recorded, " + now.substr(0, 12) +
                       "... now); reinstall it with `aai plugins install --force /src/good.so` or "
                       "remove it with `aai plugins remove fixture-good`";
  EXPECT_EQ(test.err(), skip_line(file, reason));
  ASSERT_EQ(test.app().catalog().skipped.size(), 1u);
  EXPECT_EQ(test.app().catalog().skipped[0].reason, reason);
  EXPECT_TRUE(test.app().catalog().loaded.empty());
}

TEST(PluginLoadChecksTest, LoadsHandCopiedPluginWithoutRecord) {
  TestApplication test;
  Layout layout(test);
  testing::copy_plugin(fixture("fixture_good.so"), layout.user / "fixture-good.so");
  testing::copy_plugin(fixture("fixture_store_other.so"), layout.user / "hand-copied.so");
  layout.record(layout.user / "fixture-good.so", "fixture-good", "/src/good.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(), "");
  EXPECT_EQ(test.app().catalog().loaded.size(), 2u);
}

TEST(PluginLoadChecksTest, ChecksRecordsOnlyInUserFolder) {
  TestApplication test;
  Layout layout(test);
  // A record for a file of the same name in another folder does not apply to that file.
  testing::copy_plugin(fixture("fixture_good.so"), layout.builtin / "fixture-good.so");
  layout.write_policy("");
  write_installed_plugins(layout.user, {{"fixture-good", "1.0.0", std::string(64, 'a'), "/x"}});
  testing::write_text(layout.user / "junk.so", "");
  fs::permissions(layout.user / "junk.so", fs::perms::owner_read | fs::perms::owner_write);

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.app().catalog().loaded.size(), 1u);
  EXPECT_EQ(test.err(), skip_line(layout.user / "junk.so",
                                  "not an ELF shared library. Remove it or move it out of " +
                                      layout.user.string() + "."));
}

TEST(PluginLoadChecksTest, InvalidRecordWarnsOnceAndLoads) {
  TestApplication test;
  Layout layout(test);
  testing::copy_plugin(fixture("fixture_good.so"), layout.user / "fixture-good.so");
  testing::write_text(installed_plugins_path(layout.user), "{\"format\": 1}");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(),
            "Warning: ignored the install record: " + installed_plugins_path(layout.user).string() +
                " is invalid: \"plugins\" must be an array; the plugins in " +
                layout.user.string() +
                " load without their SHA-256 check until it is fixed or removed\n");
  EXPECT_EQ(test.app().catalog().loaded.size(), 1u);
}

TEST(PluginLoadChecksTest, PolicyAllowsByManifestName) {
  TestApplication test;
  Layout layout(test);
  layout.write_policy("[policy]\nset_by = IT Operations <it@example.com>\nallow = fixture-good\n");
  testing::copy_plugin(fixture("fixture_good.so"), layout.builtin / "good.so");
  testing::copy_plugin(fixture("fixture_store_v1.so"), layout.user / "fixture-store.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(),
            skip_line(layout.user / "fixture-store.so",
                      "it is not allowed by the plugin policy in " + layout.policy_file.string() +
                          ", set by IT Operations <it@example.com>"));
  ASSERT_EQ(test.app().catalog().loaded.size(), 1u);
  EXPECT_EQ(test.app().catalog().loaded[0].name, "fixture-good");
  EXPECT_EQ(test.app().catalog().policy.state, PolicyReading::State::in_force);
}

TEST(PluginLoadChecksTest, PolicyAllowsByDigest) {
  TestApplication test;
  Layout layout(test);
  layout.write_policy("[policy]\nallow = transcribe\nallow_sha256 = " +
                      sha256_file_hex(fixture("fixture_store_v1.so")) + "\n");
  testing::copy_plugin(fixture("fixture_store_v1.so"), layout.user / "a.so");
  testing::copy_plugin(fixture("fixture_store_v2.so"), layout.user / "b.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(),
            skip_line(layout.user / "b.so",
                      "it is not allowed by the plugin policy in " + layout.policy_file.string()));
  ASSERT_EQ(test.app().catalog().loaded.size(), 1u);
  EXPECT_EQ(test.app().catalog().loaded[0].version, "1.0.0");
}

TEST(PluginLoadChecksTest, PluginWithoutManifestOnlyByDigest) {
  TestApplication test;
  Layout layout(test);
  // fixture_older_patch.so registers as fixture-older-patch but has no manifest.
  layout.write_policy("[policy]\nallow = fixture-older-patch\n");
  testing::copy_plugin(fixture("fixture_older_patch.so"), layout.user / "patch.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());
  layout.write_policy(
      "[policy]\nallow_sha256 = " + sha256_file_hex(fixture("fixture_older_patch.so")) + "\n");
  TestApplication second;
  load_plugins(second.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(),
            skip_line(layout.user / "patch.so",
                      "it is not allowed by the plugin policy in " + layout.policy_file.string()));
  EXPECT_TRUE(test.app().catalog().loaded.empty());
  EXPECT_EQ(second.err(), "");
  EXPECT_EQ(second.app().catalog().loaded.size(), 1u);
}

TEST(PluginLoadChecksTest, PolicyAppliesToBuiltinFolder) {
  TestApplication test;
  Layout layout(test);
  layout.write_policy("[policy]\nallow = fixture-store\n");
  testing::copy_plugin(fixture("fixture_good.so"), layout.builtin / "good.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(),
            skip_line(layout.builtin / "good.so",
                      "it is not allowed by the plugin policy in " + layout.policy_file.string()));
  EXPECT_TRUE(test.app().catalog().loaded.empty());
}

TEST(PluginLoadChecksTest, ManifestNameMustMatchDescriptor) {
  TestApplication test;
  Layout layout(test);
  // The impostor's manifest claims the allowed name fixture-good; its descriptor says otherwise.
  layout.write_policy("[policy]\nallow = fixture-good\n");
  testing::copy_plugin(fixture("fixture_store_impostor.so"), layout.user / "impostor.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(), skip_line(layout.user / "impostor.so",
                                  "its descriptor names it 'fixture-impostor', but the plugin "
                                  "policy allowed it by the name 'fixture-good' in its manifest"));
  EXPECT_TRUE(test.app().catalog().loaded.empty());
  EXPECT_EQ(test.app().commands().find({"impostor"}), std::nullopt);
}

TEST(PluginLoadChecksTest, InvalidPolicyLoadsOnlyBuiltinFolder) {
  TestApplication test;
  Layout layout(test);
  layout.write_policy("[policy]\nalow = fixture-good\n");
  testing::copy_plugin(fixture("fixture_good.so"), layout.builtin / "good.so");
  testing::copy_plugin(fixture("fixture_store_v1.so"), layout.user / "fixture-store.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  std::string policy = layout.policy_file.string();
  EXPECT_EQ(test.err(),
            "Warning: the plugin policy " + policy +
                " is invalid (line 2: unknown key 'alow' in [policy]; expected set_by, allow or "
                "allow_sha256); until it is fixed, only the plugins in " +
                layout.builtin.string() + " load\n" +
                skip_line(layout.user / "fixture-store.so",
                          "the plugin policy " + policy + " is invalid, so only the plugins in " +
                              layout.builtin.string() + " load"));
  ASSERT_EQ(test.app().catalog().loaded.size(), 1u);
  EXPECT_EQ(test.app().catalog().loaded[0].name, "fixture-good");
}

TEST(PluginLoadChecksTest, PolicyWithoutAllowKeysChecksNothing) {
  TestApplication test;
  Layout layout(test);
  layout.write_policy("[policy]\nset_by = IT\n");
  testing::copy_plugin(fixture("fixture_older_patch.so"), layout.user / "patch.so");

  load_plugins(test.app(), {layout.builtin, layout.user}, layout.rules());

  EXPECT_EQ(test.err(), "");
  EXPECT_EQ(test.app().catalog().loaded.size(), 1u);
  EXPECT_EQ(test.app().catalog().policy.state, PolicyReading::State::none);
}

TEST(PluginLoadChecksTest, RulesFromEnvironmentReadSystemConfigDir) {
  testing::TempDir dir;
  testing::write_text(dir.path() / "plugins.ini", "[policy]\nallow = transcribe\n");
  const char* saved = std::getenv("AAI_SYSTEM_CONFIG_DIR");
  std::string saved_value = saved != nullptr ? saved : "";
  ::setenv("AAI_SYSTEM_CONFIG_DIR", dir.path().c_str(), 1);

  PluginLoadRules rules = plugin_load_rules_from_environment();

  if (saved != nullptr) {
    ::setenv("AAI_SYSTEM_CONFIG_DIR", saved_value.c_str(), 1);
  } else {
    ::unsetenv("AAI_SYSTEM_CONFIG_DIR");
  }
  EXPECT_EQ(rules.policy.state, PolicyReading::State::in_force);
  EXPECT_EQ(rules.policy.file, dir.path() / "plugins.ini");
  EXPECT_EQ(rules.user_folder,
            user_plugin_folder(std::getenv("XDG_DATA_HOME"), std::getenv("HOME")));
}

TEST(PluginLoadChecksTest, UserFolderFollowsXdgDataHome) {
  EXPECT_EQ(user_plugin_folder("/data", "/home/u"), fs::path("/data/aai/plugins"));
  EXPECT_EQ(user_plugin_folder("", "/home/u"), fs::path("/home/u/.local/share/aai/plugins"));
  EXPECT_EQ(builtin_plugin_folder("/opt/aai/bin"), fs::path("/opt/aai/lib/aai/plugins"));
}

}  // namespace
}  // namespace aai::host
