#include "server/word_search.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

std::vector<Word> words() {
  return {{"He", 0, 100, 1, {}},     {"was", 100, 200, 1, {}}, {"a", 200, 300, 1, {}},
          {"man.", 300, 400, 1, {}}, {"A", 900, 950, 1, {}},   {"man", 950, 1000, 1, {}}};
}

TEST(WordSearchTest, CountsWordsIgnoringCaseAndPunctuation) {
  auto matches = search_words(words(), {"man"});

  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0]["text"], "man");
  EXPECT_EQ(matches[0]["count"], 2);
  EXPECT_EQ(matches[0]["indexes"], nlohmann::json({3, 5}));
  EXPECT_EQ(matches[0]["timestamps"], nlohmann::json({{300, 400}, {950, 1000}}));
}

TEST(WordSearchTest, MatchesPhrases) {
  auto matches = search_words(words(), {"a man", "nobody"});

  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0]["count"], 2);
  EXPECT_EQ(matches[0]["timestamps"], nlohmann::json({{200, 400}, {900, 1000}}));
  EXPECT_EQ(matches[1]["count"], 0);
  EXPECT_EQ(matches[1]["indexes"], nlohmann::json::array());
}

TEST(WordSearchTest, NormalizesWords) {
  EXPECT_EQ(normalize_word("Don't!"), "don't");
  EXPECT_EQ(normalize_word("..."), "");
}

}  // namespace
}  // namespace aai::local
