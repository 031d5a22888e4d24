// `aai stream -`: raw PCM16LE mono read from a file descriptor.
#pragma once

#include <cstdint>
#include <vector>

#include "audio_source.hpp"

namespace streaming {

/// Reads raw little-endian 16-bit mono samples at a rate the user declares.
class StdinReader : public BlockReader {
 public:
  StdinReader(int fd, int sample_rate) : fd_(fd), sample_rate_(sample_rate) {}

  int sample_rate() const override { return sample_rate_; }
  void start(AudioFailure&) override {}

  /// Waits up to 100 ms for data with poll, so the reader thread can notice a stop request
  /// even when no more input arrives.
  ReadStatus read_block(std::vector<int16_t>& out, AudioFailure& failure) override;

 private:
  int fd_;
  int sample_rate_;
  /// An odd byte left over from the previous read: half of a sample.
  std::vector<unsigned char> carry_;
};

}  // namespace streaming
