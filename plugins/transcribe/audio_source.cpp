#include "audio_source.hpp"

#include <aai/plugin.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

namespace transcribe {

bool is_remote_url(const std::string& source) {
  std::string prefix = source.substr(0, 8);
  for (char& c : prefix) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return prefix.starts_with("http://") || prefix.starts_with("https://");
}

uint64_t check_local_file(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    throw aai::Error(AAI_EXIT_USAGE, "file_not_found", "File not found: " + path,
                     "Check the path, or pass an http(s) URL or `-` to read standard input.");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw aai::Error(
        AAI_EXIT_USAGE, "not_a_file", "Not a file: " + path,
        "Pass an audio or video file, or a folder to transcribe the recordings in it.");
  }
  const uint64_t size = std::filesystem::file_size(path, error);
  if (error || size == 0) {
    throw aai::Error(AAI_EXIT_USAGE, "empty_audio", "The audio file is empty: " + path,
                     "Check that the recording finished writing, then run the command again.");
  }
  return size;
}

TempFile::TempFile() {
  std::string pattern = (std::filesystem::temp_directory_path() / "aai-stdin-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  fd_ = ::mkstemp(buffer.data());
  if (fd_ < 0) {
    throw aai::Error(AAI_EXIT_FAILURE, "internal_error",
                     "Could not create a temporary file in " +
                         std::filesystem::temp_directory_path().string() + ": " +
                         std::strerror(errno) + ".",
                     "Set TMPDIR to a writable folder.");
  }
  path_ = buffer.data();
}

TempFile::~TempFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
}

uint64_t copy_stdin_to(int input_fd, const TempFile& target) {
  std::vector<char> chunk(64 * 1024);
  uint64_t total = 0;
  for (;;) {
    const ssize_t count = ::read(input_fd, chunk.data(), chunk.size());
    if (count == 0) {
      break;
    }
    if (count < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw aai::Error(AAI_EXIT_FAILURE, "internal_error",
                       std::string("Reading standard input failed: ") + std::strerror(errno) + ".");
    }
    for (ssize_t written = 0; written < count;) {
      const ssize_t step = ::write(target.fd(), chunk.data() + written, count - written);
      if (step < 0 && errno != EINTR) {
        throw aai::Error(AAI_EXIT_FAILURE, "internal_error",
                         "Writing " + target.path() + " failed: " + std::strerror(errno) + ".",
                         "Free some space in the temp folder or set TMPDIR to another one.");
      }
      written += step > 0 ? step : 0;
    }
    total += static_cast<uint64_t>(count);
  }
  if (total == 0) {
    throw aai::Error(AAI_EXIT_USAGE, "empty_audio", "Standard input is empty.",
                     "Pipe audio into the command, as in `cat talk.mp3 | aai transcribe -`.");
  }
  return total;
}

}  // namespace transcribe
