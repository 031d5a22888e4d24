// Turns a session's audio frames (PCM16LE or G.711 mu-law at any rate) into 16 kHz PCM16.
#pragma once

#include <soxr.h>

#include <cstdint>
#include <string>
#include <vector>

namespace aai::local {

/// Decodes one G.711 mu-law byte to a linear 16-bit sample.
int16_t decode_mulaw(uint8_t byte);

/// Converts frames in arrival order, keeping the resampler's state between them. Thread-compatible.
class AudioConverter {
 public:
  AudioConverter(int sample_rate, bool mulaw);
  ~AudioConverter();
  AudioConverter(const AudioConverter&) = delete;
  AudioConverter& operator=(const AudioConverter&) = delete;

  /// Replaces `out` with the 16 kHz samples of `frame`. An odd trailing byte of PCM16 is dropped.
  void convert(const std::string& frame, std::vector<int16_t>& out);

  /// Replaces `out` with the samples the resampler still holds, at the end of the stream.
  void flush(std::vector<int16_t>& out);

 private:
  void resample(const int16_t* samples, size_t count, std::vector<int16_t>& out);

  int sample_rate_;
  bool mulaw_;
  soxr_t resampler_ = nullptr;
  std::vector<int16_t> decoded_;
};

}  // namespace aai::local
