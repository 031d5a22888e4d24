// Finds plugin files, checks them, loads them with Boost.DLL and runs their registration.
#pragma once

#include "application.hpp"
#include "installed_plugins.hpp"
#include "plugin_policy.hpp"

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

/// Returns `<exe dir>/../lib/aai/plugins`, the folder of aai's own plugins.
std::filesystem::path builtin_plugin_folder(const std::filesystem::path& executable_dir);

/// Returns $XDG_DATA_HOME/aai/plugins, or ~/.local/share/aai/plugins when XDG_DATA_HOME is unset
/// or empty: the folder `aai plugins install` writes to.
std::filesystem::path user_plugin_folder(const char* xdg_data_home, const char* home);

/// Checks the loader makes before it loads a file, besides permissions and ELF headers.
struct PluginLoadRules {
  /// The administrator's policy; State::none checks nothing.
  PolicyReading policy;
  /// The folder whose plugins still load while the policy file is invalid.
  std::filesystem::path builtin_folder;
  /// The folder whose installed.json records the SHA-256 of each installed plugin.
  std::filesystem::path user_folder;
  /// Whether a plugin whose manifest summarises every command is listed from the manifest instead
  /// of loaded (see describe_plugin). Only the main help, which runs no plugin command, sets it.
  bool describe_from_manifests = false;
};

/// Returns the rules of this process: the policy from AAI_SYSTEM_CONFIG_DIR (default /etc/aai),
/// the built-in folder beside /proc/self/exe, and the user folder from XDG_DATA_HOME and HOME.
PluginLoadRules plugin_load_rules_from_environment();

/// Returns the regular files ending in ".so" in `folder`, sorted by name; none when the folder
/// does not exist.
std::vector<std::filesystem::path> list_plugin_files(const std::filesystem::path& folder);

/// Returns why `file` cannot be a loadable shared library (not ELF, not a shared object,
/// truncated), or nullopt when its headers look sound.
std::optional<std::string> check_elf_file(const std::filesystem::path& file);

/// The checks of one file that depend on where it lies: its install record and the policy.
struct PluginFileChecks {
  /// The policy to apply, or nullptr for none.
  const PolicyReading* policy = nullptr;
  /// The folder of aai's own plugins, which still load while the policy is invalid, and whether
  /// the file lies in it.
  std::filesystem::path builtin_folder;
  bool in_builtin_folder = false;
  /// The file's record in installed.json, whose SHA-256 the file must still have, or nullptr.
  const InstalledPlugin* record = nullptr;
};

/// Loads one plugin file after checking, in order, its owner and permissions (see
/// check_plugin_file_permissions), its SHA-256 against its install record, its ELF headers, the
/// policy, its entry point and its descriptor. The record and the policy are decided without
/// running the file's code. On success it records the plugin in the catalog and returns true.
/// Otherwise it records the file as skipped, prints one warning line naming the file and the
/// reason, and returns false.
bool load_plugin(Application& application, const std::filesystem::path& file,
                 const PluginFileChecks& checks = {});

/// Runs the checks of load_plugin that need none of the file's code, then lists the plugin and
/// its commands from its manifest without loading it, when the manifest is valid, summarises
/// every command, names an ABI this host loads and carries the name a policy allowed. Otherwise
/// it falls back to load_plugin. A failed check skips the file as load_plugin does.
bool describe_plugin(Application& application, const std::filesystem::path& file,
                     const PluginFileChecks& checks = {});

/// Loads every plugin file of every folder, in order, under `rules`, and stores the rules'
/// policy and folders in the catalog. The same folder listed twice is searched once. An invalid
/// policy and an unreadable installed.json each print one warning line.
void load_plugins(Application& application, const std::vector<std::filesystem::path>& folders,
                  const PluginLoadRules& rules);

/// Loads every plugin file of every folder under plugin_load_rules_from_environment().
void load_plugins(Application& application, const std::vector<std::filesystem::path>& folders);

}  // namespace aai::host
