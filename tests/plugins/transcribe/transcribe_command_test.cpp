#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "plugin_fixture.hpp"

using aai::testing::FakeInvocation;
using nlohmann::json;

namespace {

// Writes an audio file whose name starts with the running test's, because ctest runs tests in
// parallel processes that share the temporary folder.
std::string make_audio(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

const char* kCompleted = R"({"id":"t1","status":"completed","text":"Hello world."})";

TEST_F(TranscribePluginTest, UploadsFileAndPrintsText) {
  std::string audio = make_audio("hello.wav", "RIFF-audio-bytes");
  host_.respond(200, R"({"upload_url":"https://cdn.test/u1"})");
  host_.respond(200, R"({"id":"t1","status":"queued"})");
  host_.respond(200, R"({"id":"t1","status":"processing"})");
  host_.respond(200, kCompleted);
  FakeInvocation invocation({{"speaker-labels", {"true"}}, {"speakers-expected", {"2"}}}, {audio});

  ASSERT_EQ(run("transcribe", invocation), 0);

  EXPECT_EQ(host_.stdout_text, "Hello world.\n");
  ASSERT_EQ(host_.requests.size(), 4u);
  EXPECT_EQ(host_.requests[0].method, "POST");
  EXPECT_EQ(host_.requests[0].url, "http://127.0.0.1:9/v2/upload");
  EXPECT_EQ(host_.requests[0].body_file, audio);
  EXPECT_EQ(host_.requests[0].body_file_content, "RIFF-audio-bytes");
  EXPECT_TRUE(host_.requests[0].body.empty());
  EXPECT_EQ(host_.requests[1].url, "http://127.0.0.1:9/v2/transcript");
  EXPECT_EQ(host_.requests[1].body,
            R"({"audio_url":"https://cdn.test/u1","speaker_labels":true,)"
            R"("speakers_expected":2,"speech_models":["universal-3-5-pro"]})");
  EXPECT_EQ(host_.requests[2].url, "http://127.0.0.1:9/v2/transcript/t1");
  EXPECT_EQ(host_.requests[3].method, "GET");
}

TEST_F(TranscribePluginTest, BuildsBodyFromEveryNamedFlag) {
  host_.respond(200, kCompleted);
  FakeInvocation invocation({{"speech-model", {"nano"}},
                             {"language-code", {"de"}},
                             {"punctuate", {"false"}},
                             {"format-text", {"true"}},
                             {"word-boost", {"Kubernetes", "gRPC"}},
                             {"keyterms-prompt", {"AssemblyAI"}},
                             {"redact-pii", {"true"}},
                             {"redact-pii-policy", {"person_name, email_address"}},
                             {"redact-pii-sub", {"entity_name"}},
                             {"summarization", {"true"}},
                             {"summary-model", {"catchy"}},
                             {"summary-type", {"gist"}},
                             {"auto-chapters", {"true"}},
                             {"sentiment-analysis", {"true"}},
                             {"entity-detection", {"true"}},
                             {"webhook-url", {"https://hook.test/x"}},
                             {"audio-start", {"1000"}},
                             {"audio-end", {"9000"}},
                             {"config", {"disfluencies=true", "language_code=fr"}}},
                            {"https://media.test/a.mp3"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  ASSERT_EQ(host_.requests.size(), 1u);
  EXPECT_EQ(
      host_.requests[0].body,
      R"({"audio_end_at":9000,"audio_start_from":1000,"audio_url":"https://media.test/a.mp3",)"
      R"("auto_chapters":true,"disfluencies":true,"entity_detection":true,)"
      R"("format_text":true,"keyterms_prompt":["AssemblyAI"],"language_code":"de",)"
      R"("punctuate":false,"redact_pii":true,"redact_pii_policies":["person_name",)"
      R"("email_address"],"redact_pii_sub":"entity_name","sentiment_analysis":true,)"
      R"("speech_models":["nano"],"summarization":true,"summary_model":"catchy",)"
      R"("summary_type":"gist","webhook_url":"https://hook.test/x",)"
      R"("word_boost":["Kubernetes","gRPC"]})");
}

TEST_F(TranscribePluginTest, PollsWithGrowingBackoff) {
  host_.respond(200, R"({"id":"t1","status":"queued"})");
  for (int i = 0; i < 6; ++i) {
    host_.respond(200, R"({"id":"t1","status":"processing"})");
  }
  host_.respond(200, kCompleted);
  FakeInvocation invocation({}, {"https://media.test/a.mp3"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  EXPECT_EQ(delays_, (std::vector<long long>{500, 750, 1125, 1687, 2530, 3000, 3000}));
  EXPECT_EQ(host_.progress_labels.front(), "Transcript t1: queued");
  EXPECT_EQ(host_.progress_labels.back(), "Transcript t1: processing");
}

TEST_F(TranscribePluginTest, ReportsErrorStatusWithTranscriptId) {
  host_.respond(200, R"({"id":"t9","status":"queued"})");
  host_.respond(200, R"({"id":"t9","status":"error","error":"Audio file is corrupt"})");
  FakeInvocation invocation({}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 1);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "api_error");
  EXPECT_EQ(invocation.failure->message, "Transcript t9 failed: Audio file is corrupt");
  EXPECT_EQ(invocation.failure->details_json, R"({"transcript_id":"t9"})");
  EXPECT_TRUE(host_.stdout_text.empty());
}

TEST_F(TranscribePluginTest, StopsPollingWhenInterrupted) {
  host_.interrupt_on_check = 1;
  host_.respond(200, R"({"id":"t1","status":"queued"})");
  FakeInvocation invocation({}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 130);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "interrupted");
  EXPECT_EQ(invocation.failure->message, "Interrupted while waiting for transcript t1.");
  EXPECT_EQ(host_.requests.size(), 1u);
}

TEST_F(TranscribePluginTest, QuotesServiceMessageOnHttpError) {
  host_.respond(400, R"({"error": "format_text must be a Boolean"})");
  FakeInvocation invocation({}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 1);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "api_error");
  EXPECT_EQ(invocation.failure->message,
            "Creating the transcript failed with HTTP 400: format_text must be a Boolean");
  EXPECT_EQ(invocation.failure->details_json, R"({"http_status":400})");
}

TEST_F(TranscribePluginTest, RejectsMissingFileBeforeAnyRequest) {
  FakeInvocation invocation({}, {"/nonexistent/talk.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "file_not_found");
  EXPECT_EQ(invocation.failure->message, "File not found: /nonexistent/talk.mp3");
  EXPECT_EQ(invocation.failure->suggestion,
            "Check the path, or pass an http(s) URL or `-` to read standard input.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, RejectsFolderWithoutAudioBeforeAnyRequest) {
  // A folder starts a batch, which needs at least one recording in it.
  std::string folder = ::testing::TempDir() +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-dir";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  std::ofstream(folder + "/notes.txt") << "not audio";
  FakeInvocation invocation({}, {folder});

  EXPECT_EQ(run("transcribe", invocation), 2);

  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "usage_error");
  EXPECT_EQ(invocation.failure->message, "No audio or video files found in the batch sources.");
  EXPECT_TRUE(host_.requests.empty());
  std::filesystem::remove_all(folder);
}

TEST_F(TranscribePluginTest, RejectsEmptyFileBeforeAnyRequest) {
  std::string audio = make_audio("empty.wav", "");
  FakeInvocation invocation({}, {audio});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->type, "empty_audio");
  EXPECT_EQ(invocation.failure->message, "The audio file is empty: " + audio);
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, RejectsOutPathInMissingFolderBeforeUpload) {
  std::string audio = make_audio("hello.wav", "bytes");
  FakeInvocation invocation({{"out", {"/nonexistent/dir/out.txt"}}}, {audio});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->type, "save_transcript_path");
  EXPECT_EQ(invocation.failure->message,
            "The folder of --out '/nonexistent/dir/out.txt' does not exist: /nonexistent/dir");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, RejectsOutPathThatIsFolder) {
  FakeInvocation invocation({{"out", {::testing::TempDir()}}}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->message,
            "--out '" + ::testing::TempDir() + "' is a folder, not a file.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, SavesResultAtomicallyToOut) {
  std::string out = ::testing::TempDir() + "saved-transcript.txt";
  std::filesystem::remove(out);
  host_.respond(200, kCompleted);
  FakeInvocation invocation({{"out", {out}}, {"output", {"id"}}}, {"https://media.test/a.mp3"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  std::ifstream saved(out);
  std::string content((std::istreambuf_iterator<char>(saved)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "t1\n");
  EXPECT_TRUE(host_.stdout_text.empty());
  ASSERT_EQ(host_.messages.size(), 1u);
  EXPECT_EQ(host_.messages[0].second, "Saved to " + out);
}

TEST_F(TranscribePluginTest, RejectsJsonWithOtherOutput) {
  host_.json = true;
  FakeInvocation invocation({{"output", {"text"}}}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->type, "usage_error");
  EXPECT_EQ(invocation.failure->message, "--json cannot be combined with -o text.");
}

TEST_F(TranscribePluginTest, RejectsCharsPerCaptionWithoutCaptions) {
  FakeInvocation invocation({{"chars-per-caption", {"32"}}}, {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->message, "--chars-per-caption only applies to -o srt or -o vtt.");
}

TEST_F(TranscribePluginTest, RejectsLanguageCodeWithDetection) {
  FakeInvocation invocation({{"language-code", {"de"}}, {"language-detection", {"true"}}},
                            {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->message,
            "--language-code and --language-detection cannot be used together.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, RejectsUnknownPiiPolicy) {
  FakeInvocation invocation(
      {{"redact-pii", {"true"}}, {"redact-pii-policy", {"person_name,shoe_size"}}},
      {"https://media.test/a.mp3"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->message, "Unknown PII policy 'shoe_size' in --redact-pii-policy.");
  EXPECT_EQ(invocation.failure->suggestion.rfind("Valid policies: account_number, ", 0), 0u);
}

TEST_F(TranscribePluginTest, PrintsFullJsonWithJsonFlag) {
  host_.json = true;
  host_.respond(200, kCompleted);
  FakeInvocation invocation({}, {"https://media.test/a.mp3"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  EXPECT_EQ(host_.stdout_text, json::parse(kCompleted).dump() + "\n");
}

TEST_F(TranscribePluginTest, PassesSrtThroughWithCaptionWidth) {
  host_.respond(200, kCompleted);
  host_.respond(200, "1\n00:00:00,000 --> 00:00:01,000\nHello world.\n");
  FakeInvocation invocation({{"output", {"srt"}}, {"chars-per-caption", {"32"}}},
                            {"https://media.test/a.mp3"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  EXPECT_EQ(host_.requests[1].url, "http://127.0.0.1:9/v2/transcript/t1/srt?chars_per_caption=32");
  EXPECT_EQ(host_.stdout_text, "1\n00:00:00,000 --> 00:00:01,000\nHello world.\n");
}

// Replaces fd 0 with a pipe holding `content` for the duration of one test.
class StdinReplacement {
 public:
  explicit StdinReplacement(const std::string& content) {
    saved_ = ::dup(STDIN_FILENO);
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    EXPECT_EQ(::write(fds[1], content.data(), content.size()),
              static_cast<ssize_t>(content.size()));
    ::close(fds[1]);
    ::dup2(fds[0], STDIN_FILENO);
    ::close(fds[0]);
  }
  ~StdinReplacement() {
    ::dup2(saved_, STDIN_FILENO);
    ::close(saved_);
  }

 private:
  int saved_ = -1;
};

TEST_F(TranscribePluginTest, UploadsStdinThroughTempFile) {
  StdinReplacement stdin_content("piped-audio");
  host_.respond(200, R"({"upload_url":"https://cdn.test/u2"})");
  host_.respond(200, kCompleted);
  FakeInvocation invocation({}, {"-"});

  ASSERT_EQ(run("transcribe", invocation), 0);

  EXPECT_EQ(host_.requests[0].body_file_content, "piped-audio");
  EXPECT_FALSE(std::filesystem::exists(host_.requests[0].body_file));
  EXPECT_EQ(json::parse(host_.requests[1].body)["audio_url"], "https://cdn.test/u2");
}

TEST_F(TranscribePluginTest, RejectsEmptyStdin) {
  StdinReplacement stdin_content("");
  FakeInvocation invocation({}, {"-"});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->type, "empty_audio");
  EXPECT_EQ(invocation.failure->message, "Standard input is empty.");
  EXPECT_TRUE(host_.requests.empty());
}

}  // namespace
