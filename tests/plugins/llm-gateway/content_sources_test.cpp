#include "content_sources.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "llm_test_support.hpp"

namespace {

namespace fs = std::filesystem;

class ContentSourcesTest : public LlmPluginTest {
 protected:
  void SetUp() override {
    LlmPluginTest::SetUp();
    std::string pattern = (fs::temp_directory_path() / "aai-llm-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
  }
  void TearDown() override {
    fs::remove_all(folder_);
    LlmPluginTest::TearDown();
  }

  std::string write(const std::string& relative, const std::string& text) {
    const fs::path path = folder_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  std::string error_message(const std::vector<std::string>& paths) {
    try {
      llm::read_files(paths);
    } catch (const aai::Error& error) {
      type_ = error.type();
      exit_code_ = error.exit_code();
      return error.what();
    }
    return "no error";
  }

  fs::path folder_;
  std::string type_;
  int exit_code_ = 0;
};

TEST_F(ContentSourcesTest, PutsEachFileUnderHeader) {
  const std::string first = write("a.txt", "First.\n");
  const std::string second = write("b.md", "Second.");

  EXPECT_EQ(llm::read_files({first, second}),
            "===== " + first + " =====\nFirst.\n\n===== " + second + " =====\nSecond.");
}

TEST_F(ContentSourcesTest, SearchesFolderRecursivelyInSortedOrder) {
  write("notes/week/monday.md", "Monday.\n");
  write("notes/readme.txt", "Readme.\n");
  write("notes/alpha.md", "Alpha.\n");
  write("notes/image.png", "not text");

  EXPECT_EQ(llm::read_files({(folder_ / "notes").string()}),
            "===== alpha.md =====\nAlpha.\n\n"
            "===== readme.txt =====\nReadme.\n\n"
            "===== week/monday.md =====\nMonday.");
}

TEST_F(ContentSourcesTest, RejectsMissingFile) {
  const std::string missing = (folder_ / "missing.md").string();

  EXPECT_EQ(error_message({missing}), "File not found: " + missing);
  EXPECT_EQ(type_, "file_not_found");
  EXPECT_EQ(exit_code_, 2);
}

TEST_F(ContentSourcesTest, RejectsFolderWithoutTextFiles) {
  write("pictures/a.png", "x");
  const std::string pictures = (folder_ / "pictures").string();

  EXPECT_EQ(error_message({pictures}), "Folder '" + pictures + "' contains no .md or .txt files.");
  EXPECT_EQ(type_, "usage_error");
  EXPECT_EQ(exit_code_, 2);
}

TEST_F(ContentSourcesTest, RejectsFileThatIsNotUtf8) {
  const std::string latin1 = write("latin1.txt", "caf\xE9\n");

  EXPECT_EQ(error_message({latin1}), "File '" + latin1 + "' is not UTF-8 text.");
  EXPECT_EQ(exit_code_, 2);
}

TEST_F(ContentSourcesTest, RejectsDeviceAsNotAFile) {
  EXPECT_EQ(error_message({"/dev/null"}), "Not a file: /dev/null");
  EXPECT_EQ(type_, "not_a_file");
}

TEST_F(ContentSourcesTest, FilesWinOverStdinWithWarning) {
  const std::string file = write("notes.txt", "From the file.\n");
  set_stdin("From the pipe.\n");

  const llm::Content content = llm::choose_content(aai::Host(host_.raw()), "Q?", {}, {file});

  EXPECT_EQ(content.user, "Q?\n\nTranscript:\n===== " + file + " =====\nFrom the file.");
  EXPECT_FALSE(content.transcript_id);
  ASSERT_EQ(warnings().size(), 1u);
  EXPECT_EQ(warnings()[0], "files are given, so standard input is ignored.");
}

TEST_F(ContentSourcesTest, FilesWithoutStdinGiveNoWarning) {
  const std::string file = write("notes.txt", "From the file.\n");

  llm::choose_content(aai::Host(host_.raw()), "Q?", {}, {file});

  EXPECT_TRUE(warnings().empty());
}

TEST_F(ContentSourcesTest, RejectsStdinThatIsNotUtf8) {
  set_stdin("caf\xE9\n");

  EXPECT_EQ(run({}, {"Q?"}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "Standard input is not UTF-8 text.");
}

}  // namespace
