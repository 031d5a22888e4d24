#include "server/random_token.hpp"

#include <random>

namespace aai::local {

std::string random_hex(size_t byte_count) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::random_device device;
  std::string hex;
  hex.reserve(byte_count * 2);
  while (hex.size() < byte_count * 2) {
    unsigned int bits = device();
    for (int nibble = 0; nibble < 8 && hex.size() < byte_count * 2; ++nibble) {
      hex += kDigits[bits & 0xF];
      bits >>= 4;
    }
  }
  return hex;
}

}  // namespace aai::local
