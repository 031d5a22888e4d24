// Helpers shared by the host tests: temporary folders and an application with captured output.
#pragma once

#include "application.hpp"

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace aai::host::testing {

/// A fresh folder under the system temp folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_text(const std::filesystem::path& file);
void write_text(const std::filesystem::path& file, const std::string& text);

/// Returns the path of a fixture plugin built next to the tests, such as "fixture_good.so".
std::filesystem::path fixture(const std::string& file_name);

/// Creates `folder` with mode 0755, whatever the umask, so the loader's permission check passes.
void create_plugin_folder(const std::filesystem::path& folder);

/// Copies a plugin file to `target` with mode 0755, whatever the umask.
void copy_plugin(const std::filesystem::path& source, const std::filesystem::path& target);

/// An application whose stdout goes to a file and whose stderr goes to a string stream.
class TestApplication {
 public:
  /// Parses `args` as the words after `aai`; the config file lives in a temp folder.
  explicit TestApplication(const std::vector<std::string>& args = {});
  ~TestApplication();

  Application& app() { return *application_; }
  std::string out();
  std::string err() const { return messages_.str(); }
  const TempDir& dir() const { return dir_; }

  /// Loads the given fixture plugins, copied into one plugin folder in this order.
  void load_fixtures(const std::vector<std::string>& file_names);

  /// Runs the command and returns its exit code, reporting a CliError as main does.
  int run();

 private:
  TempDir dir_;
  std::ostringstream messages_;
  int stdout_fd_ = -1;
  std::unique_ptr<Application> application_;
};

}  // namespace aai::host::testing
