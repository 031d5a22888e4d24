#include "utterance_splitter.hpp"

#include "frame_level.hpp"

namespace aai::local {

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
