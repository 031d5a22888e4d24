#include "plugin_loader.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::fixture;
using testing::TempDir;
using testing::TestApplication;

std::string skip_line(const TestApplication& test, const std::string& file_name,
                      const std::string& reason) {
  return "Warning: skipped plugin " + (test.dir().path() / "plugins" / file_name).string() + ": " +
         reason + "\n";
}

// Writes a file that is not a plugin into a plugin folder, with mode 0644 whatever the umask.
void write_plugin_file(const fs::path& file, const std::string& text) {
  testing::write_text(file, text);
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
}

TEST(PluginDirectoriesTest, ListsFoldersInSearchOrder) {
  auto folders = plugin_directories("/opt/aai/bin", ":/a::/b:", "/data", "/home/u");

  std::vector<fs::path> expected = {"/opt/aai/lib/aai/plugins", "/a", "/b", "/data/aai/plugins"};
  EXPECT_EQ(folders, expected);
}

TEST(PluginDirectoriesTest, DefaultsDataHomeToLocalShare) {
  auto folders = plugin_directories("/opt/aai/bin", nullptr, "", "/home/u");

  std::vector<fs::path> expected = {"/opt/aai/lib/aai/plugins", "/home/u/.local/share/aai/plugins"};
  EXPECT_EQ(folders, expected);
}

TEST(PluginDirectoriesTest, ListsOnlySharedObjectsSorted) {
  TempDir dir;
  testing::write_text(dir.path() / "b.so", "");
  testing::write_text(dir.path() / "a.so", "");
  testing::write_text(dir.path() / "c.txt", "");
  fs::create_directories(dir.path() / "d.so");

  auto files = list_plugin_files(dir.path());

  std::vector<fs::path> expected = {dir.path() / "a.so", dir.path() / "b.so"};
  EXPECT_EQ(files, expected);
  EXPECT_TRUE(list_plugin_files(dir.path() / "missing").empty());
}

TEST(ElfCheckTest, NamesTheProblem) {
  TempDir dir;
  testing::write_text(dir.path() / "junk.so", "#!/bin/sh\necho not a library\n");
  std::string good = testing::read_text(fixture("fixture_good.so"));
  testing::write_text(dir.path() / "short.so", good.substr(0, 40));
  testing::write_text(dir.path() / "half.so", good.substr(0, good.size() / 2));

  EXPECT_EQ(check_elf_file(dir.path() / "junk.so"), "not an ELF shared library");
  EXPECT_EQ(check_elf_file(dir.path() / "short.so"), "truncated ELF file (40 bytes)");
  EXPECT_TRUE(check_elf_file(dir.path() / "half.so")->starts_with("truncated ELF file ("));
  EXPECT_EQ(check_elf_file(fixture("fixture_good.so")), std::nullopt);
}

TEST(PluginLoaderTest, LoadsGoodPluginAndItsRegistrations) {
  TestApplication test;

  test.load_fixtures({"fixture_good.so"});

  ASSERT_EQ(test.app().catalog().loaded.size(), 1u);
  const auto& plugin = test.app().catalog().loaded[0];
  EXPECT_EQ(plugin.name, "fixture-good");
  EXPECT_EQ(plugin.version, "1.2.3");
  EXPECT_EQ(plugin.commands,
            (std::vector<std::string>{"greet", "things list", "things add", "fail", "where"}));
  EXPECT_NE(test.app().environments().find("fixture"), nullptr);
  EXPECT_TRUE(test.app().catalog().skipped.empty());
  EXPECT_EQ(test.err(), "");
}

TEST(PluginLoaderTest, MainHelpListsPluginFromManifestWithoutLoadingIt) {
  TestApplication help({"--help"});
  fs::path folder = help.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  testing::copy_plugin(fixture("fixture_described.so"), folder / "a.so");
  testing::copy_plugin(fixture("fixture_good.so"), folder / "b.so");
  fs::path marker = help.dir().path() / "loaded";
  ::setenv("AAI_TEST_LOAD_MARKER", marker.c_str(), 1);
  PluginLoadRules rules;
  rules.describe_from_manifests = true;

  load_plugins(help.app(), {folder}, rules);
  int exit_code = help.run();
  bool loaded_for_help = fs::exists(marker);
  TestApplication run({"described"});
  load_plugins(run.app(), {folder}, PluginLoadRules{});
  bool loaded_to_run = fs::exists(marker);
  ::unsetenv("AAI_TEST_LOAD_MARKER");

  EXPECT_EQ(exit_code, 0);
  EXPECT_NE(help.out().find("Described fixture (plugin fixture-described):\n"
                            "  described  Print that the plugin ran\n"),
            std::string::npos)
      << help.out();
  EXPECT_FALSE(loaded_for_help);
  ASSERT_EQ(help.app().catalog().loaded.size(), 2u);
  EXPECT_TRUE(help.app().catalog().loaded[0].described_by_manifest);
  // fixture-good's manifest has no summaries, so the main help loads it as before.
  EXPECT_FALSE(help.app().catalog().loaded[1].described_by_manifest);
  EXPECT_TRUE(loaded_to_run);
  EXPECT_EQ(run.run(), 0);
  EXPECT_EQ(help.err(), "");
}

TEST(PluginLoaderTest, SkipsJunkFileWithOneWarning) {
  TestApplication test;
  testing::create_plugin_folder(test.dir().path() / "plugins");
  write_plugin_file(test.dir().path() / "plugins" / "junk.so", "not a library");

  load_plugins(test.app(), {test.dir().path() / "plugins"});

  fs::path folder = test.dir().path() / "plugins";
  EXPECT_EQ(test.err(), skip_line(test, "junk.so",
                                  "not an ELF shared library. Remove it or move it out of " +
                                      folder.string() + "."));
  ASSERT_EQ(test.app().catalog().skipped.size(), 1u);
  EXPECT_EQ(test.app().catalog().skipped[0].reason, "not an ELF shared library");
}

TEST(PluginLoaderTest, SkipsBrokenPluginsAndKeepsGoodOne) {
  struct Case {
    std::string file;
    std::string reason;
  };
  std::vector<Case> cases = {
      {"fixture_no_entry.so", "no aai_plugin_entry symbol"},
      {"fixture_wrong_major.so",
       "built for plugin ABI 2.0.0, but this aai supports ABI 1.5.x only"},
      {"fixture_newer_minor.so",
       "built for plugin ABI 1.6.0, newer than this aai's ABI 1.5; update aai"},
      {"fixture_newer_minor_larger.so",
       "built for plugin ABI 1.6.0, newer than this aai's ABI 1.5; update aai"},
      {"fixture_register_fails.so",
       "register_plugin failed (status 1): the fixture cannot register"},
      {"fixture_throws.so", "register_plugin failed (status 1): it threw: boom"},
      {"fixture_invalid_spec.so",
       "invalid registration: invalid command name 'Bad Name': use lower-case words separated "
       "by single spaces"},
  };
  for (const auto& broken : cases) {
    TestApplication test;

    test.load_fixtures({broken.file, "fixture_good.so"});

    EXPECT_EQ(test.err(), skip_line(test, "10-" + broken.file, broken.reason)) << broken.file;
    EXPECT_EQ(test.app().catalog().loaded.size(), 1u) << broken.file;
    EXPECT_NE(test.app().commands().find({"greet"}), std::nullopt) << broken.file;
  }
}

TEST(PluginLoaderTest, LoadsPluginBuiltForOlderPatch) {
  TestApplication test;

  test.load_fixtures({"fixture_older_patch.so"});

  EXPECT_EQ(test.err(), "");
  ASSERT_EQ(test.app().catalog().loaded.size(), 1u);
}

TEST(PluginLoaderTest, RunsPluginBuiltForOlderMinor) {
  TestApplication test({"greet"});

  test.load_fixtures({"fixture_older_minor.so"});
  int exit_code = test.run();

  ASSERT_EQ(test.app().catalog().loaded.size(), 1u);
  EXPECT_EQ(test.app().catalog().loaded[0].abi_version.minor, 0u);
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(test.out(), "hello from ABI 1.0; active environment: none\n");
  EXPECT_EQ(test.err(), "");
}

TEST(PluginLoaderTest, SkipsTruncatedCopy) {
  TestApplication test;
  fs::path folder = test.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  std::string good = testing::read_text(fixture("fixture_good.so"));
  write_plugin_file(folder / "cut.so", good.substr(0, good.size() / 2));

  load_plugins(test.app(), {folder});

  ASSERT_EQ(test.app().catalog().skipped.size(), 1u);
  EXPECT_TRUE(test.app().catalog().skipped[0].reason.starts_with("truncated ELF file ("));
  EXPECT_TRUE(test.err().starts_with("Warning: skipped plugin " + (folder / "cut.so").string() +
                                     ": truncated ELF file ("));
}

TEST(PluginLoaderTest, DuplicateCommandWarnsAndFailsWhenRun) {
  TestApplication test({"greet"});

  test.load_fixtures({"fixture_good.so", "fixture_duplicate_command.so"});
  int exit_code = test.run();

  fs::path first = test.dir().path() / "plugins" / "10-fixture_good.so";
  fs::path second = test.dir().path() / "plugins" / "11-fixture_duplicate_command.so";
  EXPECT_EQ(exit_code, 1);
  EXPECT_EQ(test.err(), "Warning: the plugins " + first.string() + " and " + second.string() +
                            " both register the command 'greet'; `aai greet` fails until one of "
                            "them is removed.\n"
                            "Error: The command 'greet' is registered by several plugins: " +
                            first.string() + " and " + second.string() +
                            ".\nSuggestion: Remove one of these files, then run the command "
                            "again.\n");
}

TEST(PluginLoaderTest, SkipsSecondPluginWithSameName) {
  TestApplication test;
  fs::path folder = test.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  testing::copy_plugin(fixture("fixture_good.so"), folder / "a.so");
  testing::copy_plugin(fixture("fixture_good.so"), folder / "b.so");

  load_plugins(test.app(), {folder});

  EXPECT_EQ(test.err(), "Warning: skipped plugin " + (folder / "b.so").string() +
                            ": a plugin named 'fixture-good' is already loaded from " +
                            (folder / "a.so").string() + "\n");
}

TEST(PluginLoaderTest, SearchesRepeatedFolderOnce) {
  TestApplication test;
  fs::path folder = test.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  testing::copy_plugin(fixture("fixture_good.so"), folder / "good.so");

  load_plugins(test.app(), {folder, folder / ".." / "plugins"});

  EXPECT_EQ(test.err(), "");
  EXPECT_EQ(test.app().catalog().loaded.size(), 1u);
}

TEST(PluginLoaderTest, SkipsFileWritableByOthersBeforeLoadingIt) {
  TestApplication test({"greet", "ann"});
  fs::path folder = test.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  fs::path file = folder / "good.so";
  testing::copy_plugin(fixture("fixture_good.so"), file);
  fs::permissions(file, fs::perms::others_write, fs::perm_options::add);

  load_plugins(test.app(), {folder});

  std::string reason =
      "it is writable by group or others (mode 0757); run `chmod go-w " + file.string() + "`";
  EXPECT_EQ(test.err(), "Warning: skipped plugin " + file.string() + ": " + reason + "\n");
  ASSERT_EQ(test.app().catalog().skipped.size(), 1u);
  EXPECT_EQ(test.app().catalog().skipped[0].reason, reason);
  EXPECT_TRUE(test.app().catalog().loaded.empty());
  EXPECT_EQ(test.app().commands().find({"greet"}), std::nullopt);
}

TEST(PluginLoaderTest, SkipsEveryFileOfGroupWritableFolder) {
  TestApplication test;
  fs::path folder = test.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  testing::copy_plugin(fixture("fixture_good.so"), folder / "good.so");
  testing::copy_plugin(fixture("fixture_older_minor.so"), folder / "older.so");
  fs::permissions(folder, fs::perms::group_write, fs::perm_options::add);

  load_plugins(test.app(), {folder});

  std::string reason = "its folder " + folder.string() +
                       " is writable by group or others (mode 0775); run `chmod go-w " +
                       folder.string() + "`";
  EXPECT_EQ(test.err(), "Warning: skipped plugin " + (folder / "good.so").string() + ": " + reason +
                            "\nWarning: skipped plugin " + (folder / "older.so").string() + ": " +
                            reason + "\n");
  EXPECT_TRUE(test.app().catalog().loaded.empty());
}

TEST(PluginLoaderTest, LoadsLinkAndChecksItsTargetFolder) {
  TestApplication test;
  fs::path folder = test.dir().path() / "plugins";
  fs::path store = test.dir().path() / "store";
  testing::create_plugin_folder(folder);
  testing::create_plugin_folder(store);
  testing::copy_plugin(fixture("fixture_good.so"), store / "good.so");
  fs::create_symlink(store / "good.so", folder / "good.so");

  load_plugins(test.app(), {folder});
  fs::permissions(store, fs::perms::others_write, fs::perm_options::add);
  TestApplication second;
  load_plugins(second.app(), {folder});

  EXPECT_EQ(test.err(), "");
  ASSERT_EQ(test.app().catalog().loaded.size(), 1u);
  EXPECT_EQ(test.app().catalog().loaded[0].file, folder / "good.so");
  EXPECT_EQ(second.err(), "Warning: skipped plugin " + (folder / "good.so").string() +
                              ": its target's folder " + store.string() +
                              " is writable by group or others (mode 0757); run `chmod go-w " +
                              store.string() + "`\n");
}

}  // namespace
}  // namespace aai::host
