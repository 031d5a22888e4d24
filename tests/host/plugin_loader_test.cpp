#include "plugin_loader.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

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

TEST(PluginLoaderTest, SkipsJunkFileWithOneWarning) {
  TestApplication test;
  fs::create_directories(test.dir().path() / "plugins");
  testing::write_text(test.dir().path() / "plugins" / "junk.so", "not a library");

  load_plugins(test.app(), {test.dir().path() / "plugins"});

  EXPECT_EQ(test.err(), skip_line(test, "junk.so", "not an ELF shared library"));
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
       "built for plugin ABI 2.0.0, but this aai supports ABI 1.4.x only"},
      {"fixture_newer_minor.so",
       "built for plugin ABI 1.5.0, newer than this aai's ABI 1.4; update aai"},
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

TEST(PluginLoaderTest, SkipsTruncatedCopy) {
  TestApplication test;
  fs::path folder = test.dir().path() / "plugins";
  fs::create_directories(folder);
  std::string good = testing::read_text(fixture("fixture_good.so"));
  testing::write_text(folder / "cut.so", good.substr(0, good.size() / 2));

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
                            " both register the command 'greet'; the first one is kept.\n"
                            "Error: The command 'greet' is registered by several plugins: " +
                            first.string() + " and " + second.string() +
                            ".\nSuggestion: Remove one of these files, then run the command "
                            "again.\n");
}

TEST(PluginLoaderTest, SkipsSecondPluginWithSameName) {
  TestApplication test;
  fs::path folder = test.dir().path() / "plugins";
  fs::create_directories(folder);
  fs::copy_file(fixture("fixture_good.so"), folder / "a.so");
  fs::copy_file(fixture("fixture_good.so"), folder / "b.so");

  load_plugins(test.app(), {folder});

  EXPECT_EQ(test.err(), "Warning: skipped plugin " + (folder / "b.so").string() +
                            ": a plugin named 'fixture-good' is already loaded from " +
                            (folder / "a.so").string() + "\n");
}

TEST(PluginLoaderTest, SearchesRepeatedFolderOnce) {
  TestApplication test;
  fs::path folder = test.dir().path() / "plugins";
  fs::create_directories(folder);
  fs::copy_file(fixture("fixture_good.so"), folder / "good.so");

  load_plugins(test.app(), {folder, folder / ".." / "plugins"});

  EXPECT_EQ(test.err(), "");
  EXPECT_EQ(test.app().catalog().loaded.size(), 1u);
}

}  // namespace
}  // namespace aai::host
