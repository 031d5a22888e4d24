// The only symbol libaai-net.so exports: the factory that load_http_transport() looks up.
#include "host/net/cpprest_http_transport.hpp"

#include <new>

extern "C" __attribute__((visibility("default"))) aai::host::HttpTransport*
aai_net_create_http_transport() noexcept {
  // A null result tells the loader that creation failed, because no exception may leave
  // a function looked up with dlsym.
  try {
    return new aai::host::CpprestHttpTransport();
  } catch (...) {
    return nullptr;
  }
}
