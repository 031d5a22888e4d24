// The symbols libaai-net.so exports: the factories that the host's loader looks up.
#include "host/net/beast_websocket_transport.hpp"
#include "host/net/cpprest_http_transport.hpp"

#include <new>

// A null result tells the loader that creation failed, because no exception may leave a
// function looked up with dlsym.
extern "C" __attribute__((visibility("default"))) aai::host::HttpTransport*
aai_net_create_http_transport() noexcept {
  try {
    return new aai::host::CpprestHttpTransport();
  } catch (...) {
    return nullptr;
  }
}

extern "C" __attribute__((visibility("default"))) aai::host::WebSocketTransport*
aai_net_create_websocket_transport() noexcept {
  try {
    return new aai::host::BeastWebSocketTransport();
  } catch (...) {
    return nullptr;
  }
}
