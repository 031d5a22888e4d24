#include "llm_chain.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin_fixture.hpp"

using aai::llm::ChatRequest;
using aai::llm::ChatResult;
using aai::testing::FakeInvocation;
using nlohmann::json;

namespace {

// A completion function that records each request and returns "answer N" from `model`.
struct RecordingCompletion {
  std::vector<ChatRequest> requests;
  std::string model = "aai-local-extractive";

  transcribe::CompleteFunction function() {
    return [this](const ChatRequest& request) {
      requests.push_back(request);
      return ChatResult{model, "answer " + std::to_string(requests.size()), json::object()};
    };
  }
};

transcribe::LlmChain chain_of(std::vector<std::string> prompts) {
  transcribe::LlmChain chain;
  chain.prompts = std::move(prompts);
  return chain;
}

TEST(LlmChainTest, SendsTranscriptIdOnlyOnFirstStep) {
  RecordingCompletion completion;
  transcribe::LlmChain chain = chain_of({"Summarize.", "Translate to French.", "Count them."});
  chain.model = "gpt-5-mini";
  chain.max_tokens = 300;

  transcribe::ChainResult result = transcribe::run_llm_chain(chain, "t1", completion.function());

  ASSERT_EQ(completion.requests.size(), 3u);
  const ChatRequest& first = completion.requests[0];
  EXPECT_EQ(first.user, "Summarize.\n\n{{ transcript }}");
  EXPECT_EQ(first.transcript_id, std::optional<std::string>("t1"));
  const ChatRequest& second = completion.requests[1];
  EXPECT_EQ(second.user, "Translate to French.\n\nTranscript:\nanswer 1");
  EXPECT_EQ(second.transcript_id, std::nullopt);
  const ChatRequest& third = completion.requests[2];
  EXPECT_EQ(third.user, "Count them.\n\nTranscript:\nanswer 2");
  EXPECT_EQ(third.transcript_id, std::nullopt);
  for (const ChatRequest& request : completion.requests) {
    EXPECT_EQ(request.model, "gpt-5-mini");
    EXPECT_EQ(request.max_tokens, 300);
    EXPECT_FALSE(request.stream);
    EXPECT_EQ(request.system, std::nullopt);
  }
  ASSERT_EQ(result.steps.size(), 3u);
  EXPECT_EQ(result.steps[2].prompt, "Count them.");
  EXPECT_EQ(result.steps[2].output, "answer 3");
}

TEST(LlmChainTest, UsesDefaultModelAndMaxTokens) {
  RecordingCompletion completion;

  transcribe::run_llm_chain(chain_of({"Summarize."}), "t1", completion.function());

  ASSERT_EQ(completion.requests.size(), 1u);
  EXPECT_EQ(completion.requests[0].model, aai::llm::kDefaultModel);
  EXPECT_EQ(completion.requests[0].max_tokens, aai::llm::kDefaultMaxTokens);
}

TEST(LlmChainTest, NamesModelOfLastAnswer) {
  RecordingCompletion completion;
  completion.model = "claude-haiku-4-5-20251001-served";

  transcribe::ChainResult result =
      transcribe::run_llm_chain(chain_of({"A", "B"}), "t1", completion.function());

  EXPECT_EQ(result.model, "claude-haiku-4-5-20251001-served");
}

TEST(LlmChainTest, ReportsEachStepBeforeSendingIt) {
  RecordingCompletion completion;
  std::vector<std::pair<size_t, size_t>> reported;
  std::vector<size_t> sent_before_report;

  transcribe::run_llm_chain(chain_of({"A", "B"}), "t1", completion.function(),
                            [&](size_t step, size_t step_count) {
                              reported.emplace_back(step, step_count);
                              sent_before_report.push_back(completion.requests.size());
                            });

  EXPECT_EQ(reported, (std::vector<std::pair<size_t, size_t>>{{1, 2}, {2, 2}}));
  EXPECT_EQ(sent_before_report, (std::vector<size_t>{0, 1}));
}

TEST(LlmChainTest, StopsAtFailedStep) {
  int calls = 0;
  auto failing = [&calls](const ChatRequest&) -> ChatResult {
    if (++calls == 2) {
      throw aai::Error(AAI_EXIT_FAILURE, "api_error", "gateway down");
    }
    return ChatResult{"m", "first", json::object()};
  };

  EXPECT_THROW(transcribe::run_llm_chain(chain_of({"A", "B", "C"}), "t1", failing), aai::Error);

  EXPECT_EQ(calls, 2);
}

// Scripts one whole (not streamed) answer of the LLM Gateway.
void respond_answer(aai::testing::FakeHost& host, const std::string& content) {
  json body = {{"request_id", "r1"},
               {"model", "aai-local-extractive"},
               {"choices",
                {{{"index", 0},
                  {"message", {{"role", "assistant"}, {"content", content}}},
                  {"finish_reason", "stop"}}}},
               {"usage", {{"input_tokens", 10}, {"output_tokens", 3}, {"total_tokens", 13}}},
               {"http_status_code", 200}};
  aai::testing::ScriptedResponse response;
  response.body = body.dump();
  response.headers["content-type"] = "application/json";
  host.responses.push_back(std::move(response));
}

const char* kCompletedTranscript =
    R"({"id":"t1","status":"completed","text":"The review moved to Tuesday."})";

TEST_F(TranscribePluginTest, TranscribeRejectsModelWithoutLlm) {
  FakeInvocation invocation({{"model", {"gpt-5"}}}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "usage_error");
  EXPECT_EQ(invocation.failure->message, "--model needs --llm or --llm-reduce.");
  EXPECT_EQ(invocation.failure->suggestion,
            "Add --llm PROMPT, or use --speech-model to pick the speech model.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, TranscribeRejectsMaxTokensWithoutLlm) {
  FakeInvocation invocation({{"max-tokens", {"100"}}}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "--max-tokens needs --llm or --llm-reduce.");
  EXPECT_EQ(invocation.failure->suggestion, "Add --llm PROMPT, or drop --max-tokens.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, TranscribeRejectsZeroMaxTokens) {
  FakeInvocation invocation({{"llm", {"Summarize."}}, {"max-tokens", {"0"}}},
                            {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "Invalid --max-tokens '0': it must be at least 1.");
  EXPECT_EQ(invocation.failure->suggestion,
            "Pass a whole number of tokens, such as --max-tokens 2000.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, TranscribeRejectsMaxTokensAboveIntRange) {
  FakeInvocation invocation({{"llm", {"Summarize."}}, {"max-tokens", {"3000000000"}}},
                            {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message,
            "Invalid --max-tokens '3000000000': it must be at most 2147483647.");
}

TEST_F(TranscribePluginTest, TranscribeRejectsLlmWithOutputField) {
  FakeInvocation invocation({{"llm", {"Summarize."}}, {"output", {"text"}}},
                            {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "--llm cannot be combined with -o text.");
  EXPECT_EQ(invocation.failure->suggestion,
            "Drop -o text to print the answers, or use --json to add the transcript.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, TranscribeRejectsLlmReduceWithOut) {
  FakeInvocation invocation({{"llm-reduce", {"Summarize."}}, {"out", {"/tmp/answer.txt"}}},
                            {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "--llm-reduce cannot be combined with --out.");
  EXPECT_EQ(invocation.failure->suggestion,
            "Redirect standard output to save the answers, such as > answers.txt.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, TranscribeRejectsEmptyLlmPrompt) {
  FakeInvocation invocation({{"llm", {"Summarize.", " "}}}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "Invalid --llm ' ': the prompt is empty.");
  EXPECT_EQ(invocation.failure->suggestion,
            "Pass a question or an instruction, such as --llm \"Summarize the call.\"");
}

TEST_F(TranscribePluginTest, TranscribeRejectsEmptyModel) {
  FakeInvocation invocation({{"llm", {"Summarize."}}, {"model", {""}}},
                            {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "Invalid --model '': it must name a model.");
  EXPECT_EQ(invocation.failure->suggestion, "`aai llm --list-models` lists the known models.");
}

TEST_F(TranscribePluginTest, TranscribeRejectsEnvironmentWithoutGateway) {
  host_.environments.clear();
  host_.add_environment("production", kApiBase);
  FakeInvocation invocation({{"llm", {"Summarize."}}}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "invalid_environment");
  EXPECT_EQ(invocation.failure->message, "The environment 'production' has no llm_gateway_base.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, TranscribePrintsSingleAnswer) {
  host_.respond(200, R"({"id":"t1","status":"queued"})");
  host_.respond(200, kCompletedTranscript);
  respond_answer(host_, "The review moved to Tuesday.");
  FakeInvocation invocation({{"llm", {"Summarize."}}}, {"https://media.test/a.mp3"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  EXPECT_EQ(host_.stdout_text, "The review moved to Tuesday.\n");
  ASSERT_EQ(host_.requests.size(), 3u);
  EXPECT_EQ(host_.requests[2].method, "POST");
  EXPECT_EQ(host_.requests[2].url, "http://127.0.0.1:9/v1/chat/completions");
  json body = json::parse(host_.requests[2].body);
  EXPECT_EQ(body["transcript_id"], "t1");
  EXPECT_EQ(body["model"], aai::llm::kDefaultModel);
  EXPECT_EQ(body["max_tokens"], aai::llm::kDefaultMaxTokens);
  EXPECT_FALSE(body.value("stream", false));
  EXPECT_EQ(host_.progress_labels.back(), "Asking the LLM Gateway (step 1 of 1)");
}

TEST_F(TranscribePluginTest, TranscribePrintsStepsThenReduce) {
  host_.respond(200, kCompletedTranscript);
  respond_answer(host_, "Tuesday at noon.");
  respond_answer(host_, "Mardi à midi.");
  FakeInvocation invocation({{"llm", {"When is the review?"}},
                             {"llm-reduce", {"Translate to French."}},
                             {"model", {"gpt-5-nano"}},
                             {"max-tokens", {"50"}}},
                            {"https://media.test/a.mp3"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  EXPECT_EQ(host_.stdout_text,
            "Step 1: When is the review?\nTuesday at noon.\n\n"
            "Step 2: Translate to French.\nMardi à midi.\n");
  ASSERT_EQ(host_.requests.size(), 3u);
  json reduce = json::parse(host_.requests[2].body);
  EXPECT_FALSE(reduce.contains("transcript_id"));
  EXPECT_EQ(reduce["model"], "gpt-5-nano");
  EXPECT_EQ(reduce["max_tokens"], 50);
  EXPECT_EQ(reduce["messages"].back()["content"],
            "Translate to French.\n\nTranscript:\nTuesday at noon.");
  EXPECT_EQ(host_.progress_labels.back(), "Asking the LLM Gateway (step 2 of 2)");
}

TEST_F(TranscribePluginTest, TranscribePrintsChainAsJson) {
  host_.json = true;
  host_.respond(200, kCompletedTranscript);
  respond_answer(host_, "Tuesday.");
  FakeInvocation invocation({{"llm", {"When?"}}}, {"https://media.test/a.mp3"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  EXPECT_EQ(host_.stdout_text,
            R"({"id":"t1","status":"completed","text":"The review moved to Tuesday.",)"
            R"("transform":{"model":"aai-local-extractive",)"
            R"("steps":[{"prompt":"When?","output":"Tuesday."}]}})"
            "\n");
}

TEST_F(TranscribePluginTest, TranscribeRunsNoStepForFailedTranscript) {
  host_.respond(200, R"({"id":"t9","status":"error","error":"Audio file is corrupt"})");
  FakeInvocation invocation({{"llm", {"Summarize."}}}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 1);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "Transcript t9 failed: Audio file is corrupt");
  EXPECT_EQ(host_.requests.size(), 1u);
  EXPECT_TRUE(host_.stdout_text.empty());
}

TEST_F(TranscribePluginTest, GetRejectsModelWithoutLlm) {
  FakeInvocation invocation({{"model", {"gpt-5"}}}, {"t1"});

  EXPECT_EQ(run("transcripts get", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "--model needs --llm or --llm-reduce.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, GetRejectsLlmWithOutputField) {
  FakeInvocation invocation({{"llm", {"Summarize."}}, {"output", {"srt"}}}, {"t1"});

  EXPECT_EQ(run("transcripts get", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->message, "--llm cannot be combined with -o srt.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, GetRejectsChainOnUnfinishedTranscript) {
  host_.respond(200, R"({"id":"t1","status":"processing"})");
  FakeInvocation invocation({{"llm", {"Summarize."}}}, {"t1"});

  EXPECT_EQ(run("transcripts get", invocation), 1);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "api_error");
  EXPECT_EQ(invocation.failure->message,
            "Transcript t1 is not completed (status: processing), so --llm cannot ask about it "
            "yet.");
  EXPECT_EQ(invocation.failure->suggestion,
            "Run the command again once `aai transcripts get t1 -o status` prints completed.");
  EXPECT_EQ(invocation.failure->details_json, R"({"transcript_id":"t1"})");
  EXPECT_EQ(host_.requests.size(), 1u);
}

TEST_F(TranscribePluginTest, GetPrintsChainAsJsonWithOutputJson) {
  host_.respond(200, kCompletedTranscript);
  respond_answer(host_, "Tuesday.");
  respond_answer(host_, "Mardi.");
  FakeInvocation invocation({{"llm", {"When?", "In French."}}, {"output", {"json"}}}, {"t1"});

  ASSERT_EQ(run("transcripts get", invocation), 0);

  json printed = json::parse(host_.stdout_text);
  EXPECT_EQ(printed["id"], "t1");
  EXPECT_EQ(printed["transform"]["steps"].size(), 2u);
  EXPECT_EQ(printed["transform"]["steps"][1]["output"], "Mardi.");
  EXPECT_EQ(json::parse(host_.requests[1].body)["transcript_id"], "t1");
}

}  // namespace
