// The real aai binary streaming real recordings to the real emulator's /v3/ws on 127.0.0.1.
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aai_local/wer.hpp"
#include "emulator_suite.hpp"
#include "harness.hpp"
#include "recordings.hpp"

namespace aai::testing {
namespace {

using aai::local::word_error_rate;

const std::filesystem::path kClip = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";
const std::string kClipText = "he was not an ill disposed young man";
// Seven seconds: long enough for partial turns and for Ctrl-C in the middle.
const std::filesystem::path kLongClip =
    std::filesystem::path(AAI_TEST_SOURCE_DIR) / "samples/sense-and-sensibility.wav";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<nlohmann::json> ndjson_lines(const std::string& text) {
  std::vector<nlohmann::json> events;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    events.push_back(nlohmann::json::parse(line));
  }
  return events;
}

class StreamTest : public EmulatorSuite<StreamTest> {};

TEST_F(StreamTest, FileStreamsWithinBatchErrorBound) {
  auto references = librivox_references();
  ASSERT_EQ(references.size(), 5u);

  auto started = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, RunningAai>> runs;
  for (const auto& [clip, reference] : references) {
    runs.emplace_back(
        clip,
        sandbox_.start(local({"stream", (kLibriVox / (clip + ".wav")).string(), "-o", "text"})));
  }
  std::string all_reference;
  std::string all_hypothesis;
  for (auto& [clip, run] : runs) {
    auto result = run.wait();
    ASSERT_EQ(result.exit_code, 0) << clip << ": " << result.err;
    double rate = word_error_rate(references[clip], result.out);
    EXPECT_LE(rate, kMaxClipWordErrorRate) << clip << ": " << result.out;
    RecordProperty(clip, std::to_string(rate));
    all_reference += references[clip] + " ";
    all_hypothesis += result.out + " ";
  }
  double overall = word_error_rate(all_reference, all_hypothesis);
  RecordProperty("overall_word_error_rate", std::to_string(overall));
  EXPECT_LE(overall, kMaxOverallWordErrorRate);
  // Audio is paced in real time, so the longest clip (about 7 s) bounds the run from below.
  EXPECT_GE(seconds_since(started), 6.0);
}

TEST_F(StreamTest, RawPcmFromStdinStreamsTheSame) {
  auto raw = files_.write("clip.raw", wav_samples(kClip));

  auto result = sandbox_.run(local({"stream", "-", "-o", "text"}), read_text(raw));

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LE(word_error_rate(kClipText, result.out), kMaxClipWordErrorRate) << result.out;
}

TEST_F(StreamTest, JsonIsNdjsonFromBeginToTermination) {
  auto result = aai({"stream", kLongClip.string(), "--json"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto events = ndjson_lines(result.out);
  ASSERT_GE(events.size(), 3u) << result.out;
  EXPECT_EQ(events.front()["type"], "begin");
  EXPECT_TRUE(events.front()["id"].is_string());
  EXPECT_EQ(events.back()["type"], "termination");
  EXPECT_GE(events.back()["audio_duration_seconds"].get<double>(), 6.0);
  int partials = 0;
  int finals = 0;
  for (size_t i = 1; i + 1 < events.size(); ++i) {
    ASSERT_EQ(events[i]["type"], "turn") << events[i];
    EXPECT_TRUE(events[i]["transcript"].is_string());
    (events[i]["end_of_turn"].get<bool>() ? finals : partials) += 1;
  }
  EXPECT_GE(partials, 1) << result.out;
  EXPECT_GE(finals, 1) << result.out;
}

TEST_F(StreamTest, TenStreamsRunAtOnce) {
  std::vector<RunningAai> runs;
  for (int i = 0; i < 10; ++i) {
    runs.push_back(sandbox_.start(local({"stream", kClip.string(), "-o", "text"})));
  }
  for (auto& run : runs) {
    auto result = run.wait();
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_LE(word_error_rate(kClipText, result.out), kMaxClipWordErrorRate) << result.out;
  }
}

TEST_F(StreamTest, InterruptSendsTerminateAndExits130) {
  auto run = sandbox_.start(local({"stream", kLongClip.string(), "-o", "text"}));
  std::this_thread::sleep_for(std::chrono::seconds(4));
  run.signal(SIGINT);

  auto result = run.wait();

  EXPECT_EQ(result.exit_code, 130) << result.err;
  // The words spoken before Ctrl-C are still printed: the server flushes the turn on Terminate.
  EXPECT_FALSE(result.out.empty()) << result.err;
  // About 4 s of audio on a quiet machine. A loaded one (a sanitizer build running other tests)
  // starts streaming later, so the bound only rules out "nothing" and "the whole clip".
  EXPECT_TRUE(std::regex_search(
      result.err,
      std::regex(R"(^Error: Interrupted after [1-4]\.\d s of audio \(1 turn finalised\)\.
)"))) << result.err;
}

TEST_F(StreamTest, TerminalRedrawsThePartialTurnInPlace) {
  std::string command =
      (build_dir() / "bin/aai").string() + " --env local stream " + kClip.string();

  auto result = sandbox_.run({"-qec", command, "/dev/null"}, {}, "/usr/bin/script");

  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("\r\x1b[K"), std::string::npos) << result.out;
  EXPECT_LE(word_error_rate(kClipText, result.out.substr(result.out.rfind('\r') + 1)), 1.0);
}

TEST_F(StreamTest, SavesTheAudioSentAndTheFinalTurns) {
  auto wav = files_.path() / "sent.wav";
  auto text = files_.path() / "turns.txt";

  auto result = aai({"stream", kClip.string(), "-o", "text", "--save-audio", wav.string(),
                     "--save-transcript", text.string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_text(text), result.out);
  std::string saved = wav_samples(wav);
  std::string sent = wav_samples(kClip);
  // The last frame is padded with silence to the service's 50 ms minimum, nothing more.
  EXPECT_GE(saved.size(), sent.size());
  EXPECT_LE(saved.size(), sent.size() + 1600);
  EXPECT_EQ(saved.compare(0, sent.size(), sent), 0);
}

TEST_F(StreamTest, WrongKeyExitsFourAtTheHandshake) {
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "wrong-key");

  auto result = aai({"stream", kClip.string(), "-o", "text"});

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.err,
            "Error: Your API key was rejected.\n"
            "Suggestion: Check the key, or run `aai login` to get a new one.\n");
  EXPECT_EQ(result.out, "");
}

TEST_F(StreamTest, TemporaryTokenKeepsTheKeyOffTheHandshake) {
  auto result = aai({"-vv", "stream", kClip.string(), "-o", "text", "--temp-token"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LE(word_error_rate(kClipText, result.out), kMaxClipWordErrorRate) << result.out;
  EXPECT_NE(result.err.find("[aai] > GET http://127.0.0.1:" + std::to_string(emulator_->port()) +
                            "/v3/token?expires_in_seconds=60\n[aai] > Authorization: [redacted]\n"),
            std::string::npos)
      << result.err;
  // The handshake carries the temporary token in its query and no Authorization header.
  EXPECT_TRUE(std::regex_search(result.err,
                                std::regex(R"(\[aai\] > WEBSOCKET ws://127\.0\.0\.1:\d+/v3/ws\?)"
                                           R"([^\n]*&token=\[redacted\]\n\[aai\] < 101 )")))
      << result.err;
  EXPECT_EQ(result.err.find("test-key"), std::string::npos);
}

// A separate emulator per test, because each test stops it in the middle of a stream.
class StreamDropTest : public ::testing::Test {
 protected:
  StreamDropTest() : emulator_(data_.path() / "emulator", "test-key") {
    sandbox_.set_env("AAI_LOCAL_PORT", std::to_string(emulator_.port()));
    sandbox_.set_env("ASSEMBLYAI_API_KEY", "test-key");
  }

  // Stops the emulator with `signal_number` 3 s into a stream and returns what aai printed.
  RunResult stop_emulator_mid_stream(int signal_number) {
    auto run = sandbox_.start({"--env", "local", "stream", kLongClip.string(), "-o", "text"});
    std::this_thread::sleep_for(std::chrono::seconds(3));
    emulator_.stop(signal_number);
    return run.wait();
  }

  TempDir data_;
  Emulator emulator_;
  Sandbox sandbox_;
};

TEST_F(StreamDropTest, KilledEmulatorReportsDroppedConnection) {
  auto result = stop_emulator_mid_stream(SIGKILL);

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(std::regex_search(
      result.err,
      std::regex(R"(^Error: The connection to the streaming service dropped after [23]\.\d s of )"
                 R"(audio \(0 turns finalised\): [^\n]+\.\nSuggestion: Check the network )"
                 R"(connection, then run the command again\.\n$)")))
      << result.err;
}

// A server that stops normally closes with 1001, which is reported with its reason.
TEST_F(StreamDropTest, EmulatorShutdownQuotesTheCloseReason) {
  auto result = stop_emulator_mid_stream(SIGTERM);

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err.substr(0, result.err.find('\n')),
            "Error: The streaming service closed the session (code 1001): The server is shutting "
            "down.");
}

TEST_F(StreamTest, MissingFileIsAUsageErrorBeforeConnecting) {
  auto missing = files_.path() / "nothing.wav";

  auto result = aai({"stream", missing.string()});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "Error: File not found: " + missing.string() +
                            "\nSuggestion: Check the path, or pass `-` to stream raw 16-bit PCM "
                            "from standard input.\n");
}

TEST_F(StreamTest, EmptyStdinIsAUsageError) {
  auto result = aai({"stream", "-"}, "");

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: Standard input ended before any audio.\n"
            "Suggestion: Pipe raw 16-bit PCM into the command, as in `cat talk.raw | aai stream "
            "-`.\n");
}

TEST_F(StreamTest, SampleRateMismatchIsUsageError) {
  auto result = aai({"stream", kClip.string(), "--sample-rate", "8000"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "Error: --sample-rate 8000 does not match the rate of " + kClip.string() +
                            ": 16000 Hz.\nSuggestion: Leave out --sample-rate for files; aai "
                            "reads the rate from the file.\n");
}

TEST_F(StreamTest, NoMicrophoneNamesTheSourcesToUseInstead) {
  if (std::filesystem::exists("/dev/snd")) {
    GTEST_SKIP() << "this machine has sound devices, so a microphone may exist";
  }

  auto result = aai({"stream"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: No microphone was found.\n"
            "Suggestion: Pass an audio file (`aai stream FILE`), or `-` to read raw 16-bit PCM "
            "from stdin.\n");
}

}  // namespace
}  // namespace aai::testing
