// The sources of environments and their merge: the built-in table < compiled-in files < the
// system folder < the user's folder. A later definition of a name replaces an earlier one as a
// whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiled_in_environments.hpp"
#include "environment_definition.hpp"
#include "environment_file.hpp"

namespace env_registry {

/// Files larger than this are skipped with a warning instead of read (1 MiB).
inline constexpr std::uintmax_t kMaxEnvironmentFileSize = 1024 * 1024;

/// The result of reading a folder or a file; `error` is empty on success.
struct FolderListing {
  std::vector<std::filesystem::path> files;
  std::string error;
};
struct FileText {
  std::string text;
  std::string error;
};

/// Reads environment folders; the plugin uses the real file system and tests a fake.
class EnvironmentFiles {
 public:
  virtual ~EnvironmentFiles() = default;

  /// Lists the files of `folder` whose names end in ".ini" and do not start with '.', sorted by
  /// name in byte order. A folder that does not exist has no files and no error.
  virtual FolderListing list(const std::filesystem::path& folder) = 0;

  /// Reads a whole file; a file larger than kMaxEnvironmentFileSize is an error.
  virtual FileText read(const std::filesystem::path& file) = 0;
};

/// EnvironmentFiles on the real file system.
class DiskEnvironmentFiles : public EnvironmentFiles {
 public:
  FolderListing list(const std::filesystem::path& folder) override;
  FileText read(const std::filesystem::path& file) override;
};

/// Returns the system folder: $AAI_SYSTEM_CONFIG_DIR/aai/environments.d when the variable is
/// set and not empty (for tests and packagers), else /etc/aai/environments.d.
std::filesystem::path system_environment_folder(const char* system_config_dir);

/// Returns the user's folder: environments.d next to config.ini, which is
/// $XDG_CONFIG_HOME/aai/environments.d (~/.config/aai/environments.d).
std::filesystem::path user_environment_folder(const std::filesystem::path& config_file);

/// The environments that the sources define.
struct EnvironmentCatalog {
  /// The definition each name ends up with, in the order the names first appeared.
  std::vector<EnvironmentDefinition> merged;

  /// Every valid definition of every source, in source order.
  std::vector<EnvironmentDefinition> all;

  /// One line per skipped file, environment or key, for Host::warn.
  std::vector<std::string> warnings;

  /// One line per definition that replaced an earlier one, for the -v log.
  std::vector<std::string> replacements;
};

/// The sources to merge, in order.
struct EnvironmentSources {
  std::vector<EnvironmentDefinition> built_in;
  std::vector<EmbeddedFile> compiled_in;
  std::filesystem::path system_folder;
  std::filesystem::path user_folder;
};

/// Loads and merges the sources. A folder or file that cannot be read is a warning and adds
/// nothing; everything else still loads.
EnvironmentCatalog load_environments(const EnvironmentSources& sources, EnvironmentFiles& files,
                                     const VariableLookup& lookup);

/// Returns the label and origin of a compiled-in file: "acme.ini (compiled in)" and "compiled in
/// from acme.ini".
FileSettings compiled_in_settings(std::string_view name, VariableLookup lookup);

}  // namespace env_registry
