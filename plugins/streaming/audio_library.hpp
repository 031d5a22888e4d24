// Loads libaai-stream-audio.so, the companion library with libsndfile and PortAudio, on first use.
#pragma once

#include <filesystem>

#include "audio_backend.hpp"

namespace streaming {

/// Path of the companion library: `../streaming/libaai-stream-audio.so` relative to the folder
/// of the file that contains this code (the plugin module), found with dladdr.
std::filesystem::path default_audio_library_path();

/// Returns the backend of the library at `path`, loading it on the first call; later calls
/// return the same backend whatever the path. The library stays loaded until the process exits.
/// Throws aai::Error missing_dependency (exit 1) naming the file when it cannot be loaded.
AudioBackend& load_audio_backend(const std::filesystem::path& path = default_audio_library_path());

}  // namespace streaming
