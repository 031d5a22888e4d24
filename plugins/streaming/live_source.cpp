#include "live_source.hpp"

namespace streaming {

LiveSource::LiveSource(std::unique_ptr<BlockReader> reader)
    : reader_(std::move(reader)), sample_rate_(reader_->sample_rate()) {}

LiveSource::~LiveSource() {
  stop();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void LiveSource::start(AudioFailure&) {
  if (!thread_.joinable()) {
    thread_ = std::thread(&LiveSource::run_reader, this);
  }
}

void LiveSource::stop() {
  stop_requested_ = true;
}

void LiveSource::run_reader() {
  AudioFailure failure;
  reader_->start(failure);
  std::vector<int16_t> block;
  ReadStatus status = failure.failed() ? ReadStatus::kEnd : ReadStatus::kPending;
  while (status != ReadStatus::kEnd && !stop_requested_) {
    status = reader_->read_block(block, failure);
    if (status == ReadStatus::kSamples) {
      std::lock_guard lock(mutex_);
      queued_.insert(queued_.end(), block.begin(), block.end());
      ready_.notify_one();
    }
  }
  std::lock_guard lock(mutex_);
  finished_ = true;
  failure_ = failure;
  ready_.notify_one();
}

ReadStatus LiveSource::read(std::vector<int16_t>& out, std::chrono::milliseconds wait,
                            AudioFailure& failure) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, wait, [this] { return !queued_.empty() || finished_; });
  if (!queued_.empty()) {
    out.insert(out.end(), queued_.begin(), queued_.end());
    queued_.clear();
    return ReadStatus::kSamples;
  }
  if (finished_) {
    failure = failure_;
    return ReadStatus::kEnd;
  }
  return ReadStatus::kPending;
}

}  // namespace streaming
