#include "aai_local/wer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace aai::local {
namespace {

using Words = std::vector<std::string>;

TEST(WerTest, NormalizesCasePunctuationAndHyphens) {
  EXPECT_EQ(normalize_words("He was not an ill-disposed, young MAN!"),
            (Words{"he", "was", "not", "an", "ill", "disposed", "young", "man"}));
}

TEST(WerTest, KeepsApostrophesInsideWords) {
  EXPECT_EQ(normalize_words("Don't  stop."), (Words{"don't", "stop"}));
}

TEST(WerTest, ReturnsZeroForIdenticalText) {
  EXPECT_DOUBLE_EQ(word_error_rate("Hello, world.", "hello world"), 0.0);
}

TEST(WerTest, CountsSubstitutionInsertionAndDeletion) {
  EXPECT_EQ(word_edit_distance({"a", "b", "c"}, {"a", "x", "c"}), 1u);
  EXPECT_EQ(word_edit_distance({"a", "b", "c"}, {"a", "b", "c", "d"}), 1u);
  EXPECT_EQ(word_edit_distance({"a", "b", "c"}, {"a", "c"}), 1u);
  EXPECT_EQ(word_edit_distance({"a", "b"}, {}), 2u);
}

TEST(WerTest, DividesEditsByReferenceLength) {
  EXPECT_DOUBLE_EQ(word_error_rate("one two three four", "one too three"), 0.5);
}

TEST(WerTest, ExceedsOneWhenHypothesisHasExtraWords) {
  EXPECT_DOUBLE_EQ(word_error_rate("yes", "yes no maybe"), 2.0);
}

TEST(WerTest, HandlesEmptyReference) {
  EXPECT_DOUBLE_EQ(word_error_rate("", ""), 0.0);
  EXPECT_DOUBLE_EQ(word_error_rate(" .", "words"), 1.0);
}

}  // namespace
}  // namespace aai::local
