#include "server/query_string.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

TEST(QueryStringTest, SplitsPathAndQuery) {
  auto target = parse_target("/v2/transcript/abc/word-search?words=a%20man,boy&x=1+2&flag");

  EXPECT_EQ(target.path, "/v2/transcript/abc/word-search");
  EXPECT_EQ(target.query.at("words"), "a man,boy");
  EXPECT_EQ(target.query.at("x"), "1 2");
  EXPECT_EQ(target.query.at("flag"), "");
}

TEST(QueryStringTest, KeepsFirstValueOfRepeatedName) {
  EXPECT_EQ(parse_target("/?a=1&a=2").query.at("a"), "1");
}

TEST(QueryStringTest, KeepsInvalidEscapes) {
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz"), "%zz");
}

TEST(QueryStringTest, EncodesReservedBytes) {
  EXPECT_EQ(percent_encode("a b/c-d"), "a%20b%2Fc-d");
}

}  // namespace
}  // namespace aai::local
