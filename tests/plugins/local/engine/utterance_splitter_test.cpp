#include "utterance_splitter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace aai::local {
namespace {

constexpr size_t kFrame = UtteranceSplitter::kFrameSamples;

std::vector<int16_t> tone_frame(double amplitude) {
  std::vector<int16_t> frame(kFrame);
  for (size_t i = 0; i < kFrame; ++i) {
    frame[i] = static_cast<int16_t>(amplitude * std::sin(2.0 * M_PI * 440.0 * i / 16000.0));
  }
  return frame;
}

// Feeds `count` copies of `frame` and returns the 1-based frame numbers after which it split.
std::vector<size_t> feed(UtteranceSplitter& splitter, const std::vector<int16_t>& frame,
                         size_t count, size_t first_number = 1) {
  std::vector<size_t> splits;
  for (size_t i = 0; i < count; ++i) {
    if (splitter.end_after_frame(frame.data(), frame.size())) {
      splits.push_back(first_number + i);
    }
  }
  return splits;
}

TEST(UtteranceSplitterTest, KeepsShortUtteranceWhole) {
  UtteranceSplitter splitter;
  const auto quiet = tone_frame(30.0);
  const auto loud = tone_frame(8000.0);

  EXPECT_TRUE(feed(splitter, quiet, 50).empty());
  EXPECT_TRUE(feed(splitter, loud, 200).empty());
  EXPECT_TRUE(feed(splitter, quiet, 100).empty());
}

TEST(UtteranceSplitterTest, SplitsAtPauseAfterFiveSeconds) {
  UtteranceSplitter splitter;
  const auto quiet = tone_frame(30.0);
  const auto loud = tone_frame(8000.0);
  feed(splitter, quiet, 10);
  feed(splitter, loud, 600);

  const auto splits = feed(splitter, quiet, 100, 611);

  ASSERT_EQ(splits.size(), 1u);
  EXPECT_EQ(splits.front(), 640u);
}

TEST(UtteranceSplitterTest, CutsSpeechWithoutPausesAtSixtySeconds) {
  UtteranceSplitter splitter;
  const auto quiet = tone_frame(30.0);
  const auto loud = tone_frame(8000.0);
  const auto softer = tone_frame(2000.0);
  feed(splitter, quiet, 10);

  // Speech-like: the level dips every 60 ms but never stays low for 100 ms.
  std::vector<size_t> splits;
  for (size_t number = 11; number <= 6500; number += 6) {
    for (size_t split : feed(splitter, loud, 5, number)) {
      splits.push_back(split);
    }
    for (size_t split : feed(splitter, softer, 1, number + 5)) {
      splits.push_back(split);
    }
  }

  ASSERT_EQ(splits.size(), 1u);
  EXPECT_EQ(splits.front(), 6000u);
}

TEST(UtteranceSplitterTest, SplitsDigitalSilenceAfterSpeech) {
  UtteranceSplitter splitter;
  const std::vector<int16_t> silence(kFrame, 0);
  const auto loud = tone_frame(8000.0);
  feed(splitter, silence, 10);
  feed(splitter, loud, 600);

  EXPECT_EQ(feed(splitter, silence, 30, 611), std::vector<size_t>{640});
}

}  // namespace
}  // namespace aai::local
