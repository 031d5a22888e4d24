#include "answer_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using aai::llm::AnswerReader;

std::string chunk(const std::string& piece) {
  return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-5\","
         "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" +
         piece + "\"},\"finish_reason\":null}]}\n\n";
}

const std::string kFinalChunk =
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-5\","
    "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"input_tokens\":3,\"output_tokens\":2,\"total_tokens\":5}}\n\n";

std::string error_message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const aai::Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(AnswerReaderTest, ReadsWholeAnswer) {
  AnswerReader reader("claude-haiku-4-5-20251001", {});

  reader.feed(
      "{\"model\":\"aai-local-extractive\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
      "\"assistant\",\"content\":\"Tuesday.\"},\"finish_reason\":\"stop\"}],\"usage\":{"
      "\"input_tokens\":9,\"output_tokens\":2,\"total_tokens\":11}}");
  const aai::llm::ChatResult result = reader.finish("application/json");

  EXPECT_EQ(result.output, "Tuesday.");
  EXPECT_EQ(result.model, "aai-local-extractive");
  EXPECT_EQ(result.usage["total_tokens"], 11);
}

TEST(AnswerReaderTest, NamesRequestedModelWhenAnswerHasNone) {
  AnswerReader reader("gpt-5", {});

  reader.feed("{\"choices\":[{\"message\":{\"content\":\"x\"}}]}");
  const aai::llm::ChatResult result = reader.finish("application/json");

  EXPECT_EQ(result.model, "gpt-5");
  EXPECT_TRUE(result.usage.empty());
}

TEST(AnswerReaderTest, StreamsDeltasAsEventsComplete) {
  std::vector<std::string> pieces;
  AnswerReader reader("gpt-5", [&](std::string_view piece) { pieces.emplace_back(piece); });

  const std::string body =
      ": aai local emulator\n\n" + chunk("Tues") + chunk("day ") + kFinalChunk + "data: [DONE]\n\n";
  reader.feed(body.substr(0, 40));
  reader.feed(body.substr(40));
  const aai::llm::ChatResult result = reader.finish("text/event-stream; charset=utf-8");

  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0], "Tues");
  EXPECT_EQ(pieces[1], "day ");
  EXPECT_EQ(result.output, "Tuesday ");
  EXPECT_EQ(result.model, "gpt-5");
  EXPECT_EQ(result.usage["output_tokens"], 2);
}

TEST(AnswerReaderTest, RejectsStreamCutBeforeDone) {
  std::vector<std::string> pieces;
  AnswerReader reader("gpt-5", [&](std::string_view piece) { pieces.emplace_back(piece); });
  reader.feed(chunk("partial "));

  const std::string message = error_message_of([&] { reader.finish("text/event-stream"); });

  EXPECT_EQ(message, "The LLM Gateway's streamed answer stopped before it was complete.");
  EXPECT_EQ(pieces.size(), 1u);
}

TEST(AnswerReaderTest, RejectsErrorEventMidStream) {
  AnswerReader reader("gpt-5", {});
  reader.feed(chunk("a"));

  const std::string message = error_message_of([&] {
    reader.feed("data: {\"error\":{\"code\":500,\"message\":\"Upstream failed.\"}}\n\n");
  });

  EXPECT_EQ(message,
            "The LLM Gateway stopped the streamed answer with an error (code 500): Upstream "
            "failed.");
}

TEST(AnswerReaderTest, TreatsEmptyEventStreamAsCut) {
  AnswerReader reader("gpt-5", {});
  reader.feed("\n");

  EXPECT_EQ(error_message_of([&] { reader.finish("text/event-stream"); }),
            "The LLM Gateway's streamed answer stopped before it was complete.");
}

TEST(AnswerReaderTest, RejectsEmptyBody) {
  AnswerReader reader("gpt-5", {});

  EXPECT_EQ(error_message_of([&] { reader.finish("application/json"); }),
            "The LLM Gateway's answer could not be read: the body is empty.");
}

TEST(AnswerReaderTest, RejectsNonJsonBody) {
  AnswerReader reader("gpt-5", {});
  reader.feed("{not json");

  EXPECT_EQ(error_message_of([&] { reader.finish("application/json"); }),
            "The LLM Gateway's answer could not be read: the body is not a JSON object.");
}

TEST(AnswerReaderTest, RejectsAnswerWithoutChoices) {
  AnswerReader reader("gpt-5", {});
  reader.feed("{\"choices\":[]}");

  EXPECT_EQ(error_message_of([&] { reader.finish("application/json"); }),
            "The LLM Gateway's answer could not be read: it has no choices.");
}

TEST(AnswerReaderTest, RejectsChoiceWithoutContent) {
  AnswerReader reader("gpt-5", {});
  reader.feed("{\"choices\":[{\"message\":{\"role\":\"assistant\"}}]}");

  EXPECT_EQ(error_message_of([&] { reader.finish("application/json"); }),
            "The LLM Gateway's answer could not be read: its first choice has no message "
            "content.");
}

TEST(AnswerReaderTest, RejectsEventThatIsNotJson) {
  AnswerReader reader("gpt-5", {});

  EXPECT_EQ(error_message_of([&] { reader.feed("data: nonsense\n\n"); }),
            "The LLM Gateway's answer could not be read: an event's data is not a JSON object.");
}

}  // namespace
