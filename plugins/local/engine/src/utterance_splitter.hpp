// Chooses where to end a pocketsphinx utterance, from the energy of 10 ms frames.
#pragma once

#include <cstddef>
#include <cstdint>

namespace aai::local {

// pocketsphinx's accuracy and memory use degrade on utterances of many seconds, so long audio
// is cut into utterances at pauses. A frame is a pause frame when its energy is within
// kPauseMarginDb of a tracked noise floor.
class UtteranceSplitter {
 public:
  static constexpr size_t kFrameSamples = 160;  // 10 ms at 16 kHz, pocketsphinx's frame rate.

  // Records one frame of up to kFrameSamples samples and returns true when the current
  // utterance should end after it. The caller then starts a new utterance.
  bool end_after_frame(const int16_t* samples, size_t count);

 private:
  static constexpr double kPauseMarginDb = 12.0;
  // How fast the floor may climb (dB per frame) when the audio gets louder, so a noise floor
  // that rises is followed within seconds but speech never becomes the floor.
  static constexpr double kFloorRiseDbPerFrame = 0.02;
  // Utterances shorter than this are never cut: short utterances lose language-model context.
  static constexpr size_t kMinUtteranceFrames = 500;
  static constexpr size_t kPauseFramesToSplit = 30;
  // Past this length, any short pause is taken.
  static constexpr size_t kLongUtteranceFrames = 2000;
  static constexpr size_t kShortPauseFrames = 10;
  // Speech without a single 100 ms pause for this long is cut mid-stream, possibly inside a word.
  static constexpr size_t kMaxUtteranceFrames = 6000;

  double noise_floor_db_ = 0.0;
  bool has_floor_ = false;
  size_t utterance_frames_ = 0;
  size_t pause_frames_ = 0;
};

}  // namespace aai::local
