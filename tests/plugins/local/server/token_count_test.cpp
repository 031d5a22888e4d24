#include "server/token_count.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

TEST(TokenCountTest, RoundsBytesUpToTokens) {
  EXPECT_EQ(count_tokens(""), 0U);
  EXPECT_EQ(count_tokens("a"), 1U);
  EXPECT_EQ(count_tokens("abcd"), 1U);
  EXPECT_EQ(count_tokens("abcde"), 2U);
  EXPECT_EQ(count_tokens("\xC3\xA9t\xC3\xA9"), 2U);
}

TEST(TokenCountTest, KeepsTextThatFits) {
  TrimmedText result = trim_to_tokens("one two", 2);

  EXPECT_EQ(result.text, "one two");
  EXPECT_FALSE(result.trimmed);
}

TEST(TokenCountTest, CutsAtLastWholeWord) {
  TrimmedText result = trim_to_tokens("one two three four", 3);

  EXPECT_EQ(result.text, "one two");
  EXPECT_TRUE(result.trimmed);
  EXPECT_LE(count_tokens(result.text), 3U);
}

TEST(TokenCountTest, CutsLongFirstWordAtCharacter) {
  TrimmedText result = trim_to_tokens("\xC3\xA9\xC3\xA9\xC3\xA9 x", 1);

  EXPECT_EQ(result.text, "\xC3\xA9\xC3\xA9");
  EXPECT_TRUE(result.trimmed);
}

}  // namespace
}  // namespace aai::local
