// Unguessable random strings for one-time tokens, sessions and minted API keys.
#pragma once

#include <cstddef>
#include <string>

namespace aai::local {

/// Returns `byte_count` bytes from std::random_device (the kernel's random source on Linux with
/// libstdc++) as lowercase hex, two characters per byte.
std::string random_hex(size_t byte_count);

}  // namespace aai::local
