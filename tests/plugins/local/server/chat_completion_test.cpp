#include "server/chat_completion.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

using nlohmann::json;

ChatCompletion sample_completion() {
  ChatCompletion completion;
  completion.request_id = "req-1";
  completion.answer = "Hi  there\nyou";
  completion.input_tokens = 7;
  completion.output_tokens = 4;
  return completion;
}

TEST(ChatCompletionTest, SplitsWordsWithFollowingSpace) {
  EXPECT_EQ(split_stream_pieces("Hi  there\nyou"),
            (std::vector<std::string>{"Hi  ", "there\n", "you"}));
  EXPECT_TRUE(split_stream_pieces("").empty());
}

TEST(ChatCompletionTest, BuildsWholeResponse) {
  ChatRequest request;
  request.model = "gpt-5";
  request.max_tokens = 100;
  request.temperature = 0.2;

  json body = completion_json(sample_completion(), request);

  EXPECT_EQ(body["request_id"], "req-1");
  EXPECT_EQ(body["model"], "aai-local-extractive");
  EXPECT_EQ(body["choices"][0]["message"]["content"], "Hi  there\nyou");
  EXPECT_EQ(body["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(body["request"], json({{"model", "gpt-5"}, {"max_tokens", 100}, {"temperature", 0.2}}));
  EXPECT_EQ(body["usage"], json({{"input_tokens", 7}, {"output_tokens", 4}, {"total_tokens", 11}}));
  EXPECT_EQ(body["http_status_code"], 200);
}

TEST(ChatCompletionTest, FramesStreamEvents) {
  ChatCompletion completion = sample_completion();
  completion.finish_reason = "length";

  std::vector<std::string> events = completion_events(completion);

  ASSERT_EQ(events.size(), 6U);
  EXPECT_EQ(events[0], ": aai local emulator\n\n");
  EXPECT_EQ(events[1],
            R"(data: {"choices":[{"delta":{"content":"Hi  "},"finish_reason":null,"index":0}],)"
            R"("id":"req-1","model":"aai-local-extractive","object":"chat.completion.chunk"})"
            "\n\n");
  std::string joined;
  for (size_t i = 1; i <= 3; ++i) {
    ASSERT_EQ(events[i].substr(0, 6), "data: ");
    ASSERT_EQ(events[i].substr(events[i].size() - 2), "\n\n");
    joined += json::parse(events[i].substr(6))["choices"][0]["delta"]["content"];
  }
  EXPECT_EQ(joined, completion.answer);
  json last = json::parse(events[4].substr(6));
  EXPECT_EQ(last["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(last["choices"][0]["delta"], json::object());
  EXPECT_EQ(last["usage"]["total_tokens"], 11);
  EXPECT_EQ(events[5], "data: [DONE]\n\n");
}

}  // namespace
}  // namespace aai::local
