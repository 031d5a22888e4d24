#include "server/chat_request.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

// Returns the message of the 400 error for `body`, or "accepted".
std::string rejection(const std::string& body) {
  auto parsed = parse_chat_request(body);
  const auto* error = std::get_if<ApiResponse>(&parsed);
  if (error == nullptr) {
    return "accepted";
  }
  EXPECT_EQ(error->status, 400U);
  return nlohmann::json::parse(error->body)["error"]["message"].get<std::string>();
}

TEST(ChatRequestTest, ParsesMessagesAndOptions) {
  auto parsed = parse_chat_request(
      R"({"model":"gpt-5","messages":[{"role":"system","content":"Be brief."},)"
      R"({"role":"user","content":[{"type":"text","text":"Hi "},{"type":"text","text":"there"}]}],)"
      R"("max_tokens":5,"temperature":0.5,"stream":true,"transcript_id":"t1","extra":1})");

  ASSERT_TRUE(std::holds_alternative<ChatRequest>(parsed));
  const ChatRequest& request = std::get<ChatRequest>(parsed);
  EXPECT_EQ(request.model, "gpt-5");
  ASSERT_EQ(request.messages.size(), 2U);
  EXPECT_EQ(request.messages[0].role, "system");
  EXPECT_EQ(request.messages[1].content, "Hi there");
  EXPECT_EQ(request.max_tokens, 5);
  EXPECT_EQ(request.temperature, 0.5);
  EXPECT_TRUE(request.stream);
  EXPECT_EQ(request.transcript_id, "t1");
}

TEST(ChatRequestTest, TurnsPromptIntoUserMessage) {
  auto parsed = parse_chat_request(R"({"model":"gpt-5","prompt":"Hello"})");

  ASSERT_TRUE(std::holds_alternative<ChatRequest>(parsed));
  const ChatRequest& request = std::get<ChatRequest>(parsed);
  ASSERT_EQ(request.messages.size(), 1U);
  EXPECT_EQ(request.messages[0].role, "user");
  EXPECT_EQ(request.messages[0].content, "Hello");
  EXPECT_EQ(request.max_tokens, kDefaultMaxTokens);
  EXPECT_FALSE(request.temperature.has_value());
  EXPECT_FALSE(request.stream);
}

TEST(ChatRequestTest, RejectsInvalidBodies) {
  EXPECT_EQ(rejection("x"),
            "Request body is not valid JSON: parse error at line 1, column 1: syntax error while "
            "parsing value - invalid literal; last read: 'x'.");
  EXPECT_EQ(rejection("[1]"), "Request body must be a JSON object.");
  EXPECT_EQ(rejection("{}"), "The field 'model' is required.");
  EXPECT_EQ(rejection(R"({"model":5})"), "The field 'model' must be a string.");
  EXPECT_EQ(rejection(R"({"model":"m"})"), "Either 'messages' or 'prompt' is required.");
  EXPECT_EQ(rejection(R"({"model":"m","prompt":"a","messages":[]})"),
            "Give either 'messages' or 'prompt', not both.");
  EXPECT_EQ(rejection(R"({"model":"m","prompt":1})"), "'prompt' must be a string.");
  EXPECT_EQ(rejection(R"({"model":"m","messages":[]})"), "'messages' must be a non-empty array.");
  EXPECT_EQ(rejection(R"({"model":"m","messages":[{"role":"user"}]})"),
            "'messages[0]' must be an object with 'role' and 'content'.");
  EXPECT_EQ(rejection(R"({"model":"m","messages":[{"role":"tool","content":"a"}]})"),
            "'messages[0].role' must be \"system\", \"user\" or \"assistant\", not \"tool\".");
  EXPECT_EQ(rejection(R"({"model":"m","messages":[{"role":"user","content":5}]})"),
            "'messages[0].content' must be a string or an array of text parts.");
  EXPECT_EQ(rejection(R"({"model":"m","prompt":"a","max_tokens":0})"),
            "'max_tokens' must be at least 1.");
  EXPECT_EQ(rejection(R"({"model":"m","prompt":"a","max_tokens":1.5})"),
            "'max_tokens' must be an integer.");
  EXPECT_EQ(rejection(R"({"model":"m","prompt":"a","temperature":2.5})"),
            "'temperature' must be between 0 and 2.");
  EXPECT_EQ(rejection(R"({"model":"m","prompt":"a","temperature":-0.1})"),
            "'temperature' must be between 0 and 2.");
  EXPECT_EQ(rejection(R"({"model":"m","prompt":"a","stream":"yes"})"),
            "'stream' must be true or false.");
  EXPECT_EQ(rejection(R"({"model":"m","prompt":"a","transcript_id":""})"),
            "'transcript_id' must be a non-empty string.");
}

TEST(ChatRequestTest, UsesGatewayErrorShape) {
  auto parsed = parse_chat_request("{}");

  ASSERT_TRUE(std::holds_alternative<ApiResponse>(parsed));
  EXPECT_EQ(std::get<ApiResponse>(parsed).body,
            R"({"error":{"code":400,"message":"The field 'model' is required."}})");
}

}  // namespace
}  // namespace aai::local
