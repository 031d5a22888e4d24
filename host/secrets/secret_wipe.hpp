// Overwriting secret bytes before their memory is freed, so they do not linger on the heap.
#pragma once

#include <cstddef>
#include <string>

namespace aai::host {

/// Overwrites `size` bytes at `data` with zeros in a way the compiler may not drop.
void wipe_bytes(void* data, std::size_t size);

/// Overwrites the string's characters with zeros, then empties it.
void wipe_string(std::string& text);

}  // namespace aai::host
