// What plugin loading found: the plugins that loaded and the files that were skipped, and why.
#pragma once

#include "plugin_policy.hpp"

#include <aai/plugin.h>

#include <filesystem>
#include <string>
#include <vector>

namespace aai::host {

struct LoadedPlugin {
  std::string name;
  std::string version;
  std::string summary;
  aai_abi_version_t abi_version{};
  std::filesystem::path file;
  std::vector<std::string> commands;
  /// Whether the plugin was listed from its manifest without being loaded (main help only).
  bool described_by_manifest = false;
};

struct SkippedPlugin {
  std::filesystem::path file;
  std::string reason;
};

struct PluginCatalog {
  std::vector<LoadedPlugin> loaded;
  std::vector<SkippedPlugin> skipped;

  /// The plugin policy the loader applied, and its file.
  PolicyReading policy;
  /// The folder of aai's own plugins, which still load while the policy file is invalid.
  std::filesystem::path builtin_folder;
  /// The folder `aai plugins install` writes to, whose installed.json the loader checks.
  std::filesystem::path user_folder;

  const LoadedPlugin* find(const std::string& name) const {
    for (const auto& plugin : loaded) {
      if (plugin.name == name) {
        return &plugin;
      }
    }
    return nullptr;
  }
};

}  // namespace aai::host
