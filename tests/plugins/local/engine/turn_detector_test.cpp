#include "turn_detector.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace aai::local {
namespace {

using Decision = TurnDetector::Decision;
constexpr size_t kFrame = TurnDetector::kFrameSamples;

std::vector<int16_t> tone_frame(double amplitude) {
  std::vector<int16_t> frame(kFrame);
  for (size_t i = 0; i < kFrame; ++i) {
    frame[i] = static_cast<int16_t>(amplitude * std::sin(2.0 * M_PI * 440.0 * i / 16000.0));
  }
  return frame;
}

// Feeds `count` copies of `frame` and returns the 1-based frame numbers that ended a turn.
std::vector<size_t> feed(TurnDetector& detector, const std::vector<int16_t>& frame, size_t count) {
  std::vector<size_t> ends;
  for (size_t i = 0; i < count; ++i) {
    if (detector.add_frame(frame.data(), frame.size()) == Decision::kEndTurn) {
      ends.push_back(i + 1);
      detector.reset();
    }
  }
  return ends;
}

class TurnDetectorTest : public ::testing::Test {
 protected:
  const std::vector<int16_t> quiet_ = tone_frame(30.0);
  const std::vector<int16_t> loud_ = tone_frame(8000.0);
};

TEST_F(TurnDetectorTest, OpensTurnOnSpeech) {
  TurnDetector detector(TurnSettings{});
  feed(detector, quiet_, 50);
  EXPECT_FALSE(detector.in_turn());
  feed(detector, loud_, 4);
  EXPECT_FALSE(detector.in_turn());
  feed(detector, loud_, 1);
  EXPECT_TRUE(detector.in_turn());
}

TEST_F(TurnDetectorTest, EndsAtConfidenceThresholdWithDefaults) {
  // Defaults: threshold 0.4 of max 1280 ms is 512 ms, which is past min_turn_silence (400 ms),
  // so the 52nd silent frame ends the turn.
  TurnDetector detector(TurnSettings{});
  feed(detector, quiet_, 50);
  feed(detector, loud_, 100);
  EXPECT_EQ(feed(detector, quiet_, 100), std::vector<size_t>{52});
}

TEST_F(TurnDetectorTest, EndsAtMinSilenceWhenThresholdIsLow) {
  TurnSettings settings;
  settings.end_of_turn_confidence_threshold = 0.0;
  settings.min_turn_silence_ms = 300;
  TurnDetector detector(settings);
  feed(detector, quiet_, 50);
  feed(detector, loud_, 100);
  EXPECT_EQ(feed(detector, quiet_, 100), std::vector<size_t>{30});
}

TEST_F(TurnDetectorTest, EndsAtMaxSilenceWhenThresholdIsOne) {
  TurnSettings settings;
  settings.end_of_turn_confidence_threshold = 1.0;
  settings.max_turn_silence_ms = 700;
  TurnDetector detector(settings);
  feed(detector, quiet_, 50);
  feed(detector, loud_, 100);
  EXPECT_EQ(feed(detector, quiet_, 100), std::vector<size_t>{70});
}

TEST_F(TurnDetectorTest, ReportsSilenceShareAsConfidence) {
  TurnDetector detector(TurnSettings{});
  feed(detector, quiet_, 50);
  feed(detector, loud_, 100);
  feed(detector, quiet_, 32);
  EXPECT_NEAR(detector.end_of_turn_confidence(), 320.0 / 1280.0, 1e-9);
}

TEST_F(TurnDetectorTest, HigherVadThresholdIgnoresQuietSpeech) {
  const std::vector<int16_t> soft = tone_frame(300.0);  // 20 dB above the quiet frames.
  TurnSettings strict_settings;
  strict_settings.vad_threshold = 0.9;
  TurnDetector strict(strict_settings);
  feed(strict, quiet_, 50);
  feed(strict, soft, 20);
  EXPECT_FALSE(strict.in_turn());

  TurnDetector lenient(TurnSettings{});
  feed(lenient, quiet_, 50);
  feed(lenient, soft, 20);
  EXPECT_TRUE(lenient.in_turn());
}

TEST_F(TurnDetectorTest, RestartsUtteranceAfterLongSilence) {
  TurnDetector detector(TurnSettings{});
  size_t restarts = 0;
  for (size_t i = 0; i < 2500; ++i) {
    if (detector.add_frame(quiet_.data(), quiet_.size()) == Decision::kRestartUtterance) {
      ++restarts;
    }
  }
  EXPECT_EQ(restarts, 2u);
}

}  // namespace
}  // namespace aai::local
