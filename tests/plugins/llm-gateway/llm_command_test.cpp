#include <gtest/gtest.h>

#include <string>

#include "llm_test_support.hpp"

namespace {

using nlohmann::json;

class LlmCommandTest : public LlmPluginTest {};

TEST_F(LlmCommandTest, SendsPromptAloneWithoutInput) {
  respond_answer("Hello.");

  const int exit_code = run({}, {"Say hello."});

  ASSERT_EQ(exit_code, 0);
  ASSERT_EQ(host_.requests.size(), 1u);
  EXPECT_EQ(host_.requests[0].url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_EQ(sent_user(), "Say hello.");
  EXPECT_EQ(sent_body()["model"], "claude-haiku-4-5-20251001");
  EXPECT_EQ(sent_body()["max_tokens"], 8192);
  EXPECT_FALSE(sent_body().contains("stream"));
  EXPECT_EQ(host_.stdout_text, "Hello.\n");
  EXPECT_TRUE(warnings().empty());
}

TEST_F(LlmCommandTest, PutsPipedTextUnderTranscriptLine) {
  set_stdin("The review moved to Tuesday.\n");
  respond_answer("Tuesday.");

  ASSERT_EQ(run({}, {"When?"}), 0);

  EXPECT_EQ(sent_user(), "When?\n\nTranscript:\nThe review moved to Tuesday.");
  EXPECT_TRUE(warnings().empty());
}

TEST_F(LlmCommandTest, TreatsBlankStdinAsAbsent) {
  set_stdin(" \n\n");
  respond_answer("Hi.");

  ASSERT_EQ(run({}, {"Hi?"}), 0);

  EXPECT_EQ(sent_user(), "Hi?");
}

TEST_F(LlmCommandTest, IgnoresStdinOnTerminal) {
  host_.terminal_fds = {0};
  set_stdin("typed text\n");
  respond_answer("Hi.");

  ASSERT_EQ(run({}, {"Hi?"}), 0);

  EXPECT_EQ(sent_user(), "Hi?");
  EXPECT_TRUE(warnings().empty());
}

TEST_F(LlmCommandTest, TranscriptIdWinsOverFilesAndStdin) {
  set_stdin("piped\n");
  respond_answer("Summary.");

  ASSERT_EQ(run({{"transcript-id", {"abc_123-x"}}}, {"Summarize.", "/no/such/file.txt"}), 0);

  EXPECT_EQ(sent_user(), "Summarize.\n\n{{ transcript }}");
  EXPECT_EQ(sent_body()["transcript_id"], "abc_123-x");
  ASSERT_EQ(warnings().size(), 2u);
  EXPECT_EQ(warnings()[0], "--transcript-id is set, so the files are ignored.");
  EXPECT_EQ(warnings()[1], "--transcript-id is set, so standard input is ignored.");
}

TEST_F(LlmCommandTest, RejectsInvalidTranscriptId) {
  EXPECT_EQ(run({{"transcript-id", {"../etc"}}}, {"Summarize."}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->type, "usage_error");
  EXPECT_EQ(failure_->message,
            "Invalid --transcript-id '../etc': use only letters, digits, '_' and '-'.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(LlmCommandTest, SendsSystemTemperatureAndMaxTokens) {
  respond_answer("Ok.");

  ASSERT_EQ(run({{"system", {"Be brief."}},
                 {"temperature", {"0.2"}},
                 {"max-tokens", {"64"}},
                 {"model", {"gemini-2.5-pro"}}},
                {"Hi."}),
            0);

  const json body = sent_body();
  EXPECT_EQ(body["messages"][0], json({{"role", "system"}, {"content", "Be brief."}}));
  EXPECT_EQ(body["temperature"], 0.2);
  EXPECT_EQ(body["max_tokens"], 64);
  EXPECT_EQ(body["model"], "gemini-2.5-pro");
}

TEST_F(LlmCommandTest, RejectsMaxTokensBelowOne) {
  EXPECT_EQ(run({{"max-tokens", {"0"}}}, {"Hi."}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "Invalid --max-tokens '0': it must be at least 1.");
}

TEST_F(LlmCommandTest, RejectsMaxTokensAboveIntRange) {
  EXPECT_EQ(run({{"max-tokens", {"3000000000"}}}, {"Hi."}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "Invalid --max-tokens '3000000000': it must be at most 2147483647.");
}

TEST_F(LlmCommandTest, RejectsTemperatureOutsideRange) {
  for (const char* value : {"-0.1", "2.5", "nan"}) {
    EXPECT_EQ(run({{"temperature", {value}}}, {"Hi."}), 2) << value;

    ASSERT_TRUE(failure_) << value;
    EXPECT_EQ(failure_->message,
              std::string("Invalid --temperature '") + value + "': it must be between 0 and 2.");
  }
}

TEST_F(LlmCommandTest, MergesConfigFieldsIntoBody) {
  respond_answer("Ok.");

  ASSERT_EQ(run({{"config", {"top_p=0.9", "user=ada", "max_tokens=5", "tags=[\"a\"]"}}}, {"Hi."}),
            0);

  const json body = sent_body();
  EXPECT_EQ(body["top_p"], 0.9);
  EXPECT_EQ(body["user"], "ada");
  EXPECT_EQ(body["max_tokens"], 5);
  EXPECT_EQ(body["tags"], json::array({"a"}));
}

TEST_F(LlmCommandTest, RejectsReservedConfigKey) {
  EXPECT_EQ(run({{"config", {"model=gpt-5"}}}, {"Hi."}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "--config cannot set 'model'.");
  EXPECT_EQ(failure_->suggestion, "Use --model.");
}

TEST_F(LlmCommandTest, PrintsJsonWithModelOutputAndUsage) {
  host_.json = true;
  respond_answer("Tuesday.");

  ASSERT_EQ(run({}, {"When?"}), 0);

  const json printed = json::parse(host_.stdout_text);
  EXPECT_EQ(printed["model"], "aai-local-extractive");
  EXPECT_EQ(printed["output"], "Tuesday.");
  EXPECT_EQ(printed["usage"]["total_tokens"], 13);
  EXPECT_EQ(host_.stdout_text.back(), '\n');
  EXPECT_EQ(host_.stdout_text.find('\n'), host_.stdout_text.size() - 1);
}

TEST_F(LlmCommandTest, PrintsJsonForOutputOptionToo) {
  respond_answer("Tuesday.");

  ASSERT_EQ(run({{"output", {"json"}}}, {"When?"}), 0);

  EXPECT_EQ(json::parse(host_.stdout_text)["output"], "Tuesday.");
}

TEST_F(LlmCommandTest, RejectsJsonWithTextOutput) {
  host_.json = true;

  EXPECT_EQ(run({{"output", {"text"}}}, {"When?"}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "--json cannot be combined with -o text.");
}

TEST_F(LlmCommandTest, RequiresPrompt) {
  EXPECT_EQ(run({}, {}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "aai llm needs a PROMPT.");
}

TEST_F(LlmCommandTest, ListsModelsWithoutRequest) {
  ASSERT_EQ(run({{"list-models", {"true"}}}, {}), 0);

  EXPECT_TRUE(host_.requests.empty());
  EXPECT_EQ(host_.stdout_text.rfind("claude-opus-4-7\n", 0), 0u);
  EXPECT_NE(host_.stdout_text.find("\nqwen3-32B\n"), std::string::npos);
}

TEST_F(LlmCommandTest, ListsModelsAsJsonArray) {
  host_.json = true;

  ASSERT_EQ(run({{"list-models", {"true"}}}, {}), 0);

  const json models = json::parse(host_.stdout_text);
  ASSERT_TRUE(models.is_array());
  EXPECT_EQ(models.size(), 24u);
  EXPECT_EQ(models[5], "claude-haiku-4-5-20251001");
}

TEST_F(LlmCommandTest, StreamsToTerminalForOpenAiModel) {
  host_.terminal_fds = {1};
  aai::testing::ScriptedResponse response;
  response.body =
      "data: {\"model\":\"gpt-5\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Tues\"}}]}\n\n"
      "data: {\"model\":\"gpt-5\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"day.\"},"
      "\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n";
  response.headers["content-type"] = "text/event-stream";
  host_.responses.push_back(response);

  ASSERT_EQ(run({{"model", {"gpt-5"}}}, {"When?"}), 0);

  EXPECT_EQ(sent_body()["stream"], true);
  EXPECT_EQ(host_.stdout_text, "Tuesday.\n");
}

TEST_F(LlmCommandTest, EndsLineWhenStreamIsCut) {
  host_.terminal_fds = {1};
  aai::testing::ScriptedResponse response;
  response.body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Tues\"}}]}\n\n";
  response.headers["content-type"] = "text/event-stream";
  host_.responses.push_back(response);

  EXPECT_EQ(run({{"model", {"gpt-5"}}}, {"When?"}), 1);

  EXPECT_EQ(host_.stdout_text, "Tues\n");
  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "The LLM Gateway's streamed answer stopped before it was complete.");
}

TEST_F(LlmCommandTest, DoesNotStreamModelThatCannot) {
  host_.terminal_fds = {1};
  respond_answer("Whole.");

  ASSERT_EQ(run({}, {"When?"}), 0);

  EXPECT_FALSE(sent_body().contains("stream"));
  EXPECT_EQ(host_.stdout_text, "Whole.\n");
}

TEST_F(LlmCommandTest, DoesNotStreamJsonOnTerminal) {
  host_.terminal_fds = {1};
  host_.json = true;
  respond_answer("Whole.");

  ASSERT_EQ(run({{"model", {"gpt-5"}}}, {"When?"}), 0);

  EXPECT_FALSE(sent_body().contains("stream"));
}

TEST_F(LlmCommandTest, TreatsClosedStdoutAsSuccess) {
  host_.stdout_closed = true;
  respond_answer("Whole.");

  EXPECT_EQ(run({}, {"When?"}), 0);

  EXPECT_FALSE(failure_);
}

TEST_F(LlmCommandTest, ReportsRejectedKey) {
  aai::testing::ScriptedResponse response;
  response.status = 401;
  response.body = R"({"error":{"code":401,"message":"Invalid API key."}})";
  host_.responses.push_back(response);

  EXPECT_EQ(run({}, {"When?"}), 4);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->type, "not_authenticated");
  EXPECT_EQ(failure_->message, "Your API key was rejected by the LLM Gateway.");
}

}  // namespace
