#include "server/transcription_worker.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace aai::local {
namespace {

class TranscriptionWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("aai-worker-test-" + std::to_string(getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = std::make_unique<TranscriptStore>(data_dir_);
  }

  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  std::string create(const std::string& id) {
    nlohmann::json params = {{"audio_url", "http://127.0.0.1/v2/upload/x"}};
    return store_->create(new_transcript(id, params), (data_dir_ / id).string(), "").id();
  }

  // Waits up to 10 s until every transcript in `ids` is completed.
  bool all_completed(const std::vector<std::string>& ids) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      bool done = true;
      for (const std::string& id : ids) {
        done = done && store_->find(id)->status() == "completed";
      }
      if (done) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<TranscriptStore> store_;
};

// A recognition that waits until `expected` recognitions run at the same time, so a test passes
// only when the worker runs that many at once, and records the largest number seen.
class Rendezvous {
 public:
  explicit Rendezvous(int expected) : expected_(expected) {}

  Recognition recognize() {
    std::unique_lock lock(mutex_);
    ++running_;
    max_running_ = std::max(max_running_, running_);
    arrived_.notify_all();
    arrived_.wait_for(lock, std::chrono::milliseconds(500),
                      [this] { return running_ >= expected_; });
    --running_;
    return {{}, 1.0};
  }

  int max_running() {
    std::lock_guard lock(mutex_);
    return max_running_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  int expected_;
  int running_ = 0;
  int max_running_ = 0;
};

TEST_F(TranscriptionWorkerTest, RecognisesSeveralAtOnce) {
  Rendezvous rendezvous(3);
  TranscriptionWorker worker(
      *store_, [&rendezvous](const std::filesystem::path&) { return rendezvous.recognize(); }, 3);
  std::vector<std::string> ids = {create("a"), create("b"), create("c")};

  for (const std::string& id : ids) {
    worker.enqueue(id);
  }

  EXPECT_TRUE(all_completed(ids));
  EXPECT_EQ(rendezvous.max_running(), 3);
  EXPECT_TRUE(worker.stop(std::chrono::seconds(2)));
}

TEST_F(TranscriptionWorkerTest, RecognisesOneAtOnceByDefault) {
  Rendezvous rendezvous(2);
  TranscriptionWorker worker(
      *store_, [&rendezvous](const std::filesystem::path&) { return rendezvous.recognize(); });
  std::vector<std::string> ids = {create("a"), create("b")};

  for (const std::string& id : ids) {
    worker.enqueue(id);
  }

  EXPECT_TRUE(all_completed(ids));
  EXPECT_EQ(rendezvous.max_running(), 1);
  EXPECT_TRUE(worker.stop(std::chrono::seconds(2)));
}

}  // namespace
}  // namespace aai::local
