#include "sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

struct Collected {
  std::vector<std::string> events;
  aai::llm::SseParser parser{[this](const std::string& data) { events.push_back(data); }};
};

TEST(SseParserTest, ReadsEventsEndedByBlankLines) {
  Collected collected;

  collected.parser.feed("data: one\n\ndata: two\n\n");

  ASSERT_EQ(collected.events.size(), 2u);
  EXPECT_EQ(collected.events[0], "one");
  EXPECT_EQ(collected.events[1], "two");
  EXPECT_FALSE(collected.parser.done());
}

TEST(SseParserTest, ReadsCrLfLineEnds) {
  Collected collected;

  collected.parser.feed("data: one\r\n\r\ndata: two\r\n\r\n");

  ASSERT_EQ(collected.events.size(), 2u);
  EXPECT_EQ(collected.events[0], "one");
  EXPECT_EQ(collected.events[1], "two");
}

TEST(SseParserTest, JoinsEventsSplitAcrossPieces) {
  const std::string body =
      "data: {\"a\":1}\r\n\r\n: note\r\ndata: {\"b\":2}\r\n\r\ndata: [DONE]\r\n\r\n";
  // Every split point, including one between "\r" and "\n", must give the same events.
  for (size_t split = 0; split <= body.size(); ++split) {
    Collected collected;

    collected.parser.feed(body.substr(0, split));
    collected.parser.feed(body.substr(split));

    ASSERT_EQ(collected.events.size(), 2u) << "split at " << split;
    EXPECT_EQ(collected.events[0], "{\"a\":1}") << "split at " << split;
    EXPECT_EQ(collected.events[1], "{\"b\":2}") << "split at " << split;
    EXPECT_TRUE(collected.parser.done()) << "split at " << split;
  }
}

TEST(SseParserTest, ReadsOneByteAtATime) {
  const std::string body = "data: hello\n\ndata: [DONE]\n\n";
  Collected collected;

  for (char byte : body) {
    collected.parser.feed(std::string(1, byte));
  }

  ASSERT_EQ(collected.events.size(), 1u);
  EXPECT_EQ(collected.events[0], "hello");
  EXPECT_TRUE(collected.parser.done());
}

TEST(SseParserTest, SkipsCommentLines) {
  Collected collected;

  collected.parser.feed(": aai local emulator\n\n:keep-alive\ndata: x\n\n");

  ASSERT_EQ(collected.events.size(), 1u);
  EXPECT_EQ(collected.events[0], "x");
}

TEST(SseParserTest, JoinsMultiLineDataWithNewlines) {
  Collected collected;

  collected.parser.feed("data: first\ndata:second\ndata\n\n");

  ASSERT_EQ(collected.events.size(), 1u);
  EXPECT_EQ(collected.events[0], "first\nsecond\n");
}

TEST(SseParserTest, SkipsOtherFields) {
  Collected collected;

  collected.parser.feed("event: message\nid: 7\nretry: 100\ndata: x\n\nevent: ping\n\n");

  ASSERT_EQ(collected.events.size(), 1u);
  EXPECT_EQ(collected.events[0], "x");
}

TEST(SseParserTest, StopsAtDone) {
  Collected collected;

  collected.parser.feed("data: a\n\ndata: [DONE]\n\ndata: after\n\n");

  ASSERT_EQ(collected.events.size(), 1u);
  EXPECT_EQ(collected.events[0], "a");
  EXPECT_TRUE(collected.parser.done());
}

TEST(SseParserTest, ReportsCutStream) {
  Collected collected;

  collected.parser.feed("data: a\n\ndata: [DO");

  EXPECT_EQ(collected.events.size(), 1u);
  EXPECT_FALSE(collected.parser.done());
  EXPECT_TRUE(collected.parser.has_partial_event());
}

TEST(SseParserTest, WaitsForBlankLineBeforeDispatch) {
  Collected collected;

  collected.parser.feed("data: [DONE]\n");

  EXPECT_TRUE(collected.events.empty());
  EXPECT_FALSE(collected.parser.done());
}

}  // namespace
