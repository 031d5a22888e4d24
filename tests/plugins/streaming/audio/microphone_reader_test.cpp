#include "microphone_reader.hpp"

#include <aai/plugin.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace streaming {
namespace {

// Runs `body` with stderr sent to a file and returns what was written there.
std::string capture_stderr(const std::function<void()>& body) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "aai-microphone-stderr.txt").string();
  std::fflush(stderr);
  const int saved = ::dup(STDERR_FILENO);
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(file, STDERR_FILENO);
  ::close(file);
  body();
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  std::filesystem::remove(path);
  return content.str();
}

TEST(MicrophoneReaderTest, ReportsNoMicrophoneSilentlyWithoutSoundHardware) {
  AudioFailure failure;
  std::unique_ptr<BlockReader> reader;

  const std::string noise = capture_stderr([&] { reader = open_microphone_reader({}, failure); });

  if (reader) {
    GTEST_SKIP() << "this machine has an input device";
  }
  EXPECT_EQ(failure.exit_code, AAI_EXIT_USAGE);
  EXPECT_EQ(failure.type, "no_microphone");
  EXPECT_EQ(failure.message, "No microphone was found.");
  EXPECT_EQ(failure.suggestion,
            "Pass an audio file (`aai stream FILE`), or `-` to read raw 16-bit PCM from stdin.");
  EXPECT_EQ(noise, "");
}

}  // namespace
}  // namespace streaming
