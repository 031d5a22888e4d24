#include <aai_llm/gateway.hpp>

#include <gtest/gtest.h>

namespace {

using aai::llm::ChatRequest;
using nlohmann::json;

TEST(RequestBodyTest, PutsPlaceholderAfterPrompt) {
  EXPECT_EQ(aai::llm::transcript_prompt("Summarize."), "Summarize.\n\n{{ transcript }}");
}

TEST(RequestBodyTest, PutsTextUnderTranscriptLine) {
  EXPECT_EQ(aai::llm::text_prompt("Summarize.", "Hello there."),
            "Summarize.\n\nTranscript:\nHello there.");
}

TEST(RequestBodyTest, BuildsMinimalBody) {
  ChatRequest request;
  request.user = "Hi";

  const json body = aai::llm::build_body(request);

  const json expected = {{"model", "claude-haiku-4-5-20251001"},
                         {"messages", json::array({{{"role", "user"}, {"content", "Hi"}}})},
                         {"max_tokens", 8192}};
  EXPECT_EQ(body, expected);
}

TEST(RequestBodyTest, AddsSystemTemperatureStreamAndTranscriptId) {
  ChatRequest request;
  request.model = "gpt-5";
  request.system = "Be brief.";
  request.user = aai::llm::transcript_prompt("Summarize.");
  request.transcript_id = "abc_123";
  request.max_tokens = 50;
  request.temperature = 0.5;
  request.stream = true;

  const json body = aai::llm::build_body(request);

  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0], json({{"role", "system"}, {"content", "Be brief."}}));
  EXPECT_EQ(body["messages"][1],
            json({{"role", "user"}, {"content", "Summarize.\n\n{{ transcript }}"}}));
  EXPECT_EQ(body["model"], "gpt-5");
  EXPECT_EQ(body["max_tokens"], 50);
  EXPECT_EQ(body["temperature"], 0.5);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["transcript_id"], "abc_123");
}

TEST(RequestBodyTest, MergesExtraFieldsLast) {
  ChatRequest request;
  request.user = "Hi";
  request.extra = {{"max_tokens", 7}, {"top_p", 0.9}, {"metadata", {{"k", "v"}}}};

  const json body = aai::llm::build_body(request);

  EXPECT_EQ(body["max_tokens"], 7);
  EXPECT_EQ(body["top_p"], 0.9);
  EXPECT_EQ(body["metadata"], json({{"k", "v"}}));
}

TEST(RequestBodyTest, ListsKnownModelsInOrder) {
  const auto& models = aai::llm::known_models();

  ASSERT_EQ(models.size(), 24u);
  EXPECT_EQ(models.front(), "claude-opus-4-7");
  EXPECT_EQ(models[5], "claude-haiku-4-5-20251001");
  EXPECT_EQ(models[6], "gpt-5.5");
  EXPECT_EQ(models.back(), "qwen3-32B");
}

TEST(RequestBodyTest, StreamsOnlyOpenAiModels) {
  EXPECT_TRUE(aai::llm::supports_streaming("gpt-5"));
  EXPECT_TRUE(aai::llm::supports_streaming("gpt-oss-20b"));
  EXPECT_FALSE(aai::llm::supports_streaming("claude-haiku-4-5-20251001"));
  EXPECT_FALSE(aai::llm::supports_streaming("gemini-2.5-pro"));
}

}  // namespace
