// The worker thread that takes queued transcripts through processing to completed or error.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <aai_local/recognizer.hpp>

#include "server/transcript_store.hpp"

namespace aai::local {

using RecognizeFunction = std::function<Recognition(const std::filesystem::path& audio)>;

/// Recognises up to `threads` transcripts at once, taken in the order they were queued; further
/// transcripts wait in `queued`. `recognize` is called from every thread at once, so it must keep
/// one recogniser per thread.
class TranscriptionWorker {
 public:
  TranscriptionWorker(TranscriptStore& store, RecognizeFunction recognize, unsigned threads = 1);
  ~TranscriptionWorker();

  TranscriptionWorker(const TranscriptionWorker&) = delete;
  TranscriptionWorker& operator=(const TranscriptionWorker&) = delete;

  void enqueue(const std::string& id);

  /// Returns whether a transcript is queued or being recognised.
  bool is_busy() const;

  /// Stops taking transcripts and waits up to `grace` for the current ones. Returns false when a
  /// recognition is still running; the threads are then detached, its transcript stays
  /// `processing` on disk, and the next start queues it again.
  bool stop(std::chrono::milliseconds grace);

 private:
  void run();
  void process(const std::string& id);

  TranscriptStore& store_;
  RecognizeFunction recognize_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  unsigned working_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace aai::local
