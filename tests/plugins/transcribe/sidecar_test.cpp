#include <gtest/gtest.h>

#include <aai/plugin.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sidecar.hpp"

namespace fs = std::filesystem;
using transcribe::SidecarRead;

namespace {

class SidecarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ =
        fs::path(::testing::TempDir()) /
        (std::string("sidecar-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    sidecar_ = (folder_ / "talk.mp3.aai.json").string();
  }
  void TearDown() override {
    fs::permissions(folder_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(folder_);
  }

  void write_text(const std::string& text) const { std::ofstream(sidecar_) << text; }

  fs::path folder_;
  std::string sidecar_;
};

nlohmann::ordered_json completed_document() {
  nlohmann::ordered_json document;
  document["version"] = 1;
  document["state"] = "completed";
  document["audio_sha256"] = "aa";
  document["options_sha256"] = "bb";
  document["transcript_id"] = "t1";
  document["transcript"] = {{"id", "t1"}, {"text", "Hello."}};
  return document;
}

TEST_F(SidecarTest, WrittenSidecarReadsBack) {
  transcribe::write_sidecar(sidecar_, completed_document());

  const SidecarRead read = transcribe::read_sidecar(sidecar_);

  EXPECT_EQ(read.state, SidecarRead::State::kCompleted);
  EXPECT_EQ(read.document["transcript"]["text"], "Hello.");
  EXPECT_TRUE(transcribe::sidecar_matches(read.document, "aa", "bb"));
  EXPECT_FALSE(transcribe::sidecar_matches(read.document, "aa", "other"));
  EXPECT_FALSE(transcribe::sidecar_matches(read.document, "changed", "bb"));
}

TEST_F(SidecarTest, WrittenSidecarIsPrivateAndAlone) {
  transcribe::write_sidecar(sidecar_, completed_document());

  struct stat info {};
  ASSERT_EQ(::stat(sidecar_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder_)) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST_F(SidecarTest, MissingSidecarIsMissing) {
  EXPECT_EQ(transcribe::read_sidecar(sidecar_).state, SidecarRead::State::kMissing);
}

TEST_F(SidecarTest, InvalidSidecarsAreCorrupt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "it is not a JSON object"},
      {"[1]", "it is not a JSON object"},
      {R"({"version":2})", "its version is not 1"},
      {R"({"version":1,"state":"completed","audio_sha256":"a","options_sha256":"b"})",
       "it has no transcript_id"},
      {R"({"version":1,"state":"completed","audio_sha256":"a","options_sha256":"b",)"
       R"("transcript_id":"t1"})",
       "it is completed but has no transcript"},
      {R"({"version":1,"state":"done","audio_sha256":"a","options_sha256":"b",)"
       R"("transcript_id":"t1"})",
       "its state 'done' is unknown"},
      {R"({"version":1,"state":"creating","audio_sha256":"a","options_sha256":"b"})",
       "it has no upload_url"},
  };
  for (const auto& [text, problem] : cases) {
    write_text(text);

    const SidecarRead read = transcribe::read_sidecar(sidecar_);

    EXPECT_EQ(read.state, SidecarRead::State::kCorrupt) << text;
    EXPECT_EQ(read.problem, problem) << text;
  }
}

TEST_F(SidecarTest, SubmittedAndErrorStatesAreRead) {
  write_text(R"({"version":1,"state":"submitted","audio_sha256":"a","options_sha256":"b",)"
             R"("transcript_id":"t1"})");
  EXPECT_EQ(transcribe::read_sidecar(sidecar_).state, SidecarRead::State::kSubmitted);

  write_text(R"({"version":1,"state":"error","audio_sha256":"a","options_sha256":"b",)"
             R"("transcript_id":"t1"})");
  EXPECT_EQ(transcribe::read_sidecar(sidecar_).state, SidecarRead::State::kError);
}

TEST_F(SidecarTest, CreatingStateNeedsNoTranscriptId) {
  write_text(R"({"version":1,"state":"creating","audio_sha256":"a","options_sha256":"b",)"
             R"("upload_url":"https://cdn.test/a"})");

  const SidecarRead read = transcribe::read_sidecar(sidecar_);

  EXPECT_EQ(read.state, SidecarRead::State::kCreating);
  EXPECT_EQ(read.document["upload_url"], "https://cdn.test/a");
}

TEST_F(SidecarTest, WriteOverFolderFailsWithPath) {
  fs::create_directories(sidecar_);

  try {
    transcribe::write_sidecar(sidecar_, completed_document());
    FAIL() << "no error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.type(), "sidecar_not_writable");
    EXPECT_EQ(error.exit_code(), AAI_EXIT_FAILURE);
    EXPECT_EQ(std::string(error.what()),
              "Could not write the sidecar " + sidecar_ + ": Is a directory.");
  }
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder_)) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u) << "the temporary file was left behind";
}

// Runs `step` as an unprivileged user in a child process, because root may read and write
// anywhere, and returns the message of the aai::Error it threw.
std::string error_message_as_nobody(const std::function<void()>& step) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) {
    return "pipe failed";
  }
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    std::string message = "no error";
    if (::geteuid() != 0 || (::setgid(65534) == 0 && ::setuid(65534) == 0)) {
      try {
        step();
      } catch (const aai::Error& error) {
        message = error.what();
      }
    } else {
      message = "could not drop root";
    }
    [[maybe_unused]] ssize_t written = ::write(pipe_fds[1], message.data(), message.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t count; (count = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) {
    message.append(buffer, static_cast<size_t>(count));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return message;
}

TEST_F(SidecarTest, ReadOnlyFolderIsReported) {
  const std::string source = (folder_ / "talk.mp3").string();
  std::ofstream(source) << "audio";
  fs::permissions(folder_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                               fs::perms::group_exec | fs::perms::others_read |
                               fs::perms::others_exec);

  EXPECT_EQ(error_message_as_nobody([&source] { transcribe::check_sidecar_folder(source); }),
            "Cannot write the sidecar of " + source + ": the folder " + folder_.string() +
                " is not writable.");
}

TEST_F(SidecarTest, UnreadableAudioIsReported) {
  const std::string source = (folder_ / "locked.wav").string();
  std::ofstream(source) << "audio";
  fs::permissions(source, fs::perms::none);

  EXPECT_EQ(error_message_as_nobody([&source] { transcribe::sha256_of_file(source); }),
            "Cannot read " + source + ": Permission denied.");
}

TEST(SidecarDigest, Sha256OfKnownText) {
  EXPECT_EQ(transcribe::sha256_of("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SidecarDigest, OptionsDigestIgnoresKeyOrderAndAudioUrl) {
  const nlohmann::json first = transcribe::request_options_record(
      nlohmann::json::parse(R"({"speaker_labels":true,"audio_url":"u1","language_code":"de"})"), {},
      "m", 100);
  const nlohmann::json second = transcribe::request_options_record(
      nlohmann::json::parse(R"({"language_code":"de","speaker_labels":true})"), {}, "m", 100);
  const nlohmann::json with_llm = transcribe::request_options_record(
      nlohmann::json::parse(R"({"language_code":"de","speaker_labels":true})"), {"Summarize."}, "m",
      100);

  EXPECT_EQ(transcribe::options_digest(first), transcribe::options_digest(second));
  EXPECT_NE(transcribe::options_digest(first), transcribe::options_digest(with_llm));
  EXPECT_FALSE(first["params"].contains("audio_url"));
}

}  // namespace
