// The user's config file (INI, read with inih): loaded on first use, written atomically.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aai::host {

/// Returns $XDG_CONFIG_HOME/aai/config.ini, or ~/.config/aai/config.ini when XDG_CONFIG_HOME is
/// unset or empty. `xdg_config_home` and `home` are the variables' values or NULL.
std::filesystem::path default_config_path(const char* xdg_config_home, const char* home);

class ConfigStore {
 public:
  explicit ConfigStore(std::filesystem::path path);

  const std::filesystem::path& path() const { return path_; }

  /// Returns the value, or nullopt when unset. Loads the file on first use and throws CliError
  /// exit 2 `invalid_config` naming the path and line when it does not parse.
  std::optional<std::string> get(const std::string& section, const std::string& key);

  /// Returns a pointer to the stored value, valid until the next set, or nullptr when unset.
  const std::string* find(const std::string& section, const std::string& key);

  /// Sets (or with nullopt removes) a value and rewrites the file atomically: a 0600 temporary
  /// file in the same folder, fsync, rename. Creates the folder with mode 0700. Throws CliError
  /// exit 2 `invalid_config` for a value INI cannot hold, exit 1 `config_error` when writing
  /// fails. A file that does not parse is never overwritten (the load throws first).
  void set(const std::string& section, const std::string& key,
           const std::optional<std::string>& value);

  /// Returns every (section, key, value) in file order.
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> entries();

 private:
  struct Section {
    std::string name;
    std::vector<std::pair<std::string, std::string>> values;
  };

  void load();
  Section* find_section(const std::string& name);
  std::string serialize() const;
  void write_atomically(const std::string& text) const;

  std::filesystem::path path_;
  bool loaded_ = false;
  std::vector<Section> sections_;
};

}  // namespace aai::host
