#include "wav_writer.hpp"

#include <aai/plugin.h>

#include <gtest/gtest.h>

#include <sndfile.h>

#include <filesystem>
#include <vector>

namespace streaming {
namespace {

sf_count_t frames_in(const std::string& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) {
    return -1;
  }
  sf_close(file);
  return info.frames;
}

TEST(WavWriterTest, KeepsPartialFileValidWhileWriting) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "aai-wav-writer-test.wav").string();
  AudioFailure failure;
  auto writer = create_wav_writer(path, 16000, failure);
  ASSERT_TRUE(writer);
  const std::vector<int16_t> samples(1600, 7);

  ASSERT_TRUE(writer->write(samples.data(), samples.size(), failure));

  // A run killed at this point still leaves a playable FILE.partial.
  EXPECT_EQ(frames_in(path + ".partial"), 1600);
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(writer->write(samples.data(), samples.size(), failure));
  ASSERT_TRUE(writer->finish(failure));
  EXPECT_EQ(frames_in(path), 3200);
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  std::filesystem::remove(path);
}

TEST(WavWriterTest, RenamesFileWhenDestroyedWithoutFinish) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "aai-wav-writer-drop.wav").string();
  AudioFailure failure;
  {
    auto writer = create_wav_writer(path, 8000, failure);
    const std::vector<int16_t> samples(800, 1);
    writer->write(samples.data(), samples.size(), failure);
  }

  EXPECT_EQ(frames_in(path), 800);
  std::filesystem::remove(path);
}

TEST(WavWriterTest, RejectsMissingFolder) {
  AudioFailure failure;

  auto writer = create_wav_writer("/nonexistent/out.wav", 16000, failure);

  EXPECT_FALSE(writer);
  EXPECT_EQ(failure.exit_code, AAI_EXIT_USAGE);
  EXPECT_EQ(failure.type, "save_audio_path");
  EXPECT_EQ(failure.message.rfind(
                "Could not create --save-audio file '/nonexistent/out.wav.partial': ", 0),
            0u);
}

}  // namespace
}  // namespace streaming
