#include "server/captions.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

std::vector<Word> two_sentences() {
  return {{"He", 1230, 1500, 0.9, {}},
          {"was.", 1600, 2000, 0.9, {}},
          {"Not", 3000, 3400, 0.9, {}},
          {"ill.", 3450, 3723, 0.9, {}}};
}

TEST(CaptionsTest, FormatsSrtAndVttTimestamps) {
  EXPECT_EQ(format_timestamp(0, ','), "00:00:00,000");
  EXPECT_EQ(format_timestamp(3'723'045, ','), "01:02:03,045");
  EXPECT_EQ(format_timestamp(61'001, '.'), "00:01:01.001");
  EXPECT_EQ(format_timestamp(-5, '.'), "00:00:00.000");
}

TEST(CaptionsTest, MakesOneCaptionPerSentence) {
  auto captions = build_captions(two_sentences(), std::nullopt);

  ASSERT_EQ(captions.size(), 2u);
  EXPECT_EQ(captions[0].text, "He was.");
  EXPECT_EQ(captions[0].start_ms, 1230);
  EXPECT_EQ(captions[0].end_ms, 2000);
  EXPECT_EQ(captions[1].text, "Not ill.");
}

TEST(CaptionsTest, SplitsCaptionsAtCharsPerCaption) {
  auto captions = build_captions(two_sentences(), 4);

  ASSERT_EQ(captions.size(), 4u);
  EXPECT_EQ(captions[0].text, "He");
  EXPECT_EQ(captions[1].text, "was.");
  EXPECT_EQ(captions[1].start_ms, 1600);
}

TEST(CaptionsTest, RendersSrt) {
  auto srt = render_srt(build_captions(two_sentences(), std::nullopt));

  EXPECT_EQ(srt,
            "1\n00:00:01,230 --> 00:00:02,000\nHe was.\n\n"
            "2\n00:00:03,000 --> 00:00:03,723\nNot ill.\n\n");
}

TEST(CaptionsTest, RendersVtt) {
  auto vtt = render_vtt(build_captions(two_sentences(), std::nullopt));

  EXPECT_EQ(vtt,
            "WEBVTT\n\n00:00:01.230 --> 00:00:02.000\nHe was.\n\n"
            "00:00:03.000 --> 00:00:03.723\nNot ill.\n\n");
}

TEST(CaptionsTest, RendersEmptyVttForNoWords) {
  EXPECT_EQ(render_vtt(build_captions({}, std::nullopt)), "WEBVTT\n\n");
  EXPECT_EQ(render_srt(build_captions({}, std::nullopt)), "");
}

}  // namespace
}  // namespace aai::local
