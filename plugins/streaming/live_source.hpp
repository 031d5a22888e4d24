// An AudioSource fed by a BlockReader on its own thread, for stdin and the microphone.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "audio_source.hpp"

namespace streaming {

/// Runs the reader on a thread of its own and hands its samples to the session thread through
/// a queue, so a blocking read never delays the WebSocket.
class LiveSource : public AudioSource {
 public:
  explicit LiveSource(std::unique_ptr<BlockReader> reader);
  ~LiveSource() override;
  LiveSource(const LiveSource&) = delete;
  LiveSource& operator=(const LiveSource&) = delete;

  int sample_rate() const override { return sample_rate_; }
  void start(AudioFailure& failure) override;
  ReadStatus read(std::vector<int16_t>& out, std::chrono::milliseconds wait,
                  AudioFailure& failure) override;
  void stop() override;

 private:
  void run_reader();

  std::unique_ptr<BlockReader> reader_;
  const int sample_rate_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<int16_t> queued_;
  bool finished_ = false;
  AudioFailure failure_;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace streaming
