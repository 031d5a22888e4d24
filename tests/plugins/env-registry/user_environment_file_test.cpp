#include "user_environment_file.hpp"

#include <aai/plugin.hpp>

#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "environment_file.hpp"

namespace env_registry {
namespace {

namespace fs = std::filesystem;

std::string usage_message(const std::string& option, const std::string& key,
                          const std::string& value) {
  try {
    require_writable_value(option, key, value);
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), AAI_EXIT_USAGE);
    EXPECT_EQ(error.type(), "usage_error");
    return error.what();
  }
  return "";
}

TEST(UserEnvironmentFileTest, AcceptsPlainValues) {
  EXPECT_EQ(usage_message("--summary", "summary", "ACME's deployment; EU only"), "");
  EXPECT_EQ(usage_message("--set region", "region", ""), "");
  EXPECT_EQ(usage_message("--summary", "summary", "#1 choice"), "");
}

TEST(UserEnvironmentFileTest, RejectsValuesInihChanges) {
  EXPECT_EQ(usage_message("--summary", "summary", "two\nlines"),
            "Invalid --summary: a value cannot contain a line break.");
  EXPECT_EQ(usage_message("--summary", "summary", " ACME"),
            "Invalid --summary ' ACME': a value cannot start or end with a space or tab, because "
            "INI drops them.");
  EXPECT_EQ(usage_message("--set region", "region", "eu\t"),
            "Invalid --set region 'eu\t': a value cannot start or end with a space or tab, "
            "because INI drops them.");
  EXPECT_EQ(usage_message("--summary", "summary", "ACME ; EU"),
            "Invalid --summary 'ACME ; EU': a value cannot contain ';' after a space or tab, "
            "because inih reads the rest as a comment.");
  EXPECT_EQ(usage_message("--summary", "summary", std::string(190, 'x')),
            "Invalid --summary: the line 'summary = ...' would be longer than 199 characters, "
            "which inih cannot read.");
}

TEST(UserEnvironmentFileTest, FormatsAFileThatReadsBack) {
  std::string text = format_environment_file(
      "acme", "ACME's deployment",
      {{"api_base", "https://api.acme.example"}, {"region", "eu"}, {"empty", ""}});

  EXPECT_EQ(text,
            "# Written by `aai env add`. Edit it, or delete it with `aai env remove acme`.\n"
            "[acme]\n"
            "summary = ACME's deployment\n"
            "api_base = https://api.acme.example\n"
            "region = eu\n"
            "empty = \n");
  ParsedFile parsed = parse_environment_file(text, {"acme.ini", "acme.ini", {}});
  ASSERT_TRUE(parsed.issues.empty());
  ASSERT_EQ(parsed.environments.size(), 1u);
  EXPECT_EQ(parsed.environments[0].summary, "ACME's deployment");
  EXPECT_EQ(parsed.environments[0].fields,
            (std::vector<std::pair<std::string, std::string>>{
                {"api_base", "https://api.acme.example"}, {"region", "eu"}, {"empty", ""}}));
}

TEST(UserEnvironmentFileTest, LeavesOutAnEmptySummary) {
  EXPECT_EQ(format_environment_file("acme", "", {{"api_base", "https://a.example"}}),
            "# Written by `aai env add`. Edit it, or delete it with `aai env remove acme`.\n"
            "[acme]\n"
            "api_base = https://a.example\n");
}

class WriteEnvironmentFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "aai-env-write-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(root_);
  }

  static std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static unsigned mode(const fs::path& path) {
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mode & 07777;
  }

  fs::path root_;
};

TEST_F(WriteEnvironmentFileTest, CreatesFoldersAndFileWithTheirModes) {
  fs::path file = root_ / "config" / "aai" / "environments.d" / "acme.ini";
  mode_t old_mask = ::umask(077);

  write_environment_file(file, "[acme]\n");
  ::umask(old_mask);

  EXPECT_EQ(read(file), "[acme]\n");
  EXPECT_EQ(mode(file), 0644u);
  EXPECT_EQ(mode(file.parent_path()), 0755u);
  EXPECT_EQ(mode(root_ / "config" / "aai"), 0700u);
  EXPECT_EQ(mode(root_ / "config"), 0700u);
}

TEST_F(WriteEnvironmentFileTest, ReplacesAndLeavesNoTemporaryFile) {
  fs::path file = root_ / "environments.d" / "acme.ini";
  write_environment_file(file, "[acme]\nold\n");

  write_environment_file(file, "[acme]\nnew\n");

  EXPECT_EQ(read(file), "[acme]\nnew\n");
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(file.parent_path())) {
    entries.push_back(entry.path());
  }
  EXPECT_EQ(entries, std::vector<fs::path>{file});
}

TEST_F(WriteEnvironmentFileTest, ExistingFolderKeepsItsMode) {
  fs::create_directories(root_ / "environments.d");
  fs::permissions(root_ / "environments.d", fs::perms::owner_all);

  write_environment_file(root_ / "environments.d" / "acme.ini", "[acme]\n");

  EXPECT_EQ(mode(root_ / "environments.d"), 0700u);
}

TEST_F(WriteEnvironmentFileTest, UnwritableFolderIsAConfigError) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root can write into a read-only folder";
  }
  fs::create_directories(root_ / "environments.d");
  fs::permissions(root_ / "environments.d", fs::perms::owner_read | fs::perms::owner_exec);
  fs::path file = root_ / "environments.d" / "acme.ini";

  try {
    write_environment_file(file, "[acme]\n");
    FAIL() << "expected config_error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), AAI_EXIT_FAILURE);
    EXPECT_EQ(error.type(), "config_error");
    EXPECT_EQ(std::string(error.what()), "Could not write " + file.string() +
                                             " (creating a temporary file): Permission denied.");
  }
  fs::permissions(root_ / "environments.d", fs::perms::owner_all);
}

TEST_F(WriteEnvironmentFileTest, FileInPlaceOfFolderIsAConfigError) {
  std::ofstream(root_ / "aai") << "";
  fs::path file = root_ / "aai" / "environments.d" / "acme.ini";

  try {
    write_environment_file(file, "[acme]\n");
    FAIL() << "expected config_error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.type(), "config_error");
    EXPECT_EQ(std::string(error.what()), "Could not create the folder " + (root_ / "aai").string() +
                                             ": a file of that name exists.");
  }
}

TEST_F(WriteEnvironmentFileTest, RemovesAFile) {
  fs::path file = root_ / "acme.ini";
  std::ofstream(file) << "[acme]\n";

  remove_environment_file(file);

  EXPECT_FALSE(fs::exists(file));
  try {
    remove_environment_file(file);
    FAIL() << "expected config_error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.type(), "config_error");
    EXPECT_EQ(std::string(error.what()),
              "Could not remove " + file.string() + ": No such file or directory.");
  }
}

}  // namespace
}  // namespace env_registry
