#include "secrets/secret_wipe.hpp"

#include <string.h>

namespace aai::host {

void wipe_bytes(void* data, std::size_t size) {
  if (data != nullptr && size > 0) {
    ::explicit_bzero(data, size);
  }
}

void wipe_string(std::string& text) {
  wipe_bytes(text.data(), text.size());
  text.clear();
}

}  // namespace aai::host
