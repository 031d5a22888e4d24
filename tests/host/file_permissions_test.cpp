#include "file_permissions.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::fixture;
using testing::TempDir;

constexpr uid_t kUser = 1000;
constexpr uid_t kOtherUser = 1234;
constexpr uid_t kRoot = 0;

// A plain plugin file /p/a.so owned by kUser, mode 0755 in a 0755 folder.
PluginFileStatus safe_plugin() {
  PluginFileStatus status;
  status.file = {"/p/a.so", kUser, S_IFREG | 0755};
  status.folder = {"/p", kUser, S_IFDIR | 0755};
  return status;
}

// A link /p/a.so to /t/a.so, both folders and the target owned by kUser with mode 0755.
PluginFileStatus safe_link() {
  PluginFileStatus status = safe_plugin();
  status.is_symlink = true;
  status.file.path = "/t/a.so";
  status.target_folder = PathStatus{"/t", kUser, S_IFDIR | 0755};
  return status;
}

TEST(PermissionCheckTest, AcceptsFilesOwnedByUserOrRoot) {
  PluginFileStatus by_user = safe_plugin();
  PluginFileStatus by_root = safe_plugin();
  by_root.file.owner = kRoot;
  by_root.folder.owner = kRoot;
  PluginFileStatus read_only = safe_plugin();
  read_only.file.mode = S_IFREG | 0444;

  EXPECT_EQ(find_permission_problem(by_user, kUser), std::nullopt);
  EXPECT_EQ(find_permission_problem(by_root, kUser), std::nullopt);
  EXPECT_EQ(find_permission_problem(read_only, kUser), std::nullopt);
  EXPECT_EQ(find_permission_problem(by_root, kRoot), std::nullopt);
  EXPECT_EQ(find_permission_problem(safe_link(), kUser), std::nullopt);
}

TEST(PermissionCheckTest, RejectsFileWritableByGroupOrOthers) {
  struct Case {
    mode_t mode;
    std::string reason;
  };
  std::vector<Case> cases = {
      {0666, "it is writable by group or others (mode 0666); run `chmod go-w /p/a.so`"},
      {0775, "it is writable by group or others (mode 0775); run `chmod go-w /p/a.so`"},
      {0757, "it is writable by group or others (mode 0757); run `chmod go-w /p/a.so`"},
      {04777, "it is writable by group or others (mode 4777); run `chmod go-w /p/a.so`"},
  };
  for (const auto& writable : cases) {
    PluginFileStatus status = safe_plugin();
    status.file.mode = S_IFREG | writable.mode;

    EXPECT_EQ(find_permission_problem(status, kUser), writable.reason) << writable.mode;
  }
}

TEST(PermissionCheckTest, RejectsWritableFolder) {
  PluginFileStatus group = safe_plugin();
  group.folder.mode = S_IFDIR | 0775;
  PluginFileStatus sticky = safe_plugin();
  sticky.folder.mode = S_IFDIR | 01777;

  EXPECT_EQ(find_permission_problem(group, kUser),
            "its folder /p is writable by group or others (mode 0775); run `chmod go-w /p`");
  EXPECT_EQ(find_permission_problem(sticky, kUser),
            "its folder /p is writable by group or others (mode 1777); run `chmod go-w /p`");
}

TEST(PermissionCheckTest, RejectsOtherOwner) {
  PluginFileStatus file = safe_plugin();
  file.file.owner = kOtherUser;
  PluginFileStatus folder = safe_plugin();
  folder.folder.owner = kOtherUser;

  EXPECT_EQ(find_permission_problem(file, kUser),
            "it is owned by user 1234, not by you (user 1000) or root; if you trust it, run "
            "`sudo chown 1000 /p/a.so`");
  EXPECT_EQ(find_permission_problem(folder, kUser),
            "its folder /p is owned by user 1234, not by you (user 1000) or root; if you trust "
            "it, run `sudo chown 1000 /p`");
  EXPECT_EQ(find_permission_problem(file, kRoot),
            "it is owned by user 1234, not by root; if you trust it, run `chown 0 /p/a.so`");
}

TEST(PermissionCheckTest, ReportsFileBeforeFolderAndOwnerBeforeMode) {
  PluginFileStatus status = safe_plugin();
  status.file.owner = kOtherUser;
  status.file.mode = S_IFREG | 0777;
  status.folder.mode = S_IFDIR | 0777;

  EXPECT_EQ(find_permission_problem(status, kUser),
            "it is owned by user 1234, not by you (user 1000) or root; if you trust it, run "
            "`sudo chown 1000 /p/a.so`");
}

TEST(PermissionCheckTest, ChecksLinkTargetAndBothFolders) {
  PluginFileStatus target = safe_link();
  target.file.mode = S_IFREG | 0666;
  PluginFileStatus link_folder = safe_link();
  link_folder.folder.mode = S_IFDIR | 0777;
  PluginFileStatus target_folder = safe_link();
  target_folder.target_folder->mode = S_IFDIR | 0770;
  PluginFileStatus target_owner = safe_link();
  target_owner.file.owner = kOtherUser;

  EXPECT_EQ(find_permission_problem(target, kUser),
            "its target /t/a.so is writable by group or others (mode 0666); run "
            "`chmod go-w /t/a.so`");
  EXPECT_EQ(find_permission_problem(link_folder, kUser),
            "its folder /p is writable by group or others (mode 0777); run `chmod go-w /p`");
  EXPECT_EQ(find_permission_problem(target_folder, kUser),
            "its target's folder /t is writable by group or others (mode 0770); run "
            "`chmod go-w /t`");
  EXPECT_EQ(find_permission_problem(target_owner, kUser),
            "its target /t/a.so is owned by user 1234, not by you (user 1000) or root; if you "
            "trust it, run `sudo chown 1000 /t/a.so`");
}

TEST(PermissionCheckTest, QuotesPathsForTheShell) {
  PluginFileStatus spaces = safe_plugin();
  spaces.file = {"/my plugins/a.so", kUser, S_IFREG | 0666};
  PluginFileStatus quote = safe_plugin();
  quote.file = {"/p/it's.so", kUser, S_IFREG | 0666};

  EXPECT_EQ(find_permission_problem(spaces, kUser),
            "it is writable by group or others (mode 0666); run `chmod go-w '/my plugins/a.so'`");
  EXPECT_EQ(find_permission_problem(quote, kUser),
            "it is writable by group or others (mode 0666); run `chmod go-w '/p/it'\\''s.so'`");
}

// The same checks on real files, with the modes set by chmod. The files belong to the user
// running the test, so only the mode cases can be made without chown.
TEST(PermissionCheckTest, ChecksRealFilesAndLinks) {
  TempDir dir;
  fs::path folder = dir.path() / "plugins";
  fs::path elsewhere = dir.path() / "elsewhere";
  testing::create_plugin_folder(folder);
  testing::create_plugin_folder(elsewhere);
  fs::path file = folder / "good.so";
  testing::copy_plugin(fixture("fixture_good.so"), file);
  testing::copy_plugin(fixture("fixture_good.so"), elsewhere / "target.so");
  fs::create_symlink(elsewhere / "target.so", folder / "link.so");

  EXPECT_EQ(check_plugin_file_permissions(file), std::nullopt);
  EXPECT_EQ(check_plugin_file_permissions(folder / "link.so"), std::nullopt);

  ASSERT_EQ(::chmod(file.c_str(), 0664), 0);
  EXPECT_EQ(
      check_plugin_file_permissions(file),
      "it is writable by group or others (mode 0664); run `chmod go-w " + file.string() + "`");
  ASSERT_EQ(::chmod(file.c_str(), 0755), 0);

  ASSERT_EQ(::chmod(folder.c_str(), 0777), 0);
  EXPECT_EQ(check_plugin_file_permissions(file),
            "its folder " + folder.string() + " is writable by group or others (mode 0777); run " +
                "`chmod go-w " + folder.string() + "`");
  ASSERT_EQ(::chmod(folder.c_str(), 0755), 0);

  ASSERT_EQ(::chmod(elsewhere.c_str(), 0775), 0);
  EXPECT_EQ(check_plugin_file_permissions(folder / "link.so"),
            "its target's folder " + elsewhere.string() +
                " is writable by group or others (mode 0775); run `chmod go-w " +
                elsewhere.string() + "`");
  ASSERT_EQ(::chmod(elsewhere.c_str(), 0755), 0);

  ASSERT_EQ(::chmod((elsewhere / "target.so").c_str(), 0646), 0);
  EXPECT_EQ(check_plugin_file_permissions(folder / "link.so"),
            "its target " + (elsewhere / "target.so").string() +
                " is writable by group or others (mode 0646); run `chmod go-w " +
                (elsewhere / "target.so").string() + "`");
}

TEST(PermissionCheckTest, ReportsMissingFileAndDanglingLink) {
  TempDir dir;
  fs::create_symlink(dir.path() / "nothing.so", dir.path() / "dangling.so");

  EXPECT_EQ(check_plugin_file_permissions(dir.path() / "missing.so"),
            "could not check its permissions: No such file or directory");
  EXPECT_EQ(check_plugin_file_permissions(dir.path() / "dangling.so"),
            "could not resolve its symbolic link: No such file or directory");
}

}  // namespace
}  // namespace aai::host
