#include "audio_library.hpp"

#include <aai/plugin.hpp>

#include <dlfcn.h>

#include <memory>
#include <string>

namespace streaming {
namespace {

constexpr const char* kLibraryName = "libaai-stream-audio.so";

using CreateBackendFunction = AudioBackend* (*)();

std::string last_dl_error() {
  const char* message = dlerror();
  return message != nullptr ? message : "unknown error";
}

[[noreturn]] void throw_missing(const std::filesystem::path& path, const std::string& reason) {
  throw aai::Error(AAI_EXIT_FAILURE, "missing_dependency",
                   "Could not load the audio library " + path.string() + ": " + reason,
                   "Reinstall aai; the library ships next to its plugins.");
}

}  // namespace

std::filesystem::path default_audio_library_path() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&default_audio_library_path), &info) == 0 ||
      info.dli_fname == nullptr) {
    return kLibraryName;
  }
  const std::filesystem::path module(info.dli_fname);
  return module.parent_path().parent_path() / "streaming" / kLibraryName;
}

AudioBackend& load_audio_backend(const std::filesystem::path& path) {
  // Kept for the life of the process: objects the backend creates have their code in the
  // library, and the library is never closed.
  static std::unique_ptr<AudioBackend> backend;
  if (backend) {
    return *backend;
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    throw_missing(path, last_dl_error());
  }
  dlerror();
  void* symbol = dlsym(handle, kCreateAudioBackendSymbol);
  if (symbol == nullptr) {
    throw_missing(path, std::string("it does not export ") + kCreateAudioBackendSymbol);
  }
  AudioBackend* created = reinterpret_cast<CreateBackendFunction>(symbol)();
  if (created == nullptr) {
    throw_missing(path, "it failed to create its backend");
  }
  backend.reset(created);
  return *backend;
}

}  // namespace streaming
