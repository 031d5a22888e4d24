#include "utterance_splitter.hpp"

#include <algorithm>
#include <cmath>

namespace aai::local {
namespace {

// Digital silence has no finite level; -96 dBFS is the quietest non-zero 16-bit level.
constexpr double kQuietestDb = -96.0;

double frame_level_db(const int16_t* samples, size_t count) {
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

}  // namespace

bool UtteranceSplitter::end_after_frame(const int16_t* samples, size_t count) {
  const double level_db = frame_level_db(samples, count);
  if (!has_floor_) {
    noise_floor_db_ = level_db;
    has_floor_ = true;
  }
  noise_floor_db_ = std::min(level_db, noise_floor_db_ + kFloorRiseDbPerFrame);

  ++utterance_frames_;
  pause_frames_ = level_db < noise_floor_db_ + kPauseMarginDb ? pause_frames_ + 1 : 0;

  const bool split =
      (utterance_frames_ >= kMinUtteranceFrames && pause_frames_ >= kPauseFramesToSplit) ||
      (utterance_frames_ >= kLongUtteranceFrames && pause_frames_ >= kShortPauseFrames) ||
      utterance_frames_ >= kMaxUtteranceFrames;
  if (split) {
    utterance_frames_ = 0;
    pause_frames_ = 0;
  }
  return split;
}

}  // namespace aai::local
