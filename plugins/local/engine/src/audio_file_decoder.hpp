// Streams an audio file as 16 kHz mono PCM16, one block at a time.
#pragma once

#include <sndfile.h>
#include <soxr.h>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace aai::local {

inline constexpr int kRecognizerSampleRate = 16000;

// Opens the file with libsndfile and converts it block by block, so memory use stays at one
// block however long the file is. Throws AudioDecodeError for unreadable or empty input.
class AudioFileDecoder {
 public:
  explicit AudioFileDecoder(const std::filesystem::path& audio);
  ~AudioFileDecoder();
  AudioFileDecoder(const AudioFileDecoder&) = delete;
  AudioFileDecoder& operator=(const AudioFileDecoder&) = delete;

  // Replaces `out` with the next block of 16 kHz mono samples. Returns false once the file and
  // the resampler are drained; `out` is then empty.
  bool read_block(std::vector<int16_t>& out);

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

}  // namespace aai::local
