// Finds plugin files, checks them, loads them with Boost.DLL and runs their registration.
#pragma once

#include "application.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aai::host {

/// Returns the plugin folders in search order: `<exe dir>/../lib/aai/plugins`, each entry of
/// AAI_PLUGIN_PATH (colon-separated, empty entries ignored), then $XDG_DATA_HOME/aai/plugins
/// (default ~/.local/share/aai/plugins). The variables are passed as their values or NULL.
std::vector<std::filesystem::path> plugin_directories(const std::filesystem::path& executable_dir,
                                                      const char* aai_plugin_path,
                                                      const char* xdg_data_home, const char* home);

/// Returns the regular files ending in ".so" in `folder`, sorted by name; none when the folder
/// does not exist.
std::vector<std::filesystem::path> list_plugin_files(const std::filesystem::path& folder);

/// Returns why `file` cannot be a loadable shared library (not ELF, not a shared object,
/// truncated), or nullopt when its headers look sound.
std::optional<std::string> check_elf_file(const std::filesystem::path& file);

/// Loads one plugin file after checking, in order, its owner and permissions (see
/// check_plugin_file_permissions), its ELF headers, its entry point and its descriptor. On
/// success it records the plugin in the catalog and returns true. Otherwise it records the file
/// as skipped, prints one warning line naming the file and the reason, and returns false.
bool load_plugin(Application& application, const std::filesystem::path& file);

/// Loads every plugin file of every folder, in order. The same folder listed twice is searched
/// once.
void load_plugins(Application& application, const std::vector<std::filesystem::path>& folders);

}  // namespace aai::host
