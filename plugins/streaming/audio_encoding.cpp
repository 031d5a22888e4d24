#include "audio_encoding.hpp"

#include <bit>

namespace streaming {

uint8_t mulaw_encode(int16_t sample) {
  constexpr int kBias = 0x84;
  constexpr int kClip = 32635;
  int magnitude = sample;
  uint8_t sign = 0;
  if (magnitude < 0) {
    sign = 0x80;
    magnitude = -magnitude;
  }
  magnitude = (magnitude > kClip ? kClip : magnitude) + kBias;
  // The segment (exponent) is the position of the highest set bit above bit 7; the bias
  // guarantees bit 7 or higher is set.
  const int exponent = std::bit_width(static_cast<unsigned>(magnitude >> 7)) - 1;
  const int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
  return static_cast<uint8_t>(~(sign | (exponent << 4) | mantissa));
}

std::string encode_frame(const int16_t* samples, size_t count, bool mulaw) {
  std::string bytes;
  bytes.reserve(mulaw ? count : count * 2);
  for (size_t i = 0; i < count; ++i) {
    if (mulaw) {
      bytes += static_cast<char>(mulaw_encode(samples[i]));
    } else {
      const auto value = static_cast<uint16_t>(samples[i]);
      bytes += static_cast<char>(value & 0xFF);
      bytes += static_cast<char>(value >> 8);
    }
  }
  return bytes;
}

}  // namespace streaming
