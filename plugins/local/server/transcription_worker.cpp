#include "server/transcription_worker.hpp"

#include "server/server_log.hpp"

namespace aai::local {

namespace {

std::vector<Word> to_words(const Recognition& recognition) {
  std::vector<Word> words;
  words.reserve(recognition.words.size());
  for (const RecognizedWord& recognized : recognition.words) {
    words.push_back({recognized.text, recognized.start_ms, recognized.end_ms, recognized.confidence,
                     std::nullopt});
  }
  return words;
}

}  // namespace

TranscriptionWorker::TranscriptionWorker(TranscriptStore& store, RecognizeFunction recognize,
                                         unsigned threads)
    : store_(store), recognize_(std::move(recognize)) {
  for (unsigned i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { run(); });
  }
}

TranscriptionWorker::~TranscriptionWorker() {
  stop(std::chrono::hours(24));
}

void TranscriptionWorker::enqueue(const std::string& id) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(id);
  }
  changed_.notify_all();
}

bool TranscriptionWorker::is_busy() const {
  std::lock_guard lock(mutex_);
  return working_ > 0 || !queue_.empty();
}

bool TranscriptionWorker::stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  changed_.notify_all();
  bool finished = changed_.wait_for(lock, grace, [this] { return working_ == 0; });
  lock.unlock();
  for (std::thread& thread : threads_) {
    if (!thread.joinable()) {
      continue;
    }
    if (finished) {
      thread.join();
    } else {
      thread.detach();
    }
  }
  return finished;
}

void TranscriptionWorker::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) {
      return;
    }
    std::string id = queue_.front();
    queue_.pop_front();
    ++working_;
    lock.unlock();
    process(id);
    lock.lock();
    --working_;
    changed_.notify_all();
  }
}

void TranscriptionWorker::process(const std::string& id) {
  auto record = store_.find(id);
  if (!record || record->status() != "queued") {
    return;
  }
  auto started = std::chrono::steady_clock::now();
  try {
    record->transcript["status"] = "processing";
    store_.save(*record);
    if (!record->intake_error.empty()) {
      fail_transcript(record->transcript, record->intake_error);
    } else {
      try {
        Recognition recognition = recognize_(record->audio_file);
        complete_transcript(record->transcript, to_words(recognition),
                            recognition.audio_duration_seconds);
      } catch (const AudioDecodeError& error) {
        fail_transcript(record->transcript, error.what());
      } catch (const std::exception& error) {
        fail_transcript(record->transcript, std::string("Recognition failed: ") + error.what());
      }
    }
    record->completed = utc_timestamp_now();
    store_.save(*record);
  } catch (const std::exception& error) {
    log_line("transcript " + id + " could not be saved: " + error.what());
    return;
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::string outcome = record->status() == "completed"
                            ? "completed"
                            : "ended in error: " + record->transcript.value("error", "");
  log_line("transcript " + id + " " + outcome + " (" + std::to_string(elapsed.count()) + " ms)");
}

}  // namespace aai::local
