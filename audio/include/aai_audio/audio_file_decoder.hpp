// Streams an audio file as 16 kHz mono PCM16, one block at a time.
#pragma once

#include <sndfile.h>
#include <soxr.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace aai::audio {

/// Rate of every decoder's output, the rate the recogniser and the streaming service expect.
inline constexpr int kDecodedSampleRate = 16000;

/// Audio that cannot be decoded. The message is written for an end user and never contains a
/// path, so a server can put it in a transcript's `error` field.
class DecodeError : public std::runtime_error {
  using runtime_error::runtime_error;
};

// Opens the file with libsndfile and converts it block by block, so memory use stays at one
// block however long the file is. Throws DecodeError for unreadable or empty input.
class AudioFileDecoder {
 public:
  explicit AudioFileDecoder(const std::filesystem::path& audio);
  ~AudioFileDecoder();
  AudioFileDecoder(const AudioFileDecoder&) = delete;
  AudioFileDecoder& operator=(const AudioFileDecoder&) = delete;

  // Replaces `out` with the next block of 16 kHz mono samples. Returns false once the file and
  // the resampler are drained; `out` is then empty.
  bool read_block(std::vector<int16_t>& out);

  // The file's own sample rate and channel count, before conversion.
  int source_sample_rate() const { return info_.samplerate; }
  int source_channels() const { return info_.channels; }

  // Seconds of audio read so far, at the file's own rate. Complete after read_block returns false.
  double decoded_seconds() const;

 private:
  size_t read_mono_frames();
  void convert_without_resampling(size_t frame_count, std::vector<int16_t>& out) const;
  void resample(size_t frame_count, std::vector<int16_t>& out);
  bool flush_resampler(std::vector<int16_t>& out);

  SNDFILE* file_ = nullptr;
  SF_INFO info_{};
  soxr_t resampler_ = nullptr;
  std::vector<float> interleaved_;
  std::vector<float> mono_;
  int64_t frames_read_ = 0;
  bool input_done_ = false;
  bool flushed_ = false;
};

}  // namespace aai::audio
