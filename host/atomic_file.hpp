// Atomic replacement of small private files (config.ini, secrets.json): 0700 folders, 0600 files.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aai::host {

/// A failed step of write_private_file, with the errno value of the call that failed.
class PrivateFileError : public std::runtime_error {
 public:
  /// `step` names what failed ("writing", "replacing the file"); `folder` is set only when
  /// creating a folder failed.
  PrivateFileError(std::string step, int error_number, std::filesystem::path folder = {});

  const std::string& step() const { return step_; }
  int error_number() const { return error_number_; }
  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::string step_;
  int error_number_;
  std::filesystem::path folder_;
};

/// Creates every missing folder of `folder` with mode 0700; existing folders keep their mode.
/// Throws PrivateFileError naming the folder that could not be created.
void create_private_folders(const std::filesystem::path& folder);

/// Replaces `path` with `text` so that readers see the old file or the new one, never a part:
/// writes a 0600 temporary file in the same folder, fsyncs it, renames it over `path` and fsyncs
/// the folder. Creates missing folders with mode 0700. Throws PrivateFileError and leaves no
/// temporary file behind.
void write_private_file(const std::filesystem::path& path, std::string_view text);

}  // namespace aai::host
