// `aai llm` and the --llm options of `transcribe` and `transcripts get`, against the emulator's
// LLM Gateway. The emulator answers by quoting the input's sentences that best match the prompt,
// so the tests check which sentences come back, not wording a language model would choose.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aai_local/wer.hpp"
#include "emulator_suite.hpp"
#include "harness.hpp"
#include "recordings.hpp"

namespace aai::testing {
namespace {

using aai::local::word_error_rate;
using nlohmann::json;

const std::filesystem::path kClip = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";
const std::string kClipText = "he was not an ill disposed young man";
const std::string kMeetingNotes =
    "The team met on Monday. The budget review moved to Tuesday at noon. "
    "Lunch was pizza. Maria will send the slides before the budget review.";

std::vector<json> ndjson(const std::string& text) {
  std::vector<json> lines;
  std::istringstream input(text);
  for (std::string line; std::getline(input, line);) {
    lines.push_back(json::parse(line));
  }
  return lines;
}

class LlmTest : public EmulatorSuite<LlmTest> {
 protected:
  std::string transcribe_id() {
    auto result = aai({"transcribe", kClip.string(), "-o", "id"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out.substr(0, result.out.find('\n'));
  }

  // Runs `aai --env local ARGS` under script(1), so stdout is a terminal, and returns how many
  // separate writes the output arrived in along with the output.
  // Runs aai under script(1) and returns what reached the terminal, split into the pieces
  // script read from the pseudo-terminal one at a time, as its timing log records them.
  std::vector<std::string> run_on_terminal(const std::string& args) {
    auto timing = files_.path() / "timing";
    auto typescript = files_.path() / "typescript";
    std::string command = (build_dir() / "bin/aai").string() + " --env local " + args;
    auto result =
        sandbox_.run({"-qe", "--log-timing", timing.string(), "-c", command, typescript.string()},
                     {}, "/usr/bin/script");
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    std::istringstream lines(read_text(timing));
    std::vector<std::string> pieces;
    std::size_t offset = 0;
    double delay = 0;
    std::size_t size = 0;
    while (lines >> delay >> size && offset < result.out.size()) {
      pieces.push_back(result.out.substr(offset, size));
      offset += size;
    }
    return pieces;
  }

  static std::string joined(const std::vector<std::string>& pieces) {
    std::string all;
    for (const auto& piece : pieces) {
      all += piece;
    }
    return all;
  }

  static bool one_piece_holds(const std::vector<std::string>& pieces, const std::string& first,
                              const std::string& last) {
    return std::any_of(pieces.begin(), pieces.end(), [&](const std::string& piece) {
      return piece.find(first) != std::string::npos && piece.find(last) != std::string::npos;
    });
  }
};

TEST_F(LlmTest, AnswersAboutPipedText) {
  auto result =
      aai({"llm", "List the action items."}, "The budget review moved to Tuesday at noon.\n");

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Tuesday"), std::string::npos) << result.out;
  EXPECT_EQ(result.err, "");
}

TEST_F(LlmTest, JsonCarriesModelOutputAndUsage) {
  auto result = aai({"llm", "When is the budget review?", "--json"}, kMeetingNotes);

  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto answer = json::parse(result.out);
  EXPECT_EQ(answer["model"], "aai-local-extractive");
  EXPECT_NE(answer["output"].get<std::string>().find("Tuesday at noon"), std::string::npos);
  EXPECT_GT(answer["usage"]["input_tokens"].get<int>(), 0);
  EXPECT_EQ(
      answer["usage"]["total_tokens"].get<int>(),
      answer["usage"]["input_tokens"].get<int>() + answer["usage"]["output_tokens"].get<int>());
}

TEST_F(LlmTest, ReadsFilesAndFoldersAndWarnsAboutStdin) {
  auto notes = files_.path() / "notes";
  std::filesystem::create_directories(notes / "week");
  files_.write("notes/week/monday.md", "The printer on floor two is broken.\n");
  files_.write("notes/readme.txt", "Deliveries arrive at the loading dock.\n");
  files_.write("notes/image.png", "not text");

  auto result = aai({"llm", "Where do deliveries arrive?", notes.string(), "-o", "text"},
                    "Piped text that loses to the files.\n");

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("loading dock"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("Piped text"), std::string::npos) << result.out;
  EXPECT_EQ(result.err, "Warning: files are given, so standard input is ignored.\n");
}

TEST_F(LlmTest, MissingFileIsAUsageError) {
  auto missing = files_.path() / "missing.md";

  auto result = aai({"llm", "Summarize.", missing.string()});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(missing.string()), std::string::npos) << result.err;
}

TEST_F(LlmTest, TranscriptIdIsInjectedByTheGateway) {
  std::string id = transcribe_id();
  auto text = aai({"transcripts", "get", id, "-o", "text"});
  ASSERT_EQ(text.exit_code, 0) << text.err;

  auto result = aai({"llm", "What was he?", "--transcript-id", id, "--json"}, "ignored stdin\n");

  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string output = json::parse(result.out)["output"];
  EXPECT_FALSE(output.empty());
  EXPECT_LE(word_error_rate(text.out, output), 0.5) << output << " / " << text.out;
  // Under --json, warnings are JSON too.
  EXPECT_EQ(result.err,
            "{\"warning\":\"--transcript-id is set, so standard input is ignored.\"}\n");
}

TEST_F(LlmTest, UnknownTranscriptQuotesTheGateway) {
  auto result = aai({"llm", "Summarize.", "--transcript-id", "no_such_transcript"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "Error: The LLM Gateway rejected the request (HTTP 404): Transcript "
            "'no_such_transcript' was not found.\n");
}

TEST_F(LlmTest, InvalidTranscriptIdIsAUsageError) {
  auto result = aai({"llm", "Summarize.", "--transcript-id", "../etc"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("'../etc'"), std::string::npos) << result.err;
}

TEST_F(LlmTest, UnknownModelQuotesTheGateway) {
  auto result = aai({"llm", "Summarize.", "--model", "no-such-model"}, kMeetingNotes);

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("(HTTP 400): Model 'no-such-model' is not available."),
            std::string::npos)
      << result.err;
}

TEST_F(LlmTest, PromptOverTheContextQuotesTheGateway) {
  auto big = files_.write("big.txt", std::string(1'000'000, 'a') + "\n");

  auto result = aai({"llm", "Summarize.", big.string()});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("more than the 200000 that claude-haiku-4-5-20251001 accepts."),
            std::string::npos)
      << result.err;
}

TEST_F(LlmTest, ListsModelsWithoutAKey) {
  sandbox_.set_env("ASSEMBLYAI_API_KEY", std::nullopt);

  auto text = aai({"llm", "--list-models"});
  auto array = aai({"llm", "--list-models", "--json"});

  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("claude-haiku-4-5-20251001\n"), std::string::npos);
  ASSERT_EQ(array.exit_code, 0) << array.err;
  auto models = json::parse(array.out);
  ASSERT_TRUE(models.is_array());
  EXPECT_EQ(models.size(), 24u);
}

TEST_F(LlmTest, StreamsToATerminalWhenTheModelCan) {
  auto notes = files_.write("notes.txt", kMeetingNotes);
  auto streamed =
      run_on_terminal("llm --model gpt-5-mini 'What about the budget review?' " + notes.string());
  auto whole = run_on_terminal("llm 'What about the budget review?' " + notes.string());

  EXPECT_NE(joined(streamed).find("Tuesday at noon"), std::string::npos) << joined(streamed);
  EXPECT_NE(joined(whole).find("Tuesday at noon"), std::string::npos) << joined(whole);
  // The emulator sends a streamed answer one word at a time, 15 ms apart, so its first and last
  // sentences reach the terminal in different pieces. A whole answer is written at once, after
  // the progress line (which may redraw any number of times on a slow machine).
  EXPECT_GE(streamed.size(), 8u) << joined(streamed);
  EXPECT_FALSE(one_piece_holds(streamed, "The budget review moved", "Maria will send"))
      << joined(streamed);
  EXPECT_TRUE(one_piece_holds(whole, "The budget review moved", "Maria will send"))
      << joined(whole);
  EXPECT_NE(joined(whole).find("Asking claude-haiku-4-5-20251001"), std::string::npos)
      << joined(whole);
}

TEST_F(LlmTest, FollowReRunsOverEverythingRead) {
  auto result = aai({"llm", "-f", "When is the budget review?", "--json"},
                    "The team met on Monday.\nThe budget review moved to Tuesday at noon.\n");

  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto answers = ndjson(result.out);
  ASSERT_FALSE(answers.empty());
  EXPECT_EQ(answers.back()["type"], "answer");
  EXPECT_EQ(answers.back()["turns"], 2);
  EXPECT_NE(answers.back()["output"].get<std::string>().find("Tuesday"), std::string::npos);
}

TEST_F(LlmTest, FollowNeedsLines) {
  auto result = aai({"llm", "-f", "Summarize."}, "");

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "Error: Standard input was empty: --follow needs lines to read.\n");
}

TEST_F(LlmTest, WrongKeyExitsFour) {
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "wrong-key");

  auto result = aai({"llm", "Summarize."}, kMeetingNotes);

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.err,
            "Error: Your API key was rejected by the LLM Gateway.\n"
            "Suggestion: Check the key, or run `aai login` to get a new one.\n");
}

TEST_F(LlmTest, TranscribeRunsTheChain) {
  auto result = aai({"transcribe", kClip.string(), "--llm", "Summarize.", "--llm", "Shorten it.",
                     "--llm-reduce", "List the people.", "--json"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto transcript = json::parse(result.out);
  EXPECT_EQ(transcript["status"], "completed");
  EXPECT_FALSE(transcript["text"].get<std::string>().empty());
  EXPECT_EQ(transcript["transform"]["model"], "aai-local-extractive");
  const auto& steps = transcript["transform"]["steps"];
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0]["prompt"], "Summarize.");
  EXPECT_EQ(steps[2]["prompt"], "List the people.");
  EXPECT_LE(
      word_error_rate(transcript["text"].get<std::string>(), steps[0]["output"].get<std::string>()),
      0.5)
      << steps[0]["output"];
}

TEST_F(LlmTest, TranscribeSummarizesTheRecording) {
  auto result = aai({"transcribe", kClip.string(), "--llm", "Summarize."});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LE(word_error_rate(kClipText, result.out), kMaxClipWordErrorRate) << result.out;
}

TEST_F(LlmTest, TranscriptsGetRunsTheChain) {
  std::string id = transcribe_id();

  auto result = aai({"transcripts", "get", id, "--llm", "Summarize.", "--json"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto transcript = json::parse(result.out);
  EXPECT_EQ(transcript["id"], id);
  EXPECT_EQ(transcript["transform"]["steps"].size(), 1u);
}

// A gateway of its own per test: these change how the emulator answers.
class GatewayRefusalTest : public ::testing::Test {
 protected:
  void start(const std::vector<std::string>& args, const std::string& key) {
    emulator_ = std::make_unique<Emulator>(data_.path() / "emulator", std::nullopt, args);
    sandbox_.set_env("AAI_LOCAL_PORT", std::to_string(emulator_->port()));
    sandbox_.set_env("ASSEMBLYAI_API_KEY", key);
  }

  RunResult llm(std::vector<std::string> args, const std::vector<std::string>& global = {}) {
    args.insert(args.begin(), "llm");
    args.insert(args.begin(), global.begin(), global.end());
    args.insert(args.begin(), {"--env", "local"});
    return sandbox_.run(args, kMeetingNotes);
  }

  TempDir data_;
  std::unique_ptr<Emulator> emulator_;
  Sandbox sandbox_;
};

TEST_F(GatewayRefusalTest, RefusedPlanShowsTheGatewaysMessage) {
  json accounts = {
      {"identities",
       json::array(
           {{{"email", "ada@example.com"},
             {"organizations",
              json::array(
                  {{{"organization_id", "org-free"},
                    {"organization_name", "Free team"},
                    {"account_id", 7},
                    {"llm_gateway", false},
                    {"projects",
                     json::array(
                         {{{"project", {{"id", 1}, {"name", "Default"}}},
                           {"tokens", json::array({{{"id", 1},
                                                    {"name", "ci"},
                                                    {"is_disabled", false},
                                                    {"api_key", "key-free-plan"}}})}}})}}})}}})}};
  auto file = data_.write("accounts.json", accounts.dump());
  start({"--accounts", file.string()}, "key-free-plan");

  auto result = llm({"Summarize."});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "Error: The LLM Gateway refused the request (HTTP 403): Your organization's plan does "
            "not include LLM Gateway access. Upgrade to a paid plan to use it.\n"
            "Suggestion: LLM Gateway access comes with a paid AssemblyAI plan; check your plan in "
            "the AssemblyAI dashboard.\n");
}

TEST_F(GatewayRefusalTest, BusyGatewayIsRetriedThenAnswers) {
  start({"--faults", "/v1/chat/completions=429x2"}, "any-key");

  auto result = llm({"When is the budget review?"}, {"-v"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Tuesday"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("got HTTP 429; retry 2 of 3 in 1.0 s."), std::string::npos)
      << result.err;
}

TEST_F(GatewayRefusalTest, GatewayThatStaysDownIsReported) {
  start({"--faults", "/v1/chat/completions=503x10"}, "any-key");

  auto result = llm({"Summarize."});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("Error: The LLM Gateway answered HTTP 503 after 4 attempts: ", 0), 0u)
      << result.err;
  EXPECT_NE(result.err.find("Suggestion: The gateway is busy; wait a minute and try again.\n"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace aai::testing
