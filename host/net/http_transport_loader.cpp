#include "host/net/http_transport.hpp"

#include <dlfcn.h>

#include <string>

namespace aai::host {
namespace {

constexpr const char* kNetLibraryName = "libaai-net.so";

using CreateHttpTransportFunction = HttpTransport* (*)();

std::string last_dl_error() {
  const char* message = dlerror();
  return message != nullptr ? message : "unknown error";
}

}  // namespace

std::unique_ptr<HttpTransport> load_http_transport(const std::filesystem::path& library_dir) {
  const std::filesystem::path library_path = library_dir / kNetLibraryName;

  // The handle is never closed: the transport's code and vtable live in the library, and
  // objects created from it may outlive any scope that could own the handle.
  void* handle = dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    throw std::runtime_error("Failed to load the network library \"" + library_path.string() +
                             "\": " + last_dl_error());
  }

  dlerror();
  void* symbol = dlsym(handle, kCreateHttpTransportSymbol);
  if (symbol == nullptr) {
    throw std::runtime_error("The network library \"" + library_path.string() +
                             "\" does not export " + kCreateHttpTransportSymbol + ": " +
                             last_dl_error());
  }

  auto create = reinterpret_cast<CreateHttpTransportFunction>(symbol);
  HttpTransport* transport = create();
  if (transport == nullptr) {
    throw std::runtime_error("The network library \"" + library_path.string() +
                             "\" failed to create its HTTP transport.");
  }
  return std::unique_ptr<HttpTransport>(transport);
}

}  // namespace aai::host
