#include "test_support.hpp"

#include "builtin_commands.hpp"
#include "plugin_loader.hpp"

#include <fstream>
#include <random>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace aai::host::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device random;
  path_ = fs::temp_directory_path() / ("aai-host-test-" + std::to_string(random()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code error;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, error);
  fs::remove_all(path_, error);
}

std::string read_text(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream stream(file, std::ios::binary);
  stream << text;
}

fs::path fixture(const std::string& file_name) {
  return fs::path(AAI_TEST_FIXTURE_DIR) / file_name;
}

// Mode 0755: writable by the owner only, as the plugin loader requires.
constexpr fs::perms kPluginMode = fs::perms::owner_all | fs::perms::group_read |
                                  fs::perms::group_exec | fs::perms::others_read |
                                  fs::perms::others_exec;

void create_plugin_folder(const fs::path& folder) {
  fs::create_directories(folder);
  fs::permissions(folder, kPluginMode);
}

void copy_plugin(const fs::path& source, const fs::path& target) {
  fs::copy_file(source, target, fs::copy_options::overwrite_existing);
  fs::permissions(target, kPluginMode);
}

TestApplication::TestApplication(const std::vector<std::string>& args) {
  stdout_fd_ = ::open((dir_.path() / "stdout").c_str(), O_CREAT | O_RDWR | O_TRUNC, 0600);
  application_ = std::make_unique<Application>(parse_global_options(args),
                                               dir_.path() / "config" / "aai" / "config.ini",
                                               messages_, stdout_fd_);
  register_builtin_commands(*application_);
}

TestApplication::~TestApplication() {
  ::close(stdout_fd_);
}

std::string TestApplication::out() {
  return read_text(dir_.path() / "stdout");
}

void TestApplication::load_fixtures(const std::vector<std::string>& file_names) {
  fs::path folder = dir_.path() / "plugins";
  create_plugin_folder(folder);
  for (size_t i = 0; i < file_names.size(); ++i) {
    // A numeric prefix keeps the requested order, since the loader sorts by name.
    fs::path target = folder / (std::to_string(10 + i) + "-" + file_names[i]);
    copy_plugin(fixture(file_names[i]), target);
  }
  load_plugins(*application_, {folder});
}

int TestApplication::run() {
  try {
    return application_->run();
  } catch (const CliError& error) {
    application_->report(error);
    return error.exit_code();
  }
}

}  // namespace aai::host::testing
