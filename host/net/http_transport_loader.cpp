// Loads libaai-net.so on first use and creates its transports. Linked into the executable, which
// therefore never links cpprestsdk, Boost.Beast or OpenSSL itself.
#include "host/net/http_transport.hpp"

#include "host/net/websocket_transport.hpp"

#include <dlfcn.h>

#include <string>

namespace aai::host {
namespace {

constexpr const char* kNetLibraryName = "libaai-net.so";

std::string last_dl_error() {
  const char* message = dlerror();
  return message != nullptr ? message : "unknown error";
}

// Opens the library and returns the address of `symbol_name`. The handle is never closed: the
// transports' code and vtables live in the library, and objects created from it may outlive any
// scope that could own the handle.
void* find_factory(const std::filesystem::path& library_dir, const char* symbol_name) {
  const std::filesystem::path library_path = library_dir / kNetLibraryName;
  void* handle = dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    throw std::runtime_error("Failed to load the network library \"" + library_path.string() +
                             "\": " + last_dl_error());
  }

  dlerror();
  void* symbol = dlsym(handle, symbol_name);
  if (symbol == nullptr) {
    throw std::runtime_error("The network library \"" + library_path.string() +
                             "\" does not export " + symbol_name + ": " + last_dl_error());
  }
  return symbol;
}

template <typename Transport>
std::unique_ptr<Transport> create_transport(const std::filesystem::path& library_dir,
                                            const char* symbol_name, const char* description) {
  auto create = reinterpret_cast<Transport* (*)()>(find_factory(library_dir, symbol_name));
  Transport* transport = create();
  if (transport == nullptr) {
    throw std::runtime_error("The network library \"" + (library_dir / kNetLibraryName).string() +
                             "\" failed to create its " + description + ".");
  }
  return std::unique_ptr<Transport>(transport);
}

}  // namespace

std::unique_ptr<HttpTransport> load_http_transport(const std::filesystem::path& library_dir) {
  return create_transport<HttpTransport>(library_dir, kCreateHttpTransportSymbol, "HTTP transport");
}

std::unique_ptr<WebSocketTransport> load_websocket_transport(
    const std::filesystem::path& library_dir) {
  return create_transport<WebSocketTransport>(library_dir, kCreateWebSocketTransportSymbol,
                                              "WebSocket transport");
}

}  // namespace aai::host
