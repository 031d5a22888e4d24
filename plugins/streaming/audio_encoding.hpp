// Turns 16-bit samples into the bytes of one binary frame: PCM16LE or G.711 mu-law.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace streaming {

/// Encodes one sample as G.711 mu-law (ITU-T G.711, with the usual bias of 0x84 and clipping at
/// 32635).
uint8_t mulaw_encode(int16_t sample);

/// Returns the frame's bytes: two little-endian bytes per sample, or one mu-law byte.
std::string encode_frame(const int16_t* samples, size_t count, bool mulaw);

}  // namespace streaming
