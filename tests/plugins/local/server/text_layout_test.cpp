#include "server/text_layout.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

std::vector<Word> sample_words() {
  return {{"he", 0, 200, 0.9, {}},       {"was", 250, 400, 0.8, {}},
          {"here", 450, 700, 0.7, {}},   {"i", 1600, 1700, 0.6, {}},
          {"left", 1750, 2000, 0.5, {}}, {"later", 4500, 5000, 1.0, {}}};
}

TEST(TextLayoutTest, SplitsSentencesOnPauses) {
  auto sentences = split_on_pauses(sample_words(), kSentencePauseMs);

  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(join_text(sentences[0]), "he was here");
  EXPECT_EQ(join_text(sentences[1]), "i left");
  EXPECT_EQ(join_text(sentences[2]), "later");
}

TEST(TextLayoutTest, SplitsParagraphsOnLongerPauses) {
  auto paragraphs = split_on_pauses(sample_words(), kParagraphPauseMs);

  ASSERT_EQ(paragraphs.size(), 2u);
  EXPECT_EQ(join_text(paragraphs[0]), "he was here i left");
  EXPECT_EQ(join_text(paragraphs[1]), "later");
}

TEST(TextLayoutTest, ReturnsNoRunsForNoWords) {
  EXPECT_TRUE(split_on_pauses({}, kSentencePauseMs).empty());
}

TEST(TextLayoutTest, CapitalisesAndPunctuatesSentences) {
  auto words = sample_words();

  format_words(words, true, true);

  EXPECT_EQ(join_text(words), "He was here. I left. Later.");
}

TEST(TextLayoutTest, LeavesWordsAloneWhenFormattingIsOff) {
  auto words = sample_words();

  format_words(words, false, false);

  EXPECT_EQ(join_text(words), "he was here i left later");
}

TEST(TextLayoutTest, PunctuatesWithoutCapitalising) {
  auto words = sample_words();

  format_words(words, false, true);

  EXPECT_EQ(join_text(words), "he was here. i left. later.");
}

TEST(TextLayoutTest, AveragesConfidence) {
  auto confidence = mean_confidence({{"a", 0, 1, 0.5, {}}, {"b", 2, 3, 1.0, {}}});

  ASSERT_TRUE(confidence.has_value());
  EXPECT_DOUBLE_EQ(*confidence, 0.75);
  EXPECT_FALSE(mean_confidence({}).has_value());
}

TEST(TextLayoutTest, BuildsSegmentShape) {
  std::vector<Word> words = {{"Hi.", 100, 300, 0.5, std::string("A")}};

  auto segment = segment_to_json(words, true);

  EXPECT_EQ(segment["text"], "Hi.");
  EXPECT_EQ(segment["start"], 100);
  EXPECT_EQ(segment["end"], 300);
  EXPECT_EQ(segment["confidence"], 0.5);
  EXPECT_EQ(segment["speaker"], "A");
  EXPECT_TRUE(segment["channel"].is_null());
  ASSERT_EQ(segment["words"].size(), 1u);
  EXPECT_EQ(segment["words"][0]["speaker"], "A");
}

TEST(TextLayoutTest, OmitsSpeakerFromParagraphShape) {
  auto segment = segment_to_json({{"x", 0, 1, 1.0, {}}}, false);

  EXPECT_FALSE(segment.contains("speaker"));
}

}  // namespace
}  // namespace aai::local
