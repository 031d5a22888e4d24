#include "turn_detector.hpp"

#include <algorithm>

#include "frame_level.hpp"

namespace aai::local {

TurnDetector::Decision TurnDetector::add_frame(const int16_t* samples, size_t count) {
  const double level_db = frame_level_db(samples, count);
  if (!has_floor_) {
    noise_floor_db_ = level_db;
    has_floor_ = true;
  }
  noise_floor_db_ = std::min(level_db, noise_floor_db_ + kFloorRiseDbPerFrame);
  const double margin_db = kFullScaleMarginDb * settings_.vad_threshold;
  const bool speech = level_db > noise_floor_db_ + margin_db;
  speech_run_ = speech ? speech_run_ + 1 : 0;
  silence_run_ = speech ? 0 : silence_run_ + 1;

  if (!in_turn_) {
    if (speech_run_ >= kSpeechFramesToOpen) {
      in_turn_ = true;
      turn_frames_ = speech_run_;
      idle_frames_ = 0;
      return Decision::kContinue;
    }
    ++idle_frames_;
    if (idle_frames_ >= kIdleFramesToRestart && silence_run_ >= kSpeechFramesToOpen) {
      idle_frames_ = 0;
      return Decision::kRestartUtterance;
    }
    return Decision::kContinue;
  }

  ++turn_frames_;
  const int64_t silence_ms = static_cast<int64_t>(silence_run_) * kFrameMs;
  const bool confident = silence_ms >= settings_.min_turn_silence_ms &&
                         end_of_turn_confidence() >= settings_.end_of_turn_confidence_threshold;
  if (confident || silence_ms >= settings_.max_turn_silence_ms || turn_frames_ >= kMaxTurnFrames) {
    return Decision::kEndTurn;
  }
  return Decision::kContinue;
}

double TurnDetector::end_of_turn_confidence() const {
  if (settings_.max_turn_silence_ms <= 0) {
    return 1.0;
  }
  const double silence_ms = static_cast<double>(silence_run_) * kFrameMs;
  return std::clamp(silence_ms / static_cast<double>(settings_.max_turn_silence_ms), 0.0, 1.0);
}

void TurnDetector::reset() {
  in_turn_ = false;
  speech_run_ = 0;
  silence_run_ = 0;
  turn_frames_ = 0;
  idle_frames_ = 0;
}

}  // namespace aai::local
