#include <gtest/gtest.h>

#include <aai/plugin.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "batch_sources.hpp"

namespace fs = std::filesystem;
using transcribe::expand_batch_sources;

namespace {

// A fresh folder named after the running test, because ctest runs tests in parallel processes
// that share the temporary folder.
class BatchSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            (std::string("batch-sources-") +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string touch(const std::string& name) {
    const fs::path path = root_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "audio";
    return path.string();
  }

  std::string path(const std::string& name) const { return (root_ / name).string(); }

  // Returns the message of the usage error that expanding `sources` throws.
  static std::string usage_message(const std::vector<std::string>& sources) {
    try {
      expand_batch_sources(sources);
    } catch (const aai::Error& error) {
      EXPECT_EQ(error.exit_code(), AAI_EXIT_USAGE);
      return error.what();
    }
    return "no error";
  }

  fs::path root_;
};

TEST_F(BatchSourcesTest, FolderIsSearchedRecursively) {
  touch("b.MP3");
  touch("sub/a.wav");
  touch("sub/deeper/c.Flac");
  touch("notes.txt");
  touch(".hidden.mp3");
  touch(".cache/d.mp3");
  touch("b.MP3.aai.json");

  const auto sources = expand_batch_sources({root_.string()});

  EXPECT_EQ(sources, (std::vector<std::string>{path("b.MP3"), path("sub/a.wav"),
                                               path("sub/deeper/c.Flac")}));
}

TEST_F(BatchSourcesTest, DuplicatesAreRemovedAndSorted) {
  touch("b.wav");
  touch("a.wav");

  const auto sources =
      expand_batch_sources({path("b.wav"), root_.string() + "/./b.wav", root_.string()});

  EXPECT_EQ(sources, (std::vector<std::string>{path("a.wav"), path("b.wav")}));
}

TEST_F(BatchSourcesTest, NamedFileKeepsAnyExtension) {
  const std::string named = touch("talk.raw");

  EXPECT_EQ(expand_batch_sources({named}), std::vector<std::string>{named});
}

TEST_F(BatchSourcesTest, GlobPatternIsExpanded) {
  touch("one.mp3");
  touch("two.mp3");
  touch("three.wav");
  touch("one.mp3.aai.json");

  const auto sources = expand_batch_sources({root_.string() + "/*.mp3*"});

  EXPECT_EQ(sources, (std::vector<std::string>{path("one.mp3"), path("two.mp3")}));
}

TEST_F(BatchSourcesTest, GlobWithoutMatchIsUsageError) {
  const std::string pattern = root_.string() + "/*.ogg";

  EXPECT_EQ(usage_message({pattern}), "No files match the pattern '" + pattern + "'.");
}

TEST_F(BatchSourcesTest, StdinDashIsUsageError) {
  EXPECT_EQ(usage_message({touch("a.wav"), "-"}),
            "`-` (standard input) cannot be part of a batch.");
}

TEST_F(BatchSourcesTest, UrlIsUsageError) {
  EXPECT_EQ(usage_message({touch("a.wav"), "https://media.test/a.mp3"}),
            "URLs cannot be part of a batch: https://media.test/a.mp3");
}

TEST_F(BatchSourcesTest, MissingPathIsUsageError) {
  EXPECT_EQ(usage_message({touch("a.wav"), path("gone.wav")}),
            "File not found: " + path("gone.wav"));
}

TEST_F(BatchSourcesTest, FolderWithoutAudioIsUsageError) {
  touch("notes.txt");

  EXPECT_EQ(usage_message({root_.string()}), "No audio or video files found in the batch sources.");
}

TEST_F(BatchSourcesTest, BatchRequestNeedsMoreThanOneFile) {
  const std::string file = touch("a.wav");

  EXPECT_FALSE(transcribe::is_batch_request({file}, false));
  EXPECT_FALSE(transcribe::is_batch_request({"-"}, false));
  EXPECT_FALSE(transcribe::is_batch_request({"https://media.test/a.mp3"}, false));
  EXPECT_FALSE(transcribe::is_batch_request({path("missing.wav")}, false));
  EXPECT_TRUE(transcribe::is_batch_request({file, file}, false));
  EXPECT_TRUE(transcribe::is_batch_request({root_.string()}, false));
  EXPECT_TRUE(transcribe::is_batch_request({root_.string() + "/*.wav"}, false));
  EXPECT_TRUE(transcribe::is_batch_request({}, true));
}

TEST(BatchSourceLines, BlankLinesAndCarriageReturnsAreDropped) {
  std::istringstream in("a.wav\r\n\n   \nsub/b.mp3\nlast.wav");

  EXPECT_EQ(transcribe::read_source_lines(in),
            (std::vector<std::string>{"a.wav", "sub/b.mp3", "last.wav"}));
}

TEST(BatchAudioExtensions, MatchInAnyCase) {
  EXPECT_TRUE(transcribe::has_audio_extension("talk.MP3"));
  EXPECT_TRUE(transcribe::has_audio_extension("clip.webm"));
  EXPECT_FALSE(transcribe::has_audio_extension("talk.mp3.aai.json"));
  EXPECT_FALSE(transcribe::has_audio_extension("README"));
  EXPECT_FALSE(transcribe::has_audio_extension("notes.txt"));
}

}  // namespace
