// The real aai binary transcribing real recordings through the real emulator on 127.0.0.1.
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aai_local/wer.hpp"
#include "emulator_suite.hpp"
#include "harness.hpp"
#include "recordings.hpp"

namespace aai::testing {
namespace {

using aai::local::word_error_rate;

class TranscribeTest : public EmulatorSuite<TranscribeTest> {
 protected:
  std::string transcribe_id(const std::filesystem::path& audio) {
    auto result = aai({"transcribe", audio.string(), "-o", "id"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::string id = result.out.substr(0, result.out.find('\n'));
    EXPECT_FALSE(id.empty());
    return id;
  }
};

TEST_F(TranscribeTest, RecognisesLibriVoxClipsWithinBound) {
  auto references = librivox_references();
  ASSERT_EQ(references.size(), 5u);

  std::string all_reference;
  std::string all_hypothesis;
  for (const auto& [clip, reference] : references) {
    auto result = aai({"transcribe", (kLibriVox / (clip + ".wav")).string(), "-o", "text"});
    ASSERT_EQ(result.exit_code, 0) << result.err;

    double rate = word_error_rate(reference, result.out);
    EXPECT_LE(rate, kMaxClipWordErrorRate) << clip << ": " << result.out;
    RecordProperty(clip, std::to_string(rate));
    all_reference += reference + " ";
    all_hypothesis += result.out + " ";
  }
  double overall = word_error_rate(all_reference, all_hypothesis);
  RecordProperty("overall_word_error_rate", std::to_string(overall));
  EXPECT_LE(overall, kMaxOverallWordErrorRate);
}

TEST_F(TranscribeTest, DefaultViewPrintsText) {
  auto result =
      aai({"transcribe", (kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav").string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LE(word_error_rate("he was not an ill disposed young man", result.out), 0.5) << result.out;
}

TEST_F(TranscribeTest, JsonOutputIsTheTranscriptObject) {
  auto audio = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";

  auto result = aai({"transcribe", audio.string(), "--json"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto transcript = nlohmann::json::parse(result.out);
  EXPECT_EQ(transcript["status"], "completed");
  EXPECT_TRUE(transcript["id"].is_string());
  ASSERT_TRUE(transcript["words"].is_array());
  ASSERT_FALSE(transcript["words"].empty());
  for (const auto& word : transcript["words"]) {
    EXPECT_TRUE(word["start"].is_number_integer());
    EXPECT_TRUE(word["end"].is_number_integer());
    EXPECT_LE(word["start"].get<int64_t>(), word["end"].get<int64_t>());
    EXPECT_GE(word["confidence"].get<double>(), 0.0);
    EXPECT_LE(word["confidence"].get<double>(), 1.0);
  }
}

TEST_F(TranscribeTest, EveryOutputFormatWorks) {
  std::string id = transcribe_id(kLibriVox / "sense_and_sensibility_01_austen_64kb-0930.wav");
  ASSERT_FALSE(id.empty());

  auto status = aai({"transcripts", "get", id, "-o", "status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(status.out, "completed\n");

  auto id_output = aai({"transcripts", "get", id, "-o", "id"});
  EXPECT_EQ(id_output.out, id + "\n");

  auto srt = aai({"transcripts", "get", id, "-o", "srt"});
  EXPECT_EQ(srt.exit_code, 0) << srt.err;
  EXPECT_TRUE(std::regex_search(
      srt.out, std::regex(R"(^1\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d\n)")))
      << srt.out;

  auto vtt = aai({"transcripts", "get", id, "-o", "vtt"});
  EXPECT_EQ(vtt.exit_code, 0) << vtt.err;
  EXPECT_EQ(vtt.out.rfind("WEBVTT", 0), 0u) << vtt.out;
  EXPECT_TRUE(std::regex_search(
      vtt.out, std::regex(R"((\d\d:)?\d\d:\d\d\.\d\d\d --> (\d\d:)?\d\d:\d\d\.\d\d\d)")))
      << vtt.out;

  auto json = aai({"transcripts", "get", id, "-o", "json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["id"], id);

  auto text = aai({"transcripts", "get", id, "-o", "text"});
  EXPECT_LE(word_error_rate("he might even have been made amiable himself", text.out), 0.5)
      << text.out;
}

TEST_F(TranscribeTest, SpeakerLabelsGiveUtterances) {
  auto audio = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";

  auto result = aai({"transcribe", audio.string(), "--speaker-labels", "-o", "utterances"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("Speaker A: ", 0), 0u) << result.out;
}

TEST_F(TranscribeTest, OutFileIsWrittenAndConfirmed) {
  auto audio = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";
  auto out = files_.path() / "transcript.txt";

  auto result = aai({"transcribe", audio.string(), "--out", out.string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("Saved to " + out.string()), std::string::npos) << result.err;
  std::ifstream in(out);
  std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_LE(word_error_rate("he was not an ill disposed young man", saved), 0.5) << saved;
}

// Progress is drawn only on a terminal: under script(1) stderr is a pseudo-terminal, while the
// other tests capture it in a file and see no progress at all.
TEST_F(TranscribeTest, ProgressShowsOnlyOnTerminal) {
  auto audio = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";
  std::string command =
      (build_dir() / "bin/aai").string() + " --env local transcribe " + audio.string();

  auto on_terminal = sandbox_.run({"-qec", command, "/dev/null"}, {}, "/usr/bin/script");
  auto in_file = aai({"transcribe", audio.string()});

  ASSERT_EQ(on_terminal.exit_code, 0) << on_terminal.out;
  EXPECT_TRUE(on_terminal.out.find("Uploading") != std::string::npos) << on_terminal.out;
  EXPECT_TRUE(on_terminal.out.find("\r") != std::string::npos);
  EXPECT_EQ(in_file.exit_code, 0) << in_file.err;
  EXPECT_EQ(in_file.err, "");
}

TEST_F(TranscribeTest, StdinIsTranscribed) {
  std::ifstream in(kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav", std::ios::binary);
  std::string audio((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  auto result = aai({"transcribe", "-", "-o", "text"}, audio);

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LE(word_error_rate("he was not an ill disposed young man", result.out), 0.5);
}

TEST_F(TranscribeTest, ListGetAndDelete) {
  std::string id = transcribe_id(kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav");

  auto list = aai({"transcripts", "list", "--limit", "200", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto listed = nlohmann::json::parse(list.out);
  ASSERT_TRUE(listed.is_array());
  bool found = false;
  for (const auto& item : listed) {
    found = found || item["id"] == id;
  }
  EXPECT_TRUE(found) << list.out;

  auto table = aai({"transcripts", "list"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find(id), std::string::npos);

  auto deleted = aai({"transcripts", "delete", id, "--json"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(nlohmann::json::parse(deleted.out)["id"], id);

  auto text = aai({"transcripts", "get", id, "-o", "text"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.find("ill disposed"), std::string::npos);
}

TEST_F(TranscribeTest, UndecodableAudioEndsInApiError) {
  auto junk = files_.write("notes.wav", "these are not audio samples\n");

  auto result = aai({"transcribe", junk.string()});

  EXPECT_EQ(result.exit_code, 1);
  // The transcript id in the message is new on every run, so the lines around it are compared.
  EXPECT_EQ(result.err.rfind("Error: Transcript ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find(" failed: File does not appear to be an audio file: Format not "
                            "recognised.\nSuggestion: "),
            std::string::npos)
      << result.err;
}

TEST_F(TranscribeTest, UndecodableAudioJsonErrorCarriesTranscriptId) {
  auto junk = files_.write("notes.wav", "these are not audio samples\n");

  auto result = aai({"--json", "transcribe", junk.string()});

  EXPECT_EQ(result.exit_code, 1);
  auto error = nlohmann::json::parse(result.err)["error"];
  EXPECT_EQ(error["type"], "api_error");
  EXPECT_TRUE(error["transcript_id"].is_string()) << result.err;
}

TEST_F(TranscribeTest, WrongKeyIsRejected) {
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "not-the-key");

  auto result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.err,
            "Error: Your API key was rejected.\n"
            "Suggestion: Check the key, or run `aai login` to get a new one.\n");
}

TEST_F(TranscribeTest, MissingKeyFailsBeforeAnyRequest) {
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "   ");

  auto result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.err,
            "Error: No API key is configured.\n"
            "Suggestion: Run `aai login`, or set ASSEMBLYAI_API_KEY to your API key.\n");
}

TEST_F(TranscribeTest, MissingKeyJsonError) {
  sandbox_.set_env("ASSEMBLYAI_API_KEY", std::nullopt);

  auto result = aai({"transcripts", "list", "--json"});

  EXPECT_EQ(result.exit_code, 4);
  auto error = nlohmann::json::parse(result.err)["error"];
  EXPECT_EQ(error["type"], "not_authenticated");
  EXPECT_EQ(error["message"], "No API key is configured.");
}

TEST_F(TranscribeTest, MissingFileFailsWithItsPath) {
  auto missing = files_.path() / "missing.wav";

  auto result = aai({"transcribe", missing.string()});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.rfind("Error: File not found: " + missing.string(), 0), 0u) << result.err;
}

TEST_F(TranscribeTest, EmptyFileFailsWithItsPath) {
  auto empty = files_.write("empty.wav", "");

  auto result = aai({"transcribe", empty.string()});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "Error: The audio file is empty: " + empty.string() +
                            "\nSuggestion: Check that the recording finished writing, then run "
                            "the command again.\n");
}

TEST_F(TranscribeTest, FolderWithoutAudioIsUsageError) {
  // A folder starts a batch (batch_test.cpp), which needs a recording in it.
  auto result = aai({"--json", "transcribe", files_.path().string()});

  EXPECT_EQ(result.exit_code, 2);
  auto error = nlohmann::json::parse(result.err)["error"];
  EXPECT_EQ(error["type"], "usage_error") << result.err;
  EXPECT_EQ(error["message"], "No audio or video files found in the batch sources.");
}

TEST_F(TranscribeTest, ClosedPipeExitsZero) {
  // `aai ... | head -c0` closes stdout before aai writes; the run must still exit 0 quietly.
  auto script = files_.write("pipe.sh", "\"$@\" | head -c0; exit ${PIPESTATUS[0]}\n");
  std::vector<std::string> args = {script.string(), (build_dir() / "bin/aai").string(),
                                   "--env",         "local",
                                   "transcripts",   "list",
                                   "--limit",       "50"};

  auto result = sandbox_.run(args, {}, "/bin/bash");

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace aai::testing
