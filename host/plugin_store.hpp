// Installs plugin files into the user plugin folder, removes them and verifies them against the
// SHA-256 recorded in installed.json: the logic behind `aai plugins install/remove/verify`.
#pragma once

#include "installed_plugins.hpp"
#include "plugin_catalog.hpp"
#include "plugin_policy.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace aai::host {

/// A command aai already has, which an installed plugin may not collide with.
struct ExistingCommand {
  std::string name;
  /// Empty for a command built into aai.
  std::string plugin_name;
  std::filesystem::path plugin_file;
};

/// Outcome of loading a plugin file once, as the loader does.
struct TrialLoad {
  bool loaded = false;
  /// Reason it did not load, when `loaded` is false.
  std::string reason;
  /// The descriptor's name and the registered commands, when `loaded` is true.
  std::string name;
  std::vector<std::string> commands;
};

/// Everything the store needs to know about the running aai; tests fill it by hand.
struct PluginStoreContext {
  /// The user plugin folder that plugins are installed into.
  std::filesystem::path folder;
  /// The folder of aai's own plugins, named in messages.
  std::filesystem::path builtin_folder;
  PolicyReading policy;
  std::vector<ExistingCommand> commands;
  /// The plugins loaded at start-up.
  std::vector<LoadedPlugin> loaded;
  /// Loads a file the way the loader does and reports the outcome; must not throw.
  std::function<TrialLoad(const std::filesystem::path&)> trial_load;
};

/// The outcome of a successful install.
struct InstallResult {
  InstalledPlugin plugin;
  /// The installed file, FOLDER/NAME.so.
  std::filesystem::path file;
  /// The commands the plugin registered when it was loaded once.
  std::vector<std::string> commands;
};

/// Installs the plugin file `source` as FOLDER/NAME.so, NAME being its manifest's name. The file
/// must pass the ELF check, carry a valid manifest for this ABI, be allowed by the policy, not
/// reuse the name of a plugin loaded from elsewhere, and not collide with an existing command.
/// A NAME already installed is replaced only when `force` is set. The copy is written to a
/// temporary file in the folder and loaded once before it is renamed into place, so a failed
/// install leaves the folder and installed.json as they were. Throws CliError.
InstallResult install_plugin(const PluginStoreContext& context, const std::string& source,
                             bool force);

/// Removes the installed plugin `name`: its file and its record. Returns the removed record.
/// Throws CliError: usage_error for a name that is not installed, not_installed for a plugin
/// that is loaded from a file `aai plugins install` did not write.
InstalledPlugin remove_plugin(const PluginStoreContext& context, const std::string& name);

/// The state of one installed file compared with its record.
struct VerifiedPlugin {
  enum class Status {
    ok,
    changed,
    missing,
    /// The file exists but could not be read. `problem` contains the reason.
    unreadable,
  };

  InstalledPlugin plugin;
  std::filesystem::path file;
  Status status = Status::ok;
  /// The file's SHA-256 now, when it could be read.
  std::string sha256;
  std::string problem;
};

/// Returns "ok", "changed", "missing" or "unreadable".
const char* status_name(VerifiedPlugin::Status status);

/// Computes the SHA-256 of every file recorded in FOLDER/installed.json and compares it with
/// the record, in name order. Throws CliError when the record cannot be read or libnettle cannot
/// be loaded.
std::vector<VerifiedPlugin> verify_plugins(const std::filesystem::path& folder);

}  // namespace aai::host
