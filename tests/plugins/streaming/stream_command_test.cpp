#include "stream_command.hpp"

#include "audio_library.hpp"

#include <gtest/gtest.h>

#include <sndfile.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "stream_test_support.hpp"

namespace streaming::testing {
namespace {

const std::string kTerminate = R"({"type":"Terminate"})";
const std::string kDefaultUrl =
    "ws://127.0.0.1:9/v3/ws?sample_rate=16000&encoding=pcm_s16le&format_turns=true"
    "&speech_model=universal-3-5-pro";

std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("aai-stream-test-" + name);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_wav(const std::filesystem::path& path, int rate, size_t frames) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr);
  const std::vector<int16_t> samples = ramp(frames);
  sf_write_short(file, samples.data(), static_cast<sf_count_t>(samples.size()));
  sf_close(file);
}

// Sets the credential header the way the auth-stytch provider does.
aai_status_t add_key(void*, const aai_host_t*, const aai_request_editor_t* editor) {
  editor->set_credential_header(editor, "Authorization", "test-key");
  return AAI_STATUS_OK;
}

// Scripts a session that ends normally after `frames` audio frames and Terminate.
void script_normal_session(aai::testing::FakeHost& host, size_t frames) {
  host.script_text(kBegin);
  host.script_text(turn_json(0, "hello", false, false), 1);
  host.script_text(turn_json(0, "hello world", true, false), frames);
  host.script_text(turn_json(0, "Hello world.", true, true), frames);
  host.script_text(kTermination, frames + 1);
  host.script_close(1000, "", frames + 1);
}

TEST_F(StreamCommandTest, StreamsStdinAndPrintsFinalTurns) {
  host.provider = &add_key;
  script_normal_session(host, 3);
  feed_stdin(pcm_bytes(ramp(4800)));

  const int exit_code = run({}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_OK);
  EXPECT_FALSE(failure);
  EXPECT_EQ(host.stdout_text, "Hello world.\n");
  ASSERT_EQ(host.websocket_connects.size(), 1u);
  EXPECT_EQ(host.websocket_connects[0].url, kDefaultUrl);
  EXPECT_FALSE(host.websocket_connects[0].anonymous);
  const std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", "test-key"}};
  EXPECT_EQ(host.websocket_connects[0].headers, headers);
  ASSERT_EQ(host.websocket_sent.size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(host.websocket_sent[i].binary);
    EXPECT_EQ(host.websocket_sent[i].data.size(), 3200u);
  }
  EXPECT_FALSE(host.websocket_sent[3].binary);
  EXPECT_EQ(host.websocket_sent[3].data, kTerminate);
  EXPECT_EQ(host.websocket_releases, 1);
}

TEST_F(StreamCommandTest, DeclaresStdinSampleRate) {
  script_normal_session(host, 2);
  feed_stdin(pcm_bytes(ramp(1600)));

  const int exit_code = run({{"sample-rate", {"8000"}}}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_OK);
  ASSERT_EQ(host.websocket_connects.size(), 1u);
  EXPECT_EQ(host.websocket_connects[0].url.rfind("ws://127.0.0.1:9/v3/ws?sample_rate=8000&", 0),
            0u);
  EXPECT_EQ(host.websocket_sent[0].data.size(), 1600u);
}

TEST_F(StreamCommandTest, FetchesTemporaryTokenAndConnectsAnonymously) {
  host.provider = &add_key;
  host.respond(200, R"({"token":"tmp-123","expires_in_seconds":60})");
  script_normal_session(host, 1);
  feed_stdin(pcm_bytes(ramp(1600)));

  const int exit_code = run({{"temp-token", {"true"}}}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_OK);
  ASSERT_EQ(host.requests.size(), 1u);
  EXPECT_EQ(host.requests[0].method, "GET");
  EXPECT_EQ(host.requests[0].url, "http://127.0.0.1:9/v3/token?expires_in_seconds=60");
  const std::vector<std::pair<std::string, std::string>> token_headers = {
      {"Authorization", "test-key"}};
  EXPECT_EQ(host.requests[0].headers, token_headers);
  ASSERT_EQ(host.websocket_connects.size(), 1u);
  EXPECT_EQ(host.websocket_connects[0].url, kDefaultUrl + "&token=tmp-123");
  EXPECT_TRUE(host.websocket_connects[0].anonymous);
  EXPECT_TRUE(host.websocket_connects[0].headers.empty());
  EXPECT_EQ(host.secrets, std::vector<std::string>{"tmp-123"});
}

TEST_F(StreamCommandTest, ReportsTemporaryTokenFailure) {
  host.respond(500, R"({"error":"token service down"})");
  feed_stdin(pcm_bytes(ramp(1600)));

  const int exit_code = run({{"temp-token", {"true"}}}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_FAILURE);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "api_error");
  EXPECT_EQ(failure->message,
            "Could not get a temporary streaming token: HTTP 500: token service down");
  EXPECT_EQ(failure->suggestion,
            "Run the command again without --temp-token to connect with the API key.");
  EXPECT_TRUE(host.websocket_connects.empty());
}

TEST_F(StreamCommandTest, PassesOnRejectedHandshake) {
  host.websocket_connect_failure = aai::testing::ScriptedWebSocketFailure{
      AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated", "Your API key was rejected.",
      "Check the key, or run `aai login` to get a new one."};
  feed_stdin(pcm_bytes(ramp(1600)));

  const int exit_code = run({}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_NOT_AUTHENTICATED);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "not_authenticated");
  EXPECT_EQ(failure->message, "Your API key was rejected.");
}

TEST_F(StreamCommandTest, RejectsEmptyStdinBeforeConnecting) {
  feed_stdin("");

  const int exit_code = run({}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_USAGE);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "empty_audio");
  EXPECT_EQ(failure->message, "Standard input ended before any audio.");
  EXPECT_EQ(failure->suggestion,
            "Pipe raw 16-bit PCM into the command, as in `cat talk.raw | aai stream -`.");
  EXPECT_TRUE(host.websocket_connects.empty());
}

TEST_F(StreamCommandTest, SendsTerminateAndExits130WhenInterrupted) {
  host.script_text(turn_json(0, "Before the stop.", true, true), 2);
  host.script_text(kTermination, 1000);
  host.interrupt_on_check = 40;
  feed_stdin(pcm_bytes(ramp(16000 * 5)));

  const int exit_code = run({}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_INTERRUPTED);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "interrupted");
  const size_t frames = host.websocket_sent.size() - 1;
  EXPECT_LT(frames, 50u);
  EXPECT_EQ(host.websocket_sent.back().data, kTerminate);
  EXPECT_EQ(failure->message,
            "Interrupted after " + one_decimal(frames * 0.1) + " s of audio (1 turn finalised).");
  EXPECT_EQ(host.stdout_text, "Before the stop.\n");
}

TEST_F(StreamCommandTest, PrintsNdjsonEvents) {
  host.json = true;
  script_normal_session(host, 1);
  feed_stdin(pcm_bytes(ramp(1600)));

  const int exit_code = run({}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_OK);
  EXPECT_EQ(
      host.stdout_text,
      R"({"expires_at":1700000000,"id":"session-1","type":"begin"})"
      "\n"
      R"({"end_of_turn":false,"transcript":"hello","turn_is_formatted":false,"turn_order":0,"type":"turn","words":[]})"
      "\n"
      R"({"end_of_turn":true,"transcript":"Hello world.","turn_is_formatted":true,"turn_order":0,"type":"turn","words":[]})"
      "\n"
      R"({"audio_duration_seconds":1,"session_duration_seconds":2,"type":"termination"})"
      "\n");
}

TEST_F(StreamCommandTest, StopsQuietlyWhenStdoutIsClosed) {
  host.stdout_closed = true;
  script_normal_session(host, 1);
  feed_stdin(pcm_bytes(ramp(1600)));

  const int exit_code = run({}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_OK);
  EXPECT_FALSE(failure);
}

TEST_F(StreamCommandTest, ReportsDroppedConnection) {
  host.script_text(turn_json(0, "One.", true, true), 1);
  host.script_close(1006, "connection reset by peer", 2);
  feed_stdin(pcm_bytes(ramp(16000)));

  const int exit_code = run({}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_FAILURE);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "connection_error");
  EXPECT_EQ(failure->message,
            "The connection to the streaming service dropped after 0.2 s of audio (1 turn "
            "finalised): connection reset by peer.");
}

TEST_F(StreamCommandTest, SavesAudioAsPcmWavEvenWithMulaw) {
  const auto path = temp_path("saved.wav");
  script_normal_session(host, 3);
  feed_stdin(pcm_bytes(ramp(4000)));

  const int exit_code = run({{"save-audio", {path.string()}}, {"encoding", {"pcm_mulaw"}}}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_OK);
  EXPECT_EQ(host.websocket_sent[0].data.size(), 1600u);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".partial"));
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(info.samplerate, 16000);
  EXPECT_EQ(info.channels, 1);
  EXPECT_EQ(info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  // 4000 samples: two full frames and a last frame of 800 samples.
  EXPECT_EQ(info.frames, 4000);
  std::vector<int16_t> saved(4000);
  sf_read_short(file, saved.data(), 4000);
  sf_close(file);
  EXPECT_EQ(saved, ramp(4000));
  std::filesystem::remove(path);
}

TEST_F(StreamCommandTest, KeepsSavedAudioWhenConnectionDrops) {
  const auto path = temp_path("dropped.wav");
  host.script_close(1006, "connection reset by peer", 2);
  feed_stdin(pcm_bytes(ramp(16000)));

  const int exit_code = run({{"save-audio", {path.string()}}}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_FAILURE);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".partial"));
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(info.samplerate, 16000);
  EXPECT_GE(info.frames, 1600);
  sf_close(file);
  std::filesystem::remove(path);
}

TEST_F(StreamCommandTest, SavesTranscriptLines) {
  const auto path = temp_path("transcript.txt");
  host.script_text(turn_json(0, "First.", true, true, "A"), 1);
  host.script_text(turn_json(1, "Second.", true, true, "B"), 2);
  host.script_text(kTermination, 3);
  host.script_close(1000, "", 3);
  feed_stdin(pcm_bytes(ramp(3200)));

  const int exit_code =
      run({{"save-transcript", {path.string()}}, {"speaker-labels", {"true"}}}, {"-"});

  EXPECT_EQ(exit_code, AAI_EXIT_OK);
  EXPECT_EQ(read_text(path), "Speaker A: First.\nSpeaker B: Second.\n");
  EXPECT_EQ(host.stdout_text, "Speaker A: First.\nSpeaker B: Second.\n");
  std::filesystem::remove(path);
}

TEST_F(StreamCommandTest, StreamsWavFileAtSixteenKilohertz) {
  const auto path = temp_path("input.wav");
  write_wav(path, 16000, 3200);
  script_normal_session(host, 2);

  const int exit_code = run({}, {path.string()});

  EXPECT_EQ(exit_code, AAI_EXIT_OK);
  ASSERT_EQ(host.websocket_connects.size(), 1u);
  EXPECT_EQ(host.websocket_connects[0].url, kDefaultUrl);
  EXPECT_EQ(host.websocket_sent[0].data, pcm_bytes(ramp(1600)));
  std::filesystem::remove(path);
}

TEST_F(StreamCommandTest, RejectsSampleRateThatDiffersFromFile) {
  const auto path = temp_path("rate.wav");
  write_wav(path, 16000, 1600);

  const int exit_code = run({{"sample-rate", {"8000"}}}, {path.string()});

  EXPECT_EQ(exit_code, AAI_EXIT_USAGE);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "usage_error");
  EXPECT_EQ(failure->message,
            "--sample-rate 8000 does not match the rate of " + path.string() + ": 16000 Hz.");
  EXPECT_EQ(failure->suggestion,
            "Leave out --sample-rate for files; aai reads the rate from the file.");
  EXPECT_TRUE(host.websocket_connects.empty());
  std::filesystem::remove(path);
}

TEST_F(StreamCommandTest, RejectsFileThatIsNotAudio) {
  const auto path = temp_path("notes.wav");
  std::ofstream(path) << "these are not samples";

  const int exit_code = run({}, {path.string()});

  EXPECT_EQ(exit_code, AAI_EXIT_FAILURE);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "audio_input_error");
  EXPECT_EQ(failure->message.rfind("Could not decode the audio file '" + path.string() + "': ", 0),
            0u);
  EXPECT_EQ(failure->suggestion,
            "Pass a WAV, FLAC, Ogg or MP3 file, or raw 16-bit PCM on standard input with `-`.");
  std::filesystem::remove(path);
}

// A backend whose system has no input device.
class NoMicrophoneBackend : public AudioBackend {
 public:
  OpenedFile open_file(const std::string&, AudioFailure&) override { return {}; }
  std::unique_ptr<BlockReader> open_microphone(const MicrophoneRequest&,
                                               AudioFailure& failure) override {
    failure = {AAI_EXIT_USAGE, "no_microphone", "No microphone was found.",
               "Pass an audio file (`aai stream FILE`), or `-` to read raw 16-bit PCM from "
               "stdin."};
    return nullptr;
  }
  std::unique_ptr<WavWriter> create_wav(const std::string&, int, AudioFailure&) override {
    return nullptr;
  }
};

TEST_F(StreamCommandTest, ReportsMissingMicrophoneFromBackend) {
  NoMicrophoneBackend no_microphone;
  environment.audio_backend = [&no_microphone]() -> AudioBackend& { return no_microphone; };

  const int exit_code = run({}, {});

  EXPECT_EQ(exit_code, AAI_EXIT_USAGE);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "no_microphone");
  EXPECT_EQ(failure->message, "No microphone was found.");
  EXPECT_EQ(failure->suggestion,
            "Pass an audio file (`aai stream FILE`), or `-` to read raw 16-bit PCM from stdin.");
  EXPECT_TRUE(host.websocket_connects.empty());
}

TEST_F(StreamCommandTest, ReportsMissingAudioLibrary) {
  try {
    load_audio_backend("/nonexistent/libaai-stream-audio.so");
    FAIL() << "expected missing_dependency";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.type(), "missing_dependency");
    EXPECT_EQ(
        std::string(error.what())
            .rfind("Could not load the audio library /nonexistent/libaai-stream-audio.so: ", 0),
        0u);
  }
}

}  // namespace
}  // namespace streaming::testing
