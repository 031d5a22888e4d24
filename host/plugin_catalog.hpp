// What plugin loading found: the plugins that loaded and the files that were skipped, and why.
#pragma once

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
};

struct SkippedPlugin {
  std::filesystem::path file;
  std::string reason;
};

struct PluginCatalog {
  std::vector<LoadedPlugin> loaded;
  std::vector<SkippedPlugin> skipped;

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
