// Decides where a turn of live speech starts and ends, from the energy of 10 ms frames.
#pragma once

#include <cstddef>
#include <cstdint>

#include "aai_local/streaming_recognizer.hpp"

namespace aai::local {

// A frame is speech when its level is above a tracked noise floor by a margin set by
// vad_threshold. A turn opens after kSpeechFramesToOpen speech frames in a row and ends on
// trailing silence as TurnSettings describes.
class TurnDetector {
 public:
  enum class Decision {
    kContinue,
    // The open turn ends after this frame.
    kEndTurn,
    // No turn is open and the utterance has held only silence for a long time, so the decoder
    // may restart it to keep it short.
    kRestartUtterance,
  };

  static constexpr size_t kFrameSamples = 160;  // 10 ms at 16 kHz.
  static constexpr int64_t kFrameMs = 10;

  explicit TurnDetector(const TurnSettings& settings) : settings_(settings) {}

  void set_settings(const TurnSettings& settings) { settings_ = settings; }

  // Records one frame and returns what the decoder should do after it.
  Decision add_frame(const int16_t* samples, size_t count);

  bool in_turn() const { return in_turn_; }

  // The trailing silence divided by max_turn_silence_ms, clamped to 0..1.
  double end_of_turn_confidence() const;

  // Closes the open turn (after kEndTurn, or when the caller ends it on request) and starts
  // counting a new utterance.
  void reset();

 private:
  static constexpr double kFullScaleMarginDb = 30.0;
  static constexpr double kFloorRiseDbPerFrame = 0.02;
  static constexpr size_t kSpeechFramesToOpen = 5;
  // A turn longer than this (60 s) ends at the next frame, because pocketsphinx's accuracy and
  // memory use degrade on long utterances.
  static constexpr size_t kMaxTurnFrames = 6000;
  // Ten seconds of silence outside a turn restart the utterance.
  static constexpr size_t kIdleFramesToRestart = 1000;

  TurnSettings settings_;
  double noise_floor_db_ = 0.0;
  bool has_floor_ = false;
  bool in_turn_ = false;
  size_t speech_run_ = 0;
  size_t silence_run_ = 0;
  size_t turn_frames_ = 0;
  size_t idle_frames_ = 0;
};

}  // namespace aai::local
