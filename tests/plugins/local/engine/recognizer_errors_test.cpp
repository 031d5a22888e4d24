// Input the recogniser rejects, and the exact messages it gives.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <stdlib.h>

#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aai_local/recognizer.hpp"
#include "audio_fixtures.hpp"

namespace aai::local {
namespace {

std::string decode_error_of(Recognizer& recognizer, const std::filesystem::path& audio) {
  try {
    recognizer.recognize_file(audio);
  } catch (const AudioDecodeError& error) {
    return error.what();
  }
  return "no AudioDecodeError";
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class RecognizerErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { recognizer_ = std::make_unique<Recognizer>(); }
  static void TearDownTestSuite() { recognizer_.reset(); }

  static inline std::unique_ptr<Recognizer> recognizer_;
  test::ScratchDir scratch_;
};

TEST_F(RecognizerErrorsTest, RejectsRandomBytes) {
  std::mt19937 generator(42);
  std::string bytes(4096, '\0');
  for (char& byte : bytes) {
    byte = static_cast<char>(generator() & 0xff);
  }
  write_bytes(scratch_.path() / "noise.bin", bytes);

  EXPECT_EQ(decode_error_of(*recognizer_, scratch_.path() / "noise.bin"),
            "File does not appear to be an audio file: Format not recognised.");
}

TEST_F(RecognizerErrorsTest, RejectsTextFile) {
  write_bytes(scratch_.path() / "notes.wav", "These are meeting notes, not audio.\n");

  EXPECT_EQ(decode_error_of(*recognizer_, scratch_.path() / "notes.wav"),
            "File does not appear to be an audio file: Format not recognised.");
}

TEST_F(RecognizerErrorsTest, RejectsEmptyFile) {
  write_bytes(scratch_.path() / "empty.wav", "");

  EXPECT_EQ(decode_error_of(*recognizer_, scratch_.path() / "empty.wav"),
            "Audio file is empty (0 bytes).");
}

TEST_F(RecognizerErrorsTest, RejectsWavTruncatedInsideHeader) {
  const auto clip = test::load_librivox_clips().front();
  std::ifstream original(clip.wav, std::ios::binary);
  std::string header(40, '\0');
  original.read(header.data(), static_cast<std::streamsize>(header.size()));
  write_bytes(scratch_.path() / "cut.wav", header);

  EXPECT_EQ(decode_error_of(*recognizer_, scratch_.path() / "cut.wav"),
            "File does not appear to be an audio file: Error in WAV file. No 'data' chunk marker.");
}

TEST_F(RecognizerErrorsTest, RejectsWavWithoutSamples) {
  test::write_audio(scratch_.path() / "silent.wav", {}, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16);

  EXPECT_EQ(decode_error_of(*recognizer_, scratch_.path() / "silent.wav"),
            "Audio contains no samples.");
}

TEST_F(RecognizerErrorsTest, RejectsMissingFile) {
  EXPECT_EQ(decode_error_of(*recognizer_, scratch_.path() / "absent.wav"), "Audio file not found.");
}

TEST_F(RecognizerErrorsTest, RejectsDirectory) {
  EXPECT_EQ(decode_error_of(*recognizer_, scratch_.path()), "Audio path is not a regular file.");
}

TEST_F(RecognizerErrorsTest, RejectsEmptyPcm) {
  const int16_t unused = 0;

  try {
    recognizer_->recognize_pcm(&unused, 0);
    FAIL() << "expected AudioDecodeError";
  } catch (const AudioDecodeError& error) {
    EXPECT_STREQ(error.what(), "Audio contains no samples.");
  }
}

// libsndfile reads the frames that are present when a WAV's data chunk is cut short, as most
// players do, so a file cut inside its samples is recognised up to the cut.
TEST_F(RecognizerErrorsTest, DecodesWavTruncatedInsideSamples) {
  const auto clip = test::load_librivox_clips().front();
  std::ifstream original(clip.wav, std::ios::binary);
  std::string prefix(44 + 2 * 16000, '\0');
  original.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  write_bytes(scratch_.path() / "cut.wav", prefix);

  const Recognition recognition = recognizer_->recognize_file(scratch_.path() / "cut.wav");

  EXPECT_NEAR(recognition.audio_duration_seconds, 1.0, 0.01);
}

TEST(RecognizerModelTest, NamesMissingModelAndPackage) {
  try {
    Recognizer recognizer("/nonexistent/model");
    FAIL() << "expected ModelLoadError";
  } catch (const ModelLoadError& error) {
    EXPECT_STREQ(error.what(),
                 "Speech model not found: '/nonexistent/model/en-us' does not exist. Install the "
                 "Debian package pocketsphinx-en-us, or set AAI_POCKETSPHINX_MODEL to a folder "
                 "that contains en-us/, en-us.lm.bin and cmudict-en-us.dict.");
  }
}

TEST(RecognizerModelTest, UsesModelFromEnvironmentForDefaultPath) {
  ::setenv("AAI_POCKETSPHINX_MODEL", "/nonexistent/from-env", 1);
  std::string message;
  try {
    Recognizer recognizer;
  } catch (const ModelLoadError& error) {
    message = error.what();
  }
  ::unsetenv("AAI_POCKETSPHINX_MODEL");

  EXPECT_EQ(message.rfind("Speech model not found: '/nonexistent/from-env/en-us'", 0), 0u)
      << message;
}

TEST(RecognizerModelTest, PrefersExplicitPathOverEnvironment) {
  ::setenv("AAI_POCKETSPHINX_MODEL", "/nonexistent/from-env", 1);
  std::string message;
  try {
    Recognizer recognizer("/nonexistent/explicit");
  } catch (const ModelLoadError& error) {
    message = error.what();
  }
  ::unsetenv("AAI_POCKETSPHINX_MODEL");

  EXPECT_EQ(message.rfind("Speech model not found: '/nonexistent/explicit/en-us'", 0), 0u)
      << message;
}

TEST(RecognizerModelTest, DefaultModelDirIsDebianPathWithoutEnvironment) {
  ::unsetenv("AAI_POCKETSPHINX_MODEL");

  EXPECT_EQ(default_model_dir(), "/usr/share/pocketsphinx/model/en-us");
}

}  // namespace
}  // namespace aai::local
