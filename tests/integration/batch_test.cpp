// `aai transcribe` batches: the real aai binary transcribing copies of the LibriVox clips in a
// folder through the real emulator on 127.0.0.1.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include "emulator_suite.hpp"
#include "harness.hpp"
#include "recordings.hpp"

namespace aai::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kClips[] = {
    "sense_and_sensibility_01_austen_64kb-0870.wav",
    "sense_and_sensibility_01_austen_64kb-0880.wav",
    "sense_and_sensibility_01_austen_64kb-0930.wav",
};

class BatchTest : public EmulatorSuite<BatchTest> {
 protected:
  void SetUp() override {
    EmulatorSuite<BatchTest>::SetUp();
    folder_ = files_.path() / "recordings";
    fs::create_directories(folder_);
  }

  // Copies clip `clip` (an index into kClips) into the recordings folder as `name`.
  fs::path copy_clip(size_t clip, const std::string& name) {
    const fs::path target = folder_ / name;
    fs::create_directories(target.parent_path());
    fs::copy_file(kLibriVox / kClips[clip % std::size(kClips)], target,
                  fs::copy_options::overwrite_existing);
    return target;
  }

  // Returns how many transcripts the emulator holds.
  size_t transcript_count() {
    auto result = aai({"--json", "transcripts", "list", "--limit", "200"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out).size();
  }

  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line);
    }
    return lines;
  }

  static json sidecar_of(const fs::path& source) {
    std::ifstream in(source.string() + ".aai.json");
    return json::parse(in, nullptr, false);
  }

  // Counts the result lines that report `status`.
  static size_t count_status(const std::string& out, const std::string& status) {
    size_t count = 0;
    for (const auto& line : lines_of(out)) {
      count += line.find("\t" + status + "\t") != std::string::npos ? 1 : 0;
    }
    return count;
  }

  fs::path folder_;
};

TEST_F(BatchTest, FolderRerunForceAndChangedFile) {
  const fs::path a = copy_clip(0, "a.wav");
  const fs::path b = copy_clip(1, "nested/b.WAV");
  const fs::path c = copy_clip(2, "c.wav");
  std::ofstream(folder_ / "notes.txt") << "not audio";
  const size_t before = transcript_count();

  auto first = aai({"transcribe", folder_.string(), "--concurrency", "2"});

  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(count_status(first.out, "completed"), 3u) << first.out;
  EXPECT_EQ(lines_of(first.out).size(), 3u) << first.out;
  EXPECT_NE(first.err.find("Batch done in "), std::string::npos) << first.err;
  EXPECT_NE(first.err.find(": 3 completed, 0 skipped, 0 failed of 3 sources."), std::string::npos)
      << first.err;
  for (const auto& source : {a, b, c}) {
    const json sidecar = sidecar_of(source);
    ASSERT_TRUE(sidecar.is_object()) << source;
    EXPECT_EQ(sidecar["state"], "completed");
    EXPECT_EQ(sidecar["transcript"]["status"], "completed");
    EXPECT_FALSE(sidecar["transcript"]["text"].get<std::string>().empty());
  }
  EXPECT_EQ(transcript_count(), before + 3);

  auto rerun = aai({"transcribe", folder_.string(), "--concurrency", "2"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(count_status(rerun.out, "skipped"), 3u) << rerun.out;
  EXPECT_EQ(transcript_count(), before + 3);

  copy_clip(0, "c.wav");
  auto changed = aai({"transcribe", folder_.string(), "--concurrency", "2"});
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_EQ(count_status(changed.out, "skipped"), 2u) << changed.out;
  EXPECT_NE(changed.out.find(c.string() + "\tcompleted\t"), std::string::npos) << changed.out;
  EXPECT_EQ(transcript_count(), before + 4);

  auto forced = aai({"transcribe", folder_.string(), "--concurrency", "2", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(count_status(forced.out, "completed"), 3u) << forced.out;
  EXPECT_EQ(transcript_count(), before + 7);
}

TEST_F(BatchTest, FailedSourceIsListedWhileOthersComplete) {
  const fs::path good = copy_clip(0, "good.wav");
  const fs::path broken = folder_ / "broken.wav";
  std::ofstream(broken) << "this is not audio";
  std::vector<fs::path> unreadable;
  // Root reads every file whatever its mode, so only other users can test an unreadable one.
  if (::geteuid() != 0) {
    unreadable.push_back(copy_clip(1, "locked.wav"));
    fs::permissions(unreadable.back(), fs::perms::none);
  }

  auto result = aai({"transcribe", folder_.string(), "--concurrency", "2"});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find(good.string() + "\tcompleted\t"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(broken.string() + "\tfailed\t"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("Warning: " + broken.string() + ": Transcript "), std::string::npos)
      << result.err;
  const std::string failed_count = unreadable.empty() ? "1 of 2" : "2 of 3";
  EXPECT_NE(result.err.find("Error: " + failed_count + " sources failed: "), std::string::npos)
      << result.err;
  for (const auto& path : unreadable) {
    EXPECT_NE(result.err.find("Warning: " + path.string() + ": Cannot read " + path.string() +
                              ": Permission denied."),
              std::string::npos)
        << result.err;
  }
  EXPECT_EQ(sidecar_of(good)["state"], "completed");
  EXPECT_EQ(sidecar_of(broken)["state"], "error");
}

TEST_F(BatchTest, JsonLinesForGlobPattern) {
  const fs::path a = copy_clip(0, "a.wav");
  copy_clip(1, "b.mp3.txt");

  auto result = aai({"--json", "transcribe", (folder_ / "*.wav").string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2u) << result.out;
  const json line = json::parse(lines[0]);
  EXPECT_EQ(line["type"], "result");
  EXPECT_EQ(line["source"], a.string());
  EXPECT_EQ(line["status"], "completed");
  EXPECT_EQ(line["sidecar"], a.string() + ".aai.json");
  EXPECT_TRUE(line["transcript_id"].is_string());
  const json summary = json::parse(lines[1]);
  EXPECT_EQ(summary["type"], "summary");
  EXPECT_EQ(summary["completed"], 1);
}

TEST_F(BatchTest, SourcesFromStdin) {
  const fs::path a = copy_clip(0, "a.wav");
  const fs::path b = copy_clip(1, "b.wav");

  auto result = aai({"transcribe", "--from-stdin"}, a.string() + "\n\n" + b.string() + "\n");

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_status(result.out, "completed"), 2u) << result.out;
}

TEST_F(BatchTest, BadConcurrencyIsUsageError) {
  copy_clip(0, "a.wav");

  auto result = aai({"transcribe", folder_.string(), "--concurrency", "0"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: Invalid --concurrency '0': it must be from 1 to 64.\n"
            "Suggestion: Pass how many sources to transcribe at once, such as --concurrency 4.\n");
}

TEST_F(BatchTest, EmptyStdinListIsUsageError) {
  auto result = aai({"transcribe", "--from-stdin"}, "\n\n");

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: --from-stdin read no sources from standard input.\n"
            "Suggestion: Pipe one path per line, as in `find talks -name '*.mp3' | aai transcribe "
            "--from-stdin`.\n");
}

TEST_F(BatchTest, InterruptThenRerunTranscribesNothingTwice) {
  constexpr size_t kSources = 6;
  std::vector<fs::path> sources;
  for (size_t i = 0; i < kSources; ++i) {
    sources.push_back(copy_clip(i, "clip" + std::to_string(i) + ".wav"));
  }
  const size_t before = transcript_count();

  RunningAai running =
      sandbox_.start(local({"transcribe", folder_.string(), "--concurrency", "2"}));
  // Interrupt once the first sidecar exists, so some sources are done and others are not.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto any_sidecar = [&sources] {
    for (const auto& source : sources) {
      if (fs::exists(source.string() + ".aai.json")) {
        return true;
      }
    }
    return false;
  };
  while (!any_sidecar() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  running.signal(SIGINT);
  RunResult interrupted = running.wait();

  // A batch that finished before the signal arrived exits 0; the rerun checks hold either way.
  EXPECT_TRUE(interrupted.exit_code == 130 || interrupted.exit_code == 0) << interrupted.err;
  if (interrupted.exit_code == 130) {
    EXPECT_NE(interrupted.err.find("Batch interrupted after "), std::string::npos)
        << interrupted.err;
    EXPECT_NE(interrupted.err.find("Error: Interrupted with "), std::string::npos)
        << interrupted.err;
  }
  const size_t created_first = transcript_count() - before;
  size_t with_sidecar = 0;
  size_t with_id = 0;
  for (const auto& source : sources) {
    if (fs::exists(source.string() + ".aai.json")) {
      ++with_sidecar;
      with_id += sidecar_of(source).value("state", "") != "creating" ? 1 : 0;
    }
  }
  // A "creating" sidecar is written before the create request, and Ctrl-C may stop that request
  // before or after the service acted on it. Every other sidecar names a transcript that exists.
  EXPECT_LE(created_first, with_sidecar) << "a created transcript has no sidecar";
  EXPECT_GE(created_first, with_id) << "a sidecar names a transcript that was never made";

  auto rerun = aai({"transcribe", folder_.string(), "--concurrency", "2"});

  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(lines_of(rerun.out).size(), kSources) << rerun.out;
  EXPECT_EQ(transcript_count() - before, kSources) << "a source was transcribed twice";
  for (const auto& source : sources) {
    EXPECT_EQ(sidecar_of(source)["state"], "completed") << source;
  }
}

class BatchFaultTest : public ::testing::Test {
 protected:
  TempDir data_;
  TempDir files_;
  Sandbox sandbox_;
};

TEST_F(BatchFaultTest, UploadUnavailableIsRetried) {
  Emulator emulator(data_.path() / "emulator", "test-key", {"--faults", "/v2/upload=503x2"});
  sandbox_.set_env("AAI_LOCAL_PORT", std::to_string(emulator.port()));
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "test-key");
  const fs::path folder = files_.path() / "recordings";
  fs::create_directories(folder);
  fs::copy_file(kLibriVox / kClips[0], folder / "a.wav");
  fs::copy_file(kLibriVox / kClips[1], folder / "b.wav");

  auto result = sandbox_.run({"--env", "local", "transcribe", folder.string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("\tfailed\t"), std::string::npos) << result.out;
}

TEST_F(BatchFaultTest, FlakyServiceConvergesWithoutDuplicates) {
  // Resets mid-upload and mid-poll, 503s on polls and transcripts that end in error, all drawn
  // from a fixed seed. Reruns must finish every source with exactly one completed transcript.
  Emulator emulator(data_.path() / "emulator", "test-key",
                    {"--faults",
                     "/v2/upload=reset@25%,GET /v2/transcript/=reset@10%,"
                     "GET /v2/transcript/=503@20%,transcripts=error@25%",
                     "--faults-seed", "7"});
  sandbox_.set_env("AAI_LOCAL_PORT", std::to_string(emulator.port()));
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "test-key");
  const fs::path folder = files_.path() / "recordings";
  fs::create_directories(folder);
  constexpr size_t kSources = 5;
  for (size_t i = 0; i < kSources; ++i) {
    fs::copy_file(kLibriVox / kClips[i % std::size(kClips)],
                  folder / ("clip" + std::to_string(i) + ".wav"));
  }

  RunResult result;
  int runs = 0;
  do {
    result = sandbox_.run({"--env", "local", "transcribe", folder.string(), "--concurrency", "3"});
    ++runs;
    ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.err;
  } while (result.exit_code != 0 && runs < 8);

  ASSERT_EQ(result.exit_code, 0) << "after " << runs << " runs: " << result.err;
  auto list = sandbox_.run({"--env", "local", "--json", "transcripts", "list", "--limit", "200"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  size_t completed = 0;
  for (const auto& transcript : json::parse(list.out)) {
    completed += transcript.value("status", "") == "completed" ? 1 : 0;
  }
  EXPECT_EQ(completed, kSources) << list.out;
}

// Returns the emulator's GET /local/stats document.
json emulator_stats(int port) {
  namespace beast = boost::beast;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                static_cast<unsigned short>(port)));
  beast::http::request<beast::http::empty_body> request(beast::http::verb::get, "/local/stats", 11);
  request.set(beast::http::field::host, "127.0.0.1");
  beast::http::write(stream, request);
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> response;
  beast::http::read(stream, buffer, response);
  return json::parse(response.body());
}

// Counts the sources whose sidecar state is "completed".
size_t completed_sidecars(const fs::path& folder) {
  size_t completed = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().string().ends_with(".aai.json")) {
      std::ifstream in(entry.path());
      completed += json::parse(in, nullptr, false).value("state", "") == "completed" ? 1 : 0;
    }
  }
  return completed;
}

TEST_F(BatchFaultTest, KilledBatchOfHundredsFinishesExactlyOnce) {
  // Two hundred recordings through a service that resets uploads, polls and creates, returns
  // 503, adds latency and fails some transcripts. The first run is killed with SIGKILL once a
  // third of the sources are done; reruns of the same command must finish every source with
  // exactly one completed transcript, and no transcript may be made that no source accounts for.
  constexpr size_t kSources = 200;
  const fs::path folder = files_.path() / "archive";
  RunResult clips = sandbox_.run(
      {folder.string(), std::to_string(kSources), "0.5", (kLibriVox / kClips[0]).string(),
       (kLibriVox / kClips[1]).string(), (kLibriVox / kClips[2]).string()},
      {}, build_dir() / "tests/make_clips");
  ASSERT_EQ(clips.exit_code, 0) << clips.err;
  Emulator emulator(data_.path() / "emulator", "test-key",
                    {"--workers", "2", "--faults-seed", "11", "--faults",
                     "/v2/upload=reset@5%,GET /v2/transcript/=reset@5%,"
                     "POST /v2/transcript=reset@2%,/v2/=503@5%,/v2/=delay:20,"
                     "transcripts=error@2%"});
  sandbox_.set_env("AAI_LOCAL_PORT", std::to_string(emulator.port()));
  sandbox_.set_env("ASSEMBLYAI_API_KEY", "test-key");
  const std::vector<std::string> command = {"--env",         "local",         "transcribe",
                                            folder.string(), "--concurrency", "16"};

  RunningAai first = sandbox_.start(command);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
  while (completed_sidecars(folder) < kSources / 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  first.signal(SIGKILL);
  RunResult killed = first.wait();
  ASSERT_NE(killed.exit_code, 0) << "the batch ended before it was killed: " << killed.err;

  RunResult rerun;
  int runs = 0;
  do {
    rerun = sandbox_.run(command);
    ++runs;
    ASSERT_TRUE(rerun.exit_code == 0 || rerun.exit_code == 1) << rerun.err;
  } while (rerun.exit_code != 0 && runs < 6);

  ASSERT_EQ(rerun.exit_code, 0) << "after " << runs << " reruns: " << rerun.err;
  std::set<std::string> ids;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".wav") {
      std::ifstream in(entry.path().string() + ".aai.json");
      const json sidecar = json::parse(in, nullptr, false);
      ASSERT_EQ(sidecar.value("state", ""), "completed") << entry.path();
      ids.insert(sidecar.value("transcript_id", ""));
    }
  }
  EXPECT_EQ(ids.size(), kSources) << "two sources share a transcript";
  const json stats = emulator_stats(emulator.port());
  EXPECT_EQ(stats["transcripts_created"].get<size_t>(),
            kSources + stats["faults"]["transcript_error"].get<size_t>())
      << stats.dump();
}

}  // namespace
}  // namespace aai::testing
