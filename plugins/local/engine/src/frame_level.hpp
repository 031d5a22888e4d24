// The level of a frame of PCM16 audio, for the energy-based pause and turn detectors.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace aai::local {

// Digital silence has no finite level; -96 dBFS is the quietest non-zero 16-bit level.
inline constexpr double kQuietestDb = -96.0;

inline double frame_level_db(const int16_t* samples, size_t count) {
  if (count == 0) {
    return kQuietestDb;
  }
  double sum_squares = 0.0;
  for (size_t i = 0; i < count; ++i) {
    const double sample = samples[i] / 32768.0;
    sum_squares += sample * sample;
  }
  const double mean_square = sum_squares / static_cast<double>(count);
  return std::max(kQuietestDb, 10.0 * std::log10(mean_square + 1e-12));
}

}  // namespace aai::local
