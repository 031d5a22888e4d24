#include "atomic_file.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace aai::host {

namespace fs = std::filesystem;

PrivateFileError::PrivateFileError(std::string step, int error_number, fs::path folder)
    : std::runtime_error(step + ": " + std::strerror(error_number)),
      step_(std::move(step)),
      error_number_(error_number),
      folder_(std::move(folder)) {}

void create_private_folders(const fs::path& folder) {
  std::error_code ignored;
  if (folder.empty() || fs::exists(folder, ignored)) {
    return;
  }
  create_private_folders(folder.parent_path());
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    throw PrivateFileError("creating the folder", errno, folder);
  }
}

namespace {

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written < 0) {
      throw PrivateFileError("writing", errno);
    }
    text.remove_prefix(static_cast<size_t>(written));
  }
}

}  // namespace

void write_private_file(const fs::path& path, std::string_view text) {
  fs::path folder = path.parent_path();
  create_private_folders(folder);
  std::string temp_path = (folder / (path.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(temp_path.data());  // mkstemp creates the file with mode 0600
  if (fd < 0) {
    throw PrivateFileError("creating a temporary file", errno);
  }
  try {
    write_all(fd, text);
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
      throw PrivateFileError("syncing", errno);
    }
  } catch (const PrivateFileError&) {
    ::close(fd);
    ::unlink(temp_path.c_str());
    throw;
  }
  if (::close(fd) != 0 || ::rename(temp_path.c_str(), path.c_str()) != 0) {
    PrivateFileError error("replacing the file", errno);
    ::unlink(temp_path.c_str());
    throw error;
  }
  int folder_fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (folder_fd >= 0) {
    // Makes the rename itself durable; a failure here leaves a correct file, so it is ignored.
    ::fsync(folder_fd);
    ::close(folder_fd);
  }
}

}  // namespace aai::host
