#include "server/extractive_responder.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

TEST(ExtractiveResponderTest, AnswersWithoutMaterial) {
  EXPECT_EQ(extractive_answer("Summarize."), kNoMaterialAnswer);
  EXPECT_EQ(extractive_answer("Summarize.\n\nTranscript:\n"), kNoMaterialAnswer);
}

TEST(ExtractiveResponderTest, QuotesMatchingSentence) {
  std::string input =
      "When is the review?\n\nTranscript:\nThe weather is nice. The budget review moved to "
      "Tuesday at noon. Lunch was good.";

  EXPECT_EQ(extractive_answer(input), "The budget review moved to Tuesday at noon.");
}

TEST(ExtractiveResponderTest, ListsFirstSentencesWhenNoneMatch) {
  std::string input = "List the action items.\n\nThe budget review moved to Tuesday at noon.";

  EXPECT_EQ(extractive_answer(input), "- The budget review moved to Tuesday at noon.");
}

TEST(ExtractiveResponderTest, KeepsBestThreeInOriginalOrder) {
  std::string input =
      "What about the cats and dogs and birds?\n\nDogs bark. Fish swim. Cats purr and dogs "
      "play. Birds sing. Trees grow.";

  EXPECT_EQ(extractive_answer(input), "Dogs bark. Cats purr and dogs play. Birds sing.");
}

TEST(ExtractiveResponderTest, PrefersEarlierSentenceOnTie) {
  std::string input = "Tell me about the cats.\n\nA cat sat. A cat ran. A cat slept. A cat ate.";

  EXPECT_EQ(extractive_answer(input), "A cat sat. A cat ran. A cat slept.");
}

TEST(ExtractiveResponderTest, SummaryFavoursFrequentWords) {
  std::string input =
      "Summarize.\n\nHello all. The launch slipped. The launch needs tests. Lunch is at one. "
      "Tests block the launch. Goodbye.";

  EXPECT_EQ(extractive_answer(input),
            "The launch slipped. The launch needs tests. Tests block the launch.");
}

TEST(ExtractiveResponderTest, DropsFileHeaders) {
  EXPECT_EQ(split_sentences("===== notes.md =====\nFirst one. Second one!\n\nThird"),
            (std::vector<std::string>{"First one.", "Second one!", "Third"}));
}

TEST(ExtractiveResponderTest, StemsAndDropsStopWords) {
  EXPECT_EQ(content_words("The meetings moved to Tuesday's slot"),
            (std::vector<std::string>{"meet", "mov", "tuesday", "slot"}));
}

}  // namespace
}  // namespace aai::local
