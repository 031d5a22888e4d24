#include "config_store.hpp"

#include "atomic_file.hpp"
#include "cli_error.hpp"

#include <ini.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

// inih reads at most this many characters of a line (INI_MAX_LINE in Debian's libinih 55), so
// longer lines would be cut off when the file is read back.
constexpr size_t kMaxLineSize = 199;

CliError write_error(const fs::path& path, const PrivateFileError& error) {
  if (!error.folder().empty()) {
    return CliError(1, "config_error",
                    "Could not create the folder " + error.folder().string() + ": " +
                        std::strerror(error.error_number()) + ".",
                    "Check that its parent folder is writable.");
  }
  return CliError(1, "config_error",
                  "Could not write the config file " + path.string() + ": " + error.what() + ".",
                  "Check that the folder " + path.parent_path().string() + " is writable.");
}

void check_storable(const std::string& section, const std::string& key, const std::string& value) {
  auto bad = [](const std::string& text, const char* characters) {
    return text.find_first_of(characters) != std::string::npos;
  };
  if (section.empty() || bad(section, "[]\r\n;#")) {
    throw usage_error("Invalid config section '" + section + "'.",
                      "Use letters, digits, '.', '-' and '_'.");
  }
  if (key.empty() || bad(key, "=:[]\r\n;# ")) {
    throw usage_error("Invalid config key '" + key + "'.",
                      "Use letters, digits, '.', '-' and '_'.");
  }
  if (bad(value, "\r\n") || value.find(" ;") != std::string::npos ||
      value.find("\t;") != std::string::npos) {
    throw CliError(2, "invalid_config",
                   "The value for " + section + "." + key +
                       " contains a line break or a ';' after a space, which INI cannot store.",
                   "Remove the line break or the space before ';'.");
  }
  if (key.size() + 3 + value.size() > kMaxLineSize) {
    throw CliError(2, "invalid_config",
                   "The value for " + section + "." + key + " is too long for the config file.",
                   "Keep each line under " + std::to_string(kMaxLineSize + 1) + " characters.");
  }
}

}  // namespace

fs::path default_config_path(const char* xdg_config_home, const char* home) {
  if (xdg_config_home != nullptr && *xdg_config_home != '\0') {
    return fs::path(xdg_config_home) / "aai" / "config.ini";
  }
  return fs::path(home != nullptr ? home : "") / ".config" / "aai" / "config.ini";
}

ConfigStore::ConfigStore(fs::path path) : path_(std::move(path)) {}

void ConfigStore::load() {
  if (loaded_) {
    return;
  }
  std::ifstream file(path_, std::ios::binary);
  std::stringstream text;
  if (file) {
    text << file.rdbuf();
  }
  std::vector<Section> sections;
  auto handler = [](void* user, const char* section, const char* name, const char* value) {
    auto& parsed = *static_cast<std::vector<Section>*>(user);
    if (parsed.empty() || parsed.back().name != section) {
      parsed.push_back({section, {}});
    }
    parsed.back().values.emplace_back(name, value);
    return 1;
  };
  int result = ini_parse_string(text.str().c_str(), handler, &sections);
  if (result > 0) {
    throw CliError(
        2, "invalid_config",
        "The config file " + path_.string() + " is invalid at line " + std::to_string(result) + ".",
        "Fix that line or remove the file; aai does not change a file it cannot read.");
  }
  sections_ = std::move(sections);
  loaded_ = true;
}

ConfigStore::Section* ConfigStore::find_section(const std::string& name) {
  for (auto& section : sections_) {
    if (section.name == name) {
      return &section;
    }
  }
  return nullptr;
}

const std::string* ConfigStore::find(const std::string& section, const std::string& key) {
  load();
  const std::string* found = nullptr;
  // inih reports a section once per run of lines, so a section may appear twice; the last
  // value of a key wins, as when the file is read top to bottom.
  for (const auto& entry : sections_) {
    if (entry.name != section) {
      continue;
    }
    for (const auto& [name, value] : entry.values) {
      if (name == key) {
        found = &value;
      }
    }
  }
  return found;
}

std::optional<std::string> ConfigStore::get(const std::string& section, const std::string& key) {
  const std::string* value = find(section, key);
  return value != nullptr ? std::optional<std::string>(*value) : std::nullopt;
}

void ConfigStore::set(const std::string& section, const std::string& key,
                      const std::optional<std::string>& value) {
  load();
  if (value) {
    check_storable(section, key, *value);
  }
  for (auto& entry : sections_) {
    if (entry.name == section) {
      std::erase_if(entry.values, [&](const auto& pair) { return pair.first == key; });
    }
  }
  if (value) {
    Section* target = find_section(section);
    if (target == nullptr) {
      target = &sections_.emplace_back(Section{section, {}});
    }
    target->values.emplace_back(key, *value);
  }
  std::erase_if(sections_, [](const Section& entry) { return entry.values.empty(); });
  write_atomically(serialize());
}

std::vector<std::pair<std::string, std::pair<std::string, std::string>>> ConfigStore::entries() {
  load();
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> result;
  for (const auto& section : sections_) {
    for (const auto& [key, value] : section.values) {
      result.push_back({section.name, {key, value}});
    }
  }
  return result;
}

std::string ConfigStore::serialize() const {
  // Comments and blank lines of a hand-edited file are not kept: inih reports only values.
  std::string text;
  for (const auto& section : sections_) {
    text += (text.empty() ? "[" : "\n[") + section.name + "]\n";
    for (const auto& [key, value] : section.values) {
      text += key + " = " + value + "\n";
    }
  }
  return text;
}

void ConfigStore::write_atomically(const std::string& text) const {
  try {
    write_private_file(path_, text);
  } catch (const PrivateFileError& error) {
    throw write_error(path_, error);
  }
}

}  // namespace aai::host
