#include "user_environment_file.hpp"

#include <aai/plugin.hpp>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace env_registry {

namespace fs = std::filesystem;

namespace {

// inih reads at most this many characters of a line (INI_MAX_LINE is 200 with the NUL in
// Debian's libinih 55).
constexpr size_t kMaxLineSize = 199;

aai::Error folder_error(const fs::path& folder, const std::string& reason) {
  return aai::Error(AAI_EXIT_FAILURE, "config_error",
                    "Could not create the folder " + folder.string() + ": " + reason + ".",
                    "Check that its parent folder is writable.");
}

aai::Error file_error(const fs::path& file, const std::string& step, int error_number) {
  return aai::Error(
      AAI_EXIT_FAILURE, "config_error",
      "Could not write " + file.string() + " (" + step + "): " + std::strerror(error_number) + ".",
      "Check that the folder " + file.parent_path().string() + " is writable.");
}

// Creates `folder` with `mode` after creating its missing parents with 0700. An existing folder
// keeps its mode.
void create_folder(const fs::path& folder, mode_t mode) {
  std::error_code error;
  if (fs::is_directory(folder, error)) {
    return;
  }
  if (folder.has_parent_path() && folder.parent_path() != folder) {
    create_folder(folder.parent_path(), 0700);
  }
  if (::mkdir(folder.c_str(), mode) != 0) {
    int error_number = errno;
    if (error_number == EEXIST && fs::is_directory(folder, error)) {
      return;
    }
    throw folder_error(folder, error_number == EEXIST ? "a file of that name exists"
                                                      : std::strerror(error_number));
  }
  // mkdir applies the umask, so the mode is set again to be exactly `mode`.
  if (::chmod(folder.c_str(), mode) != 0) {
    throw folder_error(folder, std::strerror(errno));
  }
}

void write_all(int fd, const std::string& text) {
  size_t written = 0;
  while (written < text.size()) {
    ssize_t count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      throw std::system_error(errno, std::generic_category());
    }
    written += static_cast<size_t>(count);
  }
}

}  // namespace

void require_writable_value(const std::string& option, const std::string& key,
                            const std::string& value) {
  if (value.find_first_of("\r\n") != std::string::npos) {
    throw aai::usage_error("Invalid " + option + ": a value cannot contain a line break.",
                           "Put the value on one line.");
  }
  const std::string quoted = "Invalid " + option + " '" + value + "': ";
  if (!value.empty() && (value.front() == ' ' || value.front() == '\t' || value.back() == ' ' ||
                         value.back() == '\t')) {
    throw aai::usage_error(
        quoted + "a value cannot start or end with a space or tab, because INI drops them.",
        "Remove the spaces at the start and end.");
  }
  if (value.find(" ;") != std::string::npos || value.find("\t;") != std::string::npos) {
    throw aai::usage_error(quoted +
                               "a value cannot contain ';' after a space or tab, because inih "
                               "reads the rest as a comment.",
                           "Remove the space before ';'.");
  }
  if (key.size() + 3 + value.size() > kMaxLineSize) {
    throw aai::usage_error("Invalid " + option + ": the line '" + key +
                               " = ...' would be longer than " + std::to_string(kMaxLineSize) +
                               " characters, which inih cannot read.",
                           "Shorten the value.");
  }
}

std::string format_environment_file(
    const std::string& name, const std::string& summary,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string text = "# Written by `aai env add`. Edit it, or delete it with `aai env remove " +
                     name + "`.\n[" + name + "]\n";
  if (!summary.empty()) {
    text += "summary = " + summary + "\n";
  }
  for (const auto& [key, value] : fields) {
    text += key + " = " + value + "\n";
  }
  return text;
}

void write_environment_file(const fs::path& file, const std::string& text) {
  const fs::path folder = file.parent_path();
  create_folder(folder, 0755);

  std::string temporary = (folder / ("." + file.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    throw file_error(file, "creating a temporary file", errno);
  }
  std::string step = "writing";
  try {
    write_all(fd, text);
    step = "setting its mode";
    if (::fchmod(fd, 0644) != 0) {
      throw std::system_error(errno, std::generic_category());
    }
    step = "syncing it to disk";
    if (::fsync(fd) != 0) {
      throw std::system_error(errno, std::generic_category());
    }
    step = "closing it";
    int closed = ::close(fd);
    fd = -1;
    if (closed != 0) {
      throw std::system_error(errno, std::generic_category());
    }
    step = "replacing the file";
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
      throw std::system_error(errno, std::generic_category());
    }
  } catch (const std::system_error& error) {
    if (fd >= 0) {
      ::close(fd);
    }
    ::unlink(temporary.c_str());
    throw file_error(file, step, error.code().value());
  }

  // The rename is durable only once the folder is synced. The file is complete either way, so a
  // failure here is not reported.
  int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd >= 0) {
    ::fsync(folder_fd);
    ::close(folder_fd);
  }
}

void remove_environment_file(const fs::path& file) {
  if (::unlink(file.c_str()) != 0) {
    int error_number = errno;
    throw aai::Error(AAI_EXIT_FAILURE, "config_error",
                     "Could not remove " + file.string() + ": " + std::strerror(error_number) + ".",
                     "Check that the folder " + file.parent_path().string() + " is writable.");
  }
}

}  // namespace env_registry
