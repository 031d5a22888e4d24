// The record of the plugins `aai plugins install` put into the user plugin folder: installed.json
// in that folder, with each plugin's name, version, SHA-256 and source path.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace aai::host {

/// Name of the record file inside the user plugin folder. The loader reads only *.so files, so
/// the record is never taken for a plugin.
constexpr const char* kInstalledPluginsFileName = "installed.json";

/// One installed plugin. Its file is always NAME.so in the record's folder, so a record cannot
/// point at a file anywhere else.
struct InstalledPlugin {
  std::string name;
  std::string version;
  /// SHA-256 of the file as installed, 64 lower-case hexadecimal digits.
  std::string sha256;
  /// Absolute path of the file it was installed from.
  std::string source;

  /// Returns NAME.so.
  std::string file_name() const { return name + ".so"; }
};

/// The record file is not valid JSON or breaks a rule of its format; the message is the reason.
class InvalidInstalledPlugins : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Returns `folder`/installed.json.
std::filesystem::path installed_plugins_path(const std::filesystem::path& folder);

/// Parses a record file's text: {"format": 1, "plugins": [{"name", "version", "sha256",
/// "source"}, ...]}. Throws InvalidInstalledPlugins for text that is not that, for an invalid
/// name or digest, and for a name listed twice.
std::vector<InstalledPlugin> parse_installed_plugins(const std::string& text);

/// Returns the text of a record file for `plugins`, sorted by name, ending in a newline.
std::string format_installed_plugins(std::vector<InstalledPlugin> plugins);

/// Reads `folder`/installed.json; a missing file gives an empty list. Throws
/// InvalidInstalledPlugins for a file that cannot be read or parsed, naming the file.
std::vector<InstalledPlugin> read_installed_plugins(const std::filesystem::path& folder);

/// Replaces `folder`/installed.json atomically (mode 0600, see write_private_file). Throws
/// PrivateFileError.
void write_installed_plugins(const std::filesystem::path& folder,
                             const std::vector<InstalledPlugin>& plugins);

/// Returns the plugin named `name`, or nullptr.
const InstalledPlugin* find_installed(const std::vector<InstalledPlugin>& plugins,
                                      const std::string& name);

}  // namespace aai::host
