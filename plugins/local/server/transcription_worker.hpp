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

#include <aai_local/recognizer.hpp>

#include "server/transcript_store.hpp"

namespace aai::local {

using RecognizeFunction = std::function<Recognition(const std::filesystem::path& audio)>;

/// Recognises one transcript at a time, in the order they were queued. One recogniser keeps
/// memory use flat, and a second transcript simply waits in `queued`.
class TranscriptionWorker {
 public:
  TranscriptionWorker(TranscriptStore& store, RecognizeFunction recognize);
  ~TranscriptionWorker();

  TranscriptionWorker(const TranscriptionWorker&) = delete;
  TranscriptionWorker& operator=(const TranscriptionWorker&) = delete;

  void enqueue(const std::string& id);

  /// Returns whether a transcript is queued or being recognised.
  bool is_busy() const;

  /// Stops taking transcripts and waits up to `grace` for the current one. Returns false when the
  /// recognition is still running; the thread is then detached, the transcript stays
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
  bool working_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace aai::local
