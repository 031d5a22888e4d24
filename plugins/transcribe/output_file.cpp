#include "output_file.hpp"

#include <aai/plugin.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

namespace transcribe {
namespace {

std::filesystem::path folder_of(const std::string& path) {
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return folder.empty() ? std::filesystem::path(".") : folder;
}

[[noreturn]] void throw_bad_path(const std::string& message) {
  throw aai::Error(AAI_EXIT_USAGE, "save_transcript_path", message,
                   "Pass --out a file path in an existing, writable folder.");
}

}  // namespace

void check_output_path(const std::string& path) {
  std::error_code error;
  if (path.empty() || path.back() == '/' || std::filesystem::is_directory(path, error)) {
    throw_bad_path("--out '" + path + "' is a folder, not a file.");
  }
  const std::filesystem::path folder = folder_of(path);
  if (!std::filesystem::is_directory(folder, error)) {
    throw_bad_path("The folder of --out '" + path + "' does not exist: " + folder.string());
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw_bad_path("The folder of --out '" + path + "' is not writable: " + folder.string());
  }
}

void write_file_atomically(const std::string& path, const std::string& content) {
  std::string pattern = (folder_of(path) / ".aai-out-XXXXXX").string();
  std::vector<char> temp(pattern.begin(), pattern.end());
  temp.push_back('\0');
  const int fd = ::mkstemp(temp.data());
  bool ok = fd >= 0;
  for (size_t written = 0; ok && written < content.size();) {
    const ssize_t step = ::write(fd, content.data() + written, content.size() - written);
    ok = step > 0 || (step < 0 && errno == EINTR);
    written += step > 0 ? static_cast<size_t>(step) : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved_errno = errno;
  if (fd >= 0) {
    // mkstemp creates the file with mode 0600, so apply the mode a new file gets under the umask.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    ::close(fd);
  }
  if (!ok || std::rename(temp.data(), path.c_str()) != 0) {
    const int reason = ok ? errno : saved_errno;
    if (fd >= 0) {
      ::unlink(temp.data());
    }
    throw aai::Error(AAI_EXIT_FAILURE, "save_transcript_path",
                     "Could not write --out '" + path + "': " + std::strerror(reason) + ".",
                     "Check the free space and permissions of its folder.");
  }
}

}  // namespace transcribe
