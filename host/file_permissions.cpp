#include "file_permissions.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

// Quotes `path` for a POSIX shell when it contains anything but common file name characters, so
// the suggested command can be pasted as it is.
std::string shell_word(const fs::path& path) {
  const std::string text = path.string();
  bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::strchr("_./+:@%,=-", c) != nullptr;
  });
  if (plain) {
    return text;
  }
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Checks one path. `subject` is how the reason names it: "it", "its folder /p".
std::optional<std::string> check_path(const std::string& subject, const PathStatus& status,
                                      uid_t current_uid) {
  if (status.owner != current_uid && status.owner != 0) {
    std::string owners = current_uid == 0
                             ? std::string("root")
                             : "you (user " + std::to_string(current_uid) + ") or root";
    std::string chown = current_uid == 0 ? "chown" : "sudo chown";
    return subject + " is owned by user " + std::to_string(status.owner) + ", not by " + owners +
           "; if you trust it, run `" + chown + " " + std::to_string(current_uid) + " " +
           shell_word(status.path) + "`";
  }
  // Group write is refused even when the group is the user's private group, as under umask 002,
  // because telling such a group apart needs the group database and one chmod fixes the mode.
  if ((status.mode & (S_IWGRP | S_IWOTH)) != 0) {
    return subject + " is writable by group or others (mode " + octal_mode(status.mode) +
           "); run `chmod go-w " + shell_word(status.path) + "`";
  }
  return std::nullopt;
}

std::string errno_text(int error) {
  return std::strerror(error);
}

std::optional<PathStatus> stat_path(const fs::path& path, std::string& error) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    error = errno_text(errno);
    return std::nullopt;
  }
  return PathStatus{path, info.st_uid, info.st_mode};
}

// Returns the folder that contains `file`, or "." for a bare file name.
fs::path folder_of(const fs::path& file) {
  fs::path folder = file.parent_path();
  return folder.empty() ? fs::path(".") : folder;
}

}  // namespace

std::optional<std::string> find_permission_problem(const PluginFileStatus& status,
                                                   uid_t current_uid) {
  std::string file_subject = status.is_symlink ? "its target " + status.file.path.string() : "it";
  if (auto problem = check_path(file_subject, status.file, current_uid)) {
    return problem;
  }
  if (auto problem =
          check_path("its folder " + status.folder.path.string(), status.folder, current_uid)) {
    return problem;
  }
  if (status.target_folder) {
    return check_path("its target's folder " + status.target_folder->path.string(),
                      *status.target_folder, current_uid);
  }
  return std::nullopt;
}

// NOTE: only the folder that contains the file (and the target's folder) is checked, not the
// folders above it, and the loader opens the file by path after this check. An account that can
// write to a parent folder could still swap the plugin folder in between.
std::optional<std::string> check_plugin_file_permissions(const fs::path& file) {
  PluginFileStatus status;
  std::string error;
  struct stat link_info {};
  if (::lstat(file.c_str(), &link_info) != 0) {
    return "could not check its permissions: " + errno_text(errno);
  }
  status.is_symlink = S_ISLNK(link_info.st_mode);
  status.file = {file, link_info.st_uid, link_info.st_mode};

  fs::path folder = folder_of(file);
  auto folder_status = stat_path(folder, error);
  if (!folder_status) {
    return "could not check the permissions of its folder " + folder.string() + ": " + error;
  }
  status.folder = *folder_status;

  if (status.is_symlink) {
    // The link's own mode means nothing on Linux. What loads is the target, and an account that
    // can write to the target's folder can replace it, so both are checked.
    std::error_code resolve_error;
    fs::path target = fs::canonical(file, resolve_error);
    if (resolve_error) {
      return "could not resolve its symbolic link: " + resolve_error.message();
    }
    auto target_status = stat_path(target, error);
    if (!target_status) {
      return "could not check the permissions of its target " + target.string() + ": " + error;
    }
    status.file = *target_status;
    fs::path target_folder = folder_of(target);
    fs::path listing_folder = fs::canonical(folder, resolve_error);
    if (resolve_error || target_folder != listing_folder) {
      auto target_folder_status = stat_path(target_folder, error);
      if (!target_folder_status) {
        return "could not check the permissions of its target's folder " + target_folder.string() +
               ": " + error;
      }
      status.target_folder = *target_folder_status;
    }
  }
  return find_permission_problem(status, ::geteuid());
}

}  // namespace aai::host
