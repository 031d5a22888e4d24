// Decides whether a plugin file may be loaded, from who owns it and its folder and who may write
// to them. Loading a library runs its code, so a file that another user can replace must not load.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace aai::host {

/// Owner and mode of one path, as stat(2) reports them.
struct PathStatus {
  std::filesystem::path path;
  uid_t owner = 0;
  mode_t mode = 0;
};

/// Owners and modes the permission check reads for one plugin file.
struct PluginFileStatus {
  /// The file that would be loaded: for a symbolic link, its resolved target.
  PathStatus file;

  /// The folder that lists the file. For a symbolic link, the folder that contains the link.
  PathStatus folder;

  bool is_symlink = false;

  /// For a symbolic link whose target lies in another folder: that folder.
  std::optional<PathStatus> target_folder;
};

/// Returns why `status` makes the plugin unsafe to load, or nullopt when it is safe. A path is
/// unsafe when group or others may write to it (mode & 022), or when it is owned by neither
/// `current_uid` nor root. The file is checked first, then the folder, then the target's folder,
/// and the first problem is returned with the command that fixes it.
std::optional<std::string> find_permission_problem(const PluginFileStatus& status,
                                                   uid_t current_uid);

/// Reads the owner and mode of `file`, its folder and, for a symbolic link, its resolved target
/// and the target's folder. Returns the reason the file is unsafe, or nullopt when it is safe,
/// for the effective user id of this process. A path that cannot be read is unsafe too.
std::optional<std::string> check_plugin_file_permissions(const std::filesystem::path& file);

}  // namespace aai::host
