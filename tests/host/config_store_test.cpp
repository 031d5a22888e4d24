#include "config_store.hpp"

#include "builtin_commands.hpp"
#include "cli_error.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace aai::host {
namespace {

using testing::read_text;
using testing::TempDir;
using testing::write_text;

mode_t mode_of(const std::filesystem::path& path) {
  struct stat status {};
  ::stat(path.c_str(), &status);
  return status.st_mode & 0777;
}

TEST(ConfigStoreTest, DefaultPathFollowsXdgConfigHome) {
  EXPECT_EQ(default_config_path("/x", "/home/u"), "/x/aai/config.ini");
  EXPECT_EQ(default_config_path("", "/home/u"), "/home/u/.config/aai/config.ini");
  EXPECT_EQ(default_config_path(nullptr, "/home/u"), "/home/u/.config/aai/config.ini");
}

TEST(ConfigStoreTest, ReadsValuesFromIni) {
  TempDir dir;
  write_text(dir.path() / "config.ini",
             "[core]\nactive_profile = work\n\n[profile.work]\nenv = local\n");
  ConfigStore store(dir.path() / "config.ini");

  EXPECT_EQ(store.get("core", "active_profile"), "work");
  EXPECT_EQ(store.get("profile.work", "env"), "local");
  EXPECT_EQ(store.get("profile.work", "missing"), std::nullopt);
}

TEST(ConfigStoreTest, MissingFileReadsAsEmpty) {
  TempDir dir;
  ConfigStore store(dir.path() / "absent" / "config.ini");

  EXPECT_EQ(store.get("core", "active_profile"), std::nullopt);
  EXPECT_TRUE(store.entries().empty());
}

TEST(ConfigStoreTest, ParseErrorNamesLineKeepsFile) {
  TempDir dir;
  auto path = dir.path() / "config.ini";
  std::string corrupt = "[core]\nactive_profile = work\nthis line is broken\n";
  write_text(path, corrupt);
  ConfigStore store(path);

  try {
    store.set("core", "active_profile", "other");
    FAIL() << "expected invalid_config";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(error.type(), "invalid_config");
    EXPECT_EQ(std::string(error.what()),
              "The config file " + path.string() + " is invalid at line 3.");
  }
  EXPECT_EQ(read_text(path), corrupt);
}

TEST(ConfigStoreTest, WritesAtomicallyWithPrivateModes) {
  TempDir dir;
  auto folder = dir.path() / "new" / "aai";
  ConfigStore store(folder / "config.ini");

  store.set("profile.default", "env", "local");
  store.set("core", "active_profile", "default");

  EXPECT_EQ(read_text(folder / "config.ini"),
            "[profile.default]\nenv = local\n\n[core]\nactive_profile = default\n");
  EXPECT_EQ(mode_of(folder / "config.ini"), 0600u);
  EXPECT_EQ(mode_of(folder), 0700u);
  EXPECT_EQ(mode_of(dir.path() / "new"), 0700u);
  size_t file_count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) {
    ++file_count;
  }
  EXPECT_EQ(file_count, 1u);
}

TEST(ConfigStoreTest, UnsetRemovesKeyAndEmptySection) {
  TempDir dir;
  auto path = dir.path() / "config.ini";
  ConfigStore store(path);
  store.set("core", "active_profile", "work");
  store.set("profile.work", "env", "local");

  store.set("core", "active_profile", std::nullopt);

  EXPECT_EQ(read_text(path), "[profile.work]\nenv = local\n");
  EXPECT_EQ(ConfigStore(path).get("profile.work", "env"), "local");
}

TEST(ConfigStoreTest, RejectsValuesIniCannotHold) {
  TempDir dir;
  ConfigStore store(dir.path() / "config.ini");

  try {
    store.set("core", "note", "a\nb");
    FAIL() << "expected invalid_config";
  } catch (const CliError& error) {
    EXPECT_EQ(error.type(), "invalid_config");
    EXPECT_STREQ(error.what(),
                 "The value for core.note contains a line break or a ';' after a space, which "
                 "INI cannot store.");
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "config.ini"));
}

TEST(ConfigStoreTest, ReportsUnwritableFolder) {
  TempDir dir;
  auto folder = dir.path() / "locked";
  std::filesystem::create_directories(folder);
  std::filesystem::permissions(
      folder, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  ConfigStore store(folder / "config.ini");
  if (::access(folder.c_str(), W_OK) == 0) {
    GTEST_SKIP() << "running as a user who can write anywhere";
  }

  try {
    store.set("core", "active_profile", "work");
    FAIL() << "expected config_error";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 1);
    EXPECT_EQ(error.type(), "config_error");
  }
}

TEST(ConfigKeyTest, ResolvesShortAndLongForms) {
  testing::TestApplication test({"-p", "work"});

  auto profile_env = resolve_config_key(test.app(), "env");
  auto active = resolve_config_key(test.app(), "active_profile");
  auto provider = resolve_config_key(test.app(), "providers.aai.credentials");
  auto nested = resolve_config_key(test.app(), "profile.default.env");

  EXPECT_EQ(profile_env.section, "profile.work");
  EXPECT_EQ(profile_env.key, "env");
  EXPECT_EQ(active.section, "core");
  EXPECT_EQ(active.key, "active_profile");
  EXPECT_EQ(provider.section, "providers");
  EXPECT_EQ(provider.key, "aai.credentials");
  EXPECT_EQ(nested.section, "profile.default");
  EXPECT_EQ(nested.key, "env");
}

TEST(ConfigKeyTest, RejectsKeyWithoutSection) {
  testing::TestApplication test;

  try {
    resolve_config_key(test.app(), "color");
    FAIL() << "expected a usage error";
  } catch (const CliError& error) {
    EXPECT_STREQ(error.what(), "Invalid config key 'color'.");
  }
}

}  // namespace
}  // namespace aai::host
