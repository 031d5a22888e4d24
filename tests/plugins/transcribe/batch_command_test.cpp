// `aai transcribe` batches through the real plugin against a fake service that responds on
// any thread.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "plugin_fixture.hpp"
#include "sidecar.hpp"

namespace fs = std::filesystem;
using aai::testing::FakeInvocation;
using aai::testing::RecordedRequest;
using aai::testing::ScriptedResponse;
using nlohmann::json;

namespace {

// The transcript API as the batch uses it: an upload returns a URL naming the file's content,
// a create returns a new id, and a GET completes the transcript on the `polls_to_complete`-th
// poll. Counts how many sources are between upload and completion at once.
class FakeService {
 public:
  int polls_to_complete = 1;
  std::chrono::milliseconds upload_delay{0};
  // Transcript ids that end in error, and ids the service no longer has.
  std::set<std::string> failing_ids;
  std::set<std::string> gone_ids;
  // A GET of these ids never completes.
  bool never_complete = false;

  ScriptedResponse answer(const RecordedRequest& request) {
    if (request.url.ends_with("/v2/upload")) {
      ++active_;
      max_active_ = std::max(max_active_.load(), active_.load());
      std::this_thread::sleep_for(upload_delay);
      return json_response(200, {{"upload_url", "https://cdn.test/" + request.body_file_content}});
    }
    if (request.url.ends_with("/v2/transcript") && request.method == "POST") {
      const std::lock_guard lock(mutex_);
      const std::string id = "t" + std::to_string(++created_);
      const json body = json::parse(request.body);
      texts_[id] = "Text of " + body.value("audio_url", "");
      audio_urls_[id] = body.value("audio_url", "");
      return json_response(200, {{"id", id}, {"status", "queued"}});
    }
    if (request.url.find("/v2/transcript?") != std::string::npos) {
      const std::lock_guard lock(mutex_);
      json transcripts = json::array();
      for (const auto& [id, audio_url] : audio_urls_) {
        transcripts.push_back({{"id", id}, {"status", "completed"}, {"audio_url", audio_url}});
      }
      return json_response(200, {{"transcripts", transcripts}});
    }
    if (request.url.ends_with("/chat/completions")) {
      const json body = json::parse(request.body);
      const std::string content = body["messages"].back()["content"].get<std::string>();
      return json_response(
          200, {{"model", "fake-model"},
                {"choices",
                 {{{"index", 0},
                   {"message",
                    {{"role", "assistant"}, {"content", "Answer " + std::to_string(++answers_)}}},
                   {"finish_reason", "stop"}}}}});
    }
    const std::string id = request.url.substr(request.url.rfind('/') + 1);
    const std::lock_guard lock(mutex_);
    if (gone_ids.count(id) > 0) {
      return json_response(404, {{"error", "Transcript not found"}});
    }
    if (never_complete || ++polls_[id] < polls_to_complete) {
      return json_response(200, {{"id", id}, {"status", "processing"}});
    }
    --active_;
    if (failing_ids.count(id) > 0) {
      return json_response(200, {{"id", id}, {"status", "error"}, {"error", "Audio is silent"}});
    }
    return json_response(200, {{"id", id}, {"status", "completed"}, {"text", texts_[id]}});
  }

  int max_active() const { return max_active_; }
  int created() const { return created_; }

 private:
  static ScriptedResponse json_response(int status, const json& body) {
    ScriptedResponse response;
    response.status = status;
    response.body = body.dump();
    response.headers["content-type"] = "application/json";
    return response;
  }

  std::mutex mutex_;
  std::atomic<int> active_ = 0;
  std::atomic<int> max_active_ = 0;
  std::atomic<int> answers_ = 0;
  int created_ = 0;
  std::map<std::string, int> polls_;
  std::map<std::string, std::string> texts_;
  std::map<std::string, std::string> audio_urls_;
};

class BatchCommandTest : public TranscribePluginTest {
 protected:
  void SetUp() override {
    TranscribePluginTest::SetUp();
    transcribe::batch_poll_delays() = {std::chrono::milliseconds(1), std::chrono::milliseconds(2)};
    folder_ =
        fs::path(::testing::TempDir()) /
        (std::string("batch-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    host_.http_handler = [this](const RecordedRequest& request) {
      return service_.answer(request);
    };
  }
  void TearDown() override {
    transcribe::batch_poll_delays() = {};
    fs::remove_all(folder_);
    TranscribePluginTest::TearDown();
  }

  std::string add_audio(const std::string& name, const std::string& content) {
    const fs::path path = folder_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  // Runs a batch over the test's folder with short poll delays.
  int run_batch(std::map<std::string, std::vector<std::string>> options = {},
                std::vector<std::string> arguments = {}) {
    if (arguments.empty()) {
      arguments = {folder_.string()};
    }
    invocation_ = std::make_unique<FakeInvocation>(std::move(options), std::move(arguments));
    host_.stdout_text.clear();
    host_.messages.clear();
    host_.requests.clear();
    return run("transcribe", *invocation_);
  }

  json sidecar_of(const std::string& name) const {
    std::ifstream in(folder_ / (name + ".aai.json"));
    return json::parse(in);
  }

  size_t count_requests(const std::string& suffix, const std::string& method) const {
    size_t count = 0;
    for (const auto& request : host_.requests) {
      count += request.method == method && request.url.ends_with(suffix) ? 1 : 0;
    }
    return count;
  }

  std::vector<std::string> warnings() const {
    std::vector<std::string> texts;
    for (const auto& [kind, text] : host_.messages) {
      if (kind == AAI_MESSAGE_WARNING) {
        texts.push_back(text);
      }
    }
    return texts;
  }

  fs::path folder_;
  FakeService service_;
  std::unique_ptr<FakeInvocation> invocation_;
};

TEST_F(BatchCommandTest, FolderCompletesAndWritesSidecars) {
  const std::string a = add_audio("a.wav", "aaa");
  const std::string b = add_audio("b.mp3", "bbb");

  ASSERT_EQ(run_batch(), 0) << invocation_->failure->message;

  EXPECT_EQ(host_.stdout_text.size(), (a + "\tcompleted\tt1\n" + b + "\tcompleted\tt2\n").size());
  EXPECT_NE(host_.stdout_text.find(a + "\tcompleted\tt"), std::string::npos);
  EXPECT_NE(host_.stdout_text.find(b + "\tcompleted\tt"), std::string::npos);
  const json sidecar = sidecar_of("a.wav");
  EXPECT_EQ(sidecar["version"], 1);
  EXPECT_EQ(sidecar["state"], "completed");
  EXPECT_EQ(sidecar["source"], a);
  EXPECT_EQ(sidecar["audio_sha256"], transcribe::sha256_of("aaa"));
  EXPECT_EQ(sidecar["transcript"]["text"], "Text of https://cdn.test/aaa");
  EXPECT_EQ(sidecar["options"]["params"]["speech_models"], json::array({"universal-3-5-pro"}));
  EXPECT_TRUE(sidecar["submitted_at"].is_string());
  EXPECT_TRUE(sidecar["completed_at"].is_string());
  EXPECT_EQ(service_.created(), 2);
}

TEST_F(BatchCommandTest, RequestsAskHostToRetry) {
  add_audio("a.wav", "aaa");
  add_audio("b.wav", "bbb");

  ASSERT_EQ(run_batch(), 0);

  for (const auto& request : host_.requests) {
    EXPECT_EQ(request.max_retries, 5u) << request.method << " " << request.url;
    // A dropped create may have created the transcript, so only the others are resent.
    const bool is_create = request.method == "POST" && request.url.ends_with("/v2/transcript");
    EXPECT_EQ((request.flags & AAI_HTTP_RETRY_DROPPED) != 0, !is_create)
        << request.method << " " << request.url;
  }
  EXPECT_EQ(count_requests("/v2/upload", "POST"), 2u);
  EXPECT_EQ(count_requests("/v2/transcript", "POST"), 2u);
}

TEST_F(BatchCommandTest, ConcurrencyNeverExceedsLimit) {
  for (int i = 0; i < 8; ++i) {
    add_audio("clip" + std::to_string(i) + ".wav", "audio " + std::to_string(i));
  }
  service_.upload_delay = std::chrono::milliseconds(20);
  service_.polls_to_complete = 3;

  ASSERT_EQ(run_batch({{"concurrency", {"2"}}}), 0);

  // At most 2; a loaded machine may finish each upload before the next starts, so 1 is allowed.
  EXPECT_LE(service_.max_active(), 2);
  EXPECT_GE(service_.max_active(), 1);
  EXPECT_EQ(service_.created(), 8);
}

TEST_F(BatchCommandTest, RerunSkipsCompletedSources) {
  const std::string a = add_audio("a.wav", "aaa");
  ASSERT_EQ(run_batch(), 0);

  ASSERT_EQ(run_batch(), 0);

  EXPECT_EQ(host_.stdout_text, a + "\tskipped\tt1\n");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(BatchCommandTest, ForceRedoesCompletedSources) {
  const std::string a = add_audio("a.wav", "aaa");
  ASSERT_EQ(run_batch(), 0);

  ASSERT_EQ(run_batch({{"force", {"true"}}}), 0);

  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt2\n");
  EXPECT_EQ(sidecar_of("a.wav")["transcript_id"], "t2");
}

TEST_F(BatchCommandTest, ChangedFileOrOptionsAreRedone) {
  const std::string a = add_audio("a.wav", "aaa");
  ASSERT_EQ(run_batch(), 0);
  add_audio("a.wav", "changed");

  ASSERT_EQ(run_batch(), 0);
  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt2\n");

  ASSERT_EQ(run_batch({{"speaker-labels", {"true"}}}), 0);
  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt3\n");
}

TEST_F(BatchCommandTest, SubmittedSidecarIsResumedWithoutUpload) {
  const std::string a = add_audio("a.wav", "aaa");
  ASSERT_EQ(run_batch(), 0);
  // The state a kill -9 right after the create leaves behind.
  json sidecar = sidecar_of("a.wav");
  sidecar["state"] = "submitted";
  sidecar.erase("transcript");
  std::ofstream(folder_ / "a.wav.aai.json") << sidecar.dump();

  ASSERT_EQ(run_batch(), 0);

  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt1\n");
  EXPECT_EQ(count_requests("/v2/upload", "POST"), 0u);
  EXPECT_EQ(count_requests("/v2/transcript/t1", "GET"), 1u);
  EXPECT_EQ(sidecar_of("a.wav")["state"], "completed");
}

TEST_F(BatchCommandTest, CreatingSidecarFindsTranscriptByUpload) {
  const std::string a = add_audio("a.wav", "aaa");
  ASSERT_EQ(run_batch(), 0);
  // The state a kill -9 during the create request leaves behind; the service did create t1.
  json sidecar = sidecar_of("a.wav");
  sidecar["state"] = "creating";
  sidecar["upload_url"] = "https://cdn.test/aaa";
  sidecar.erase("transcript_id");
  sidecar.erase("transcript");
  std::ofstream(folder_ / "a.wav.aai.json") << sidecar.dump();

  ASSERT_EQ(run_batch(), 0);

  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt1\n");
  EXPECT_EQ(count_requests("/v2/upload", "POST"), 0u);
  EXPECT_EQ(count_requests("/v2/transcript", "POST"), 0u);
  EXPECT_EQ(service_.created(), 1);
  EXPECT_EQ(sidecar_of("a.wav")["state"], "completed");
}

TEST_F(BatchCommandTest, CreatingSidecarWithoutTranscriptIsRedone) {
  const std::string a = add_audio("a.wav", "aaa");
  ASSERT_EQ(run_batch(), 0);
  // The create request never reached the service: no transcript has this upload.
  json sidecar = sidecar_of("a.wav");
  sidecar["state"] = "creating";
  sidecar["upload_url"] = "https://cdn.test/lost";
  sidecar.erase("transcript_id");
  sidecar.erase("transcript");
  std::ofstream(folder_ / "a.wav.aai.json") << sidecar.dump();

  ASSERT_EQ(run_batch(), 0);

  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt2\n");
  EXPECT_EQ(count_requests("/v2/upload", "POST"), 1u);
  EXPECT_EQ(sidecar_of("a.wav")["state"], "completed");
}

TEST_F(BatchCommandTest, GoneSubmittedTranscriptIsRedone) {
  const std::string a = add_audio("a.wav", "aaa");
  ASSERT_EQ(run_batch(), 0);
  json sidecar = sidecar_of("a.wav");
  sidecar["state"] = "submitted";
  std::ofstream(folder_ / "a.wav.aai.json") << sidecar.dump();
  service_.gone_ids = {"t1"};

  ASSERT_EQ(run_batch(), 0);

  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt2\n");
  EXPECT_EQ(warnings(), std::vector<std::string>{"The service no longer has transcript t1 of " + a +
                                                 ", so it is transcribed again."});
}

TEST_F(BatchCommandTest, CorruptSidecarIsReportedAndRedone) {
  const std::string a = add_audio("a.wav", "aaa");
  std::ofstream(folder_ / "a.wav.aai.json") << "{not json";

  ASSERT_EQ(run_batch(), 0);

  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt1\n");
  EXPECT_EQ(warnings(), std::vector<std::string>{"The sidecar " + a +
                                                 ".aai.json is invalid (it is not a JSON object), "
                                                 "so " +
                                                 a + " is transcribed again."});
  EXPECT_EQ(sidecar_of("a.wav")["state"], "completed");
}

TEST_F(BatchCommandTest, FailedTranscriptExitsOneAndKeepsOthers) {
  const std::string a = add_audio("a.wav", "aaa");
  const std::string b = add_audio("b.wav", "bbb");
  service_.failing_ids = {"t1"};
  ASSERT_EQ(run_batch({{"concurrency", {"1"}}}), 1);

  ASSERT_TRUE(invocation_->failure.has_value());
  EXPECT_EQ(invocation_->failure->type, "batch_failed");
  EXPECT_EQ(invocation_->failure->message, "1 of 2 sources failed: " + a + ".");
  EXPECT_EQ(invocation_->failure->suggestion,
            "Fix what the messages name and run the same command again; completed sources are "
            "skipped.");
  EXPECT_EQ(json::parse(invocation_->failure->details_json)["failed"][0]["message"],
            "Transcript t1 failed: Audio is silent");
  EXPECT_EQ(warnings(), std::vector<std::string>{a + ": Transcript t1 failed: Audio is silent"});
  EXPECT_EQ(host_.stdout_text, a + "\tfailed\tt1\n" + b + "\tcompleted\tt2\n");
  EXPECT_EQ(sidecar_of("a.wav")["state"], "error");
  EXPECT_EQ(sidecar_of("b.wav")["state"], "completed");

  // An error sidecar is not trusted: the rerun transcribes the source again.
  service_.failing_ids.clear();
  ASSERT_EQ(run_batch({{"concurrency", {"1"}}}), 0);
  EXPECT_EQ(host_.stdout_text, a + "\tcompleted\tt3\n" + b + "\tskipped\tt2\n");
}

TEST_F(BatchCommandTest, UnwritableSidecarFailsSource) {
  const std::string a = add_audio("a.wav", "aaa");
  const std::string b = add_audio("b.wav", "bbb");
  fs::create_directories(folder_ / "a.wav.aai.json" / "blocker");

  ASSERT_EQ(run_batch({{"concurrency", {"1"}}}), 1);

  EXPECT_EQ(invocation_->failure->message, "1 of 2 sources failed: " + a + ".");
  EXPECT_EQ(json::parse(invocation_->failure->details_json)["failed"][0]["message"],
            "Could not write the sidecar " + a + ".aai.json: Is a directory.");
  EXPECT_NE(host_.stdout_text.find(b + "\tcompleted\t"), std::string::npos);
}

TEST_F(BatchCommandTest, JsonPrintsResultLinesAndSummary) {
  const std::string a = add_audio("a.wav", "aaa");
  host_.json = true;

  ASSERT_EQ(run_batch(), 0);

  std::istringstream lines(host_.stdout_text);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(json::parse(line), json::parse(R"({"type":"result","source":")" + a +
                                           R"(","status":"completed","transcript_id":"t1",)"
                                           R"("sidecar":")" +
                                           a + R"(.aai.json"})"));
  ASSERT_TRUE(std::getline(lines, line));
  const json summary = json::parse(line);
  EXPECT_EQ(summary["type"], "summary");
  EXPECT_EQ(summary["total"], 1);
  EXPECT_EQ(summary["completed"], 1);
  EXPECT_EQ(summary["skipped"], 0);
  EXPECT_EQ(summary["failed"], 0);
  EXPECT_EQ(summary["interrupted"], false);
  EXPECT_FALSE(std::getline(lines, line));
}

TEST_F(BatchCommandTest, ProgressLineOnlyOnTerminal) {
  add_audio("a.wav", "aaa");
  ASSERT_EQ(run_batch(), 0);
  EXPECT_TRUE(host_.progress_labels.empty());

  host_.terminal_fds = {2};
  ASSERT_EQ(run_batch({{"force", {"true"}}}), 0);
  ASSERT_FALSE(host_.progress_labels.empty());
  EXPECT_EQ(host_.progress_labels.front().rfind("Batch: 0 done, 1 running, 0 failed, 0 skipped, "
                                                "0 remaining",
                                                0),
            0u)
      << host_.progress_labels.front();
  // The counts are in the label; byte counts would render as "0 B of 1 B".
  EXPECT_EQ(host_.progress_totals.front(), 0u);
}

TEST_F(BatchCommandTest, InterruptKeepsSidecarsAndRerunResumes) {
  for (int i = 0; i < 3; ++i) {
    add_audio("clip" + std::to_string(i) + ".wav", "audio " + std::to_string(i));
  }
  service_.never_complete = true;
  host_.interrupt_on_check = 40;

  ASSERT_EQ(run_batch(), 130);

  EXPECT_EQ(invocation_->failure->type, "interrupted");
  EXPECT_EQ(invocation_->failure->message, "Interrupted with 3 of 3 sources not finished.");
  const int created = service_.created();
  ASSERT_GT(created, 0);

  service_.never_complete = false;
  host_.interrupt_on_check = 0;
  ASSERT_EQ(run_batch(), 0);
  EXPECT_EQ(service_.created(), 3) << "a submitted source was transcribed twice";
  EXPECT_EQ(count_requests("/v2/upload", "POST"), static_cast<size_t>(3 - created));
}

TEST_F(BatchCommandTest, RejectedKeyStopsBatch) {
  add_audio("a.wav", "aaa");
  add_audio("b.wav", "bbb");
  host_.http_handler = [](const RecordedRequest&) {
    ScriptedResponse response;
    response.transport_error_message = "Your API key was rejected.";
    response.transport_error_exit_code = AAI_EXIT_NOT_AUTHENTICATED;
    response.transport_error_type = "not_authenticated";
    return response;
  };

  EXPECT_EQ(run_batch({{"concurrency", {"1"}}}), AAI_EXIT_NOT_AUTHENTICATED);

  EXPECT_EQ(invocation_->failure->type, "not_authenticated");
  EXPECT_EQ(invocation_->failure->message, "Your API key was rejected.");
  EXPECT_EQ(host_.stdout_text, "");
}

TEST_F(BatchCommandTest, LlmRunsPerSourceAndReduceOnce) {
  add_audio("a.wav", "aaa");
  add_audio("b.wav", "bbb");

  ASSERT_EQ(run_batch({{"llm", {"Summarize."}}, {"llm-reduce", {"Combine."}}}), 0);

  EXPECT_EQ(sidecar_of("a.wav")["llm"]["steps"][0]["prompt"], "Summarize.");
  EXPECT_EQ(sidecar_of("a.wav")["llm"]["model"], "fake-model");
  EXPECT_EQ(count_requests("/chat/completions", "POST"), 3u);
  EXPECT_EQ(host_.stdout_text, "Answer 3\n");
  const std::string reduce_body = host_.requests.back().body;
  EXPECT_NE(reduce_body.find("Combine."), std::string::npos);
  EXPECT_NE(reduce_body.find("Source: " + (folder_ / "a.wav").string()), std::string::npos);
}

TEST_F(BatchCommandTest, BadConcurrencyIsUsageError) {
  add_audio("a.wav", "aaa");
  for (const std::string value : {"0", "65", "-3"}) {
    EXPECT_EQ(run_batch({{"concurrency", {value}}}), 2);

    EXPECT_EQ(invocation_->failure->message,
              "Invalid --concurrency '" + value + "': it must be from 1 to 64.");
    EXPECT_EQ(invocation_->failure->suggestion,
              "Pass how many sources to transcribe at once, such as --concurrency 4.");
  }
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(BatchCommandTest, OutputOptionsAreUsageErrors) {
  add_audio("a.wav", "aaa");

  EXPECT_EQ(run_batch({{"output", {"text"}}}), 2);
  EXPECT_EQ(invocation_->failure->message,
            "-o text does not apply to a batch: each transcript is saved in its .aai.json "
            "sidecar.");

  EXPECT_EQ(run_batch({{"out", {(folder_ / "out.txt").string()}}}), 2);
  EXPECT_EQ(invocation_->failure->message,
            "--out does not apply to a batch: each transcript is saved in its .aai.json sidecar.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(BatchCommandTest, SeveralSourcesWithDashIsUsageError) {
  const std::string a = add_audio("a.wav", "aaa");

  EXPECT_EQ(run_batch({}, {a, "-"}), 2);

  EXPECT_EQ(invocation_->failure->message, "`-` (standard input) cannot be part of a batch.");
}

TEST_F(BatchCommandTest, MissingSourceIsUsageError) {
  FakeInvocation invocation({}, {});

  EXPECT_EQ(run("transcribe", invocation), 2);

  EXPECT_EQ(invocation.failure->message, "transcribe needs a SOURCE.");
}

}  // namespace
