// Where the local emulator keeps its data; shared by the plugin and the server, header only so the
// plugin links no server code.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>

namespace aai::local {

/// Default data folder: $XDG_DATA_HOME/aai/local, or ~/.local/share/aai/local when XDG_DATA_HOME
/// is unset, empty or relative (the XDG base directory rules ignore relative paths). Returns
/// nullopt when neither variable gives a usable path.
inline std::optional<std::filesystem::path> default_data_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && xdg[0] == '/') {
    return std::filesystem::path(xdg) / "aai" / "local";
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') {
    return std::filesystem::path(home) / ".local" / "share" / "aai" / "local";
  }
  return std::nullopt;
}

}  // namespace aai::local
