#include "aai_audio/audio_file_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <system_error>

namespace aai::audio {
namespace {

// 4096 frames is about 0.1 s at 44.1 kHz: small enough to bound memory, large enough that the
// per-call overhead of libsndfile and libsoxr is negligible.
constexpr sf_count_t kBlockFrames = 4096;

// libsndfile's reasons end with a period ("Format not recognised."), which reads well after a
// colon, so the reason is kept verbatim.
std::string not_audio_message(const char* reason) {
  return std::string("File does not appear to be an audio file: ") + reason;
}

void check_is_readable_file(const std::filesystem::path& audio) {
  std::error_code error;
  const auto status = std::filesystem::status(audio, error);
  if (!std::filesystem::exists(status)) {
    throw DecodeError("Audio file not found.");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw DecodeError("Audio path is not a regular file.");
  }
  if (std::filesystem::file_size(audio, error) == 0 && !error) {
    throw DecodeError("Audio file is empty (0 bytes).");
  }
}

int16_t to_pcm16(float sample) {
  const float scaled = std::clamp(sample * 32768.0f, -32768.0f, 32767.0f);
  return static_cast<int16_t>(std::lrint(scaled));
}

}  // namespace

AudioFileDecoder::AudioFileDecoder(const std::filesystem::path& audio) {
  check_is_readable_file(audio);
  file_ = sf_open(audio.c_str(), SFM_READ, &info_);
  if (file_ == nullptr) {
    throw DecodeError(not_audio_message(sf_strerror(nullptr)));
  }
  if (info_.frames == 0 || info_.channels <= 0 || info_.samplerate <= 0) {
    sf_close(file_);
    throw DecodeError("Audio contains no samples.");
  }
  interleaved_.resize(static_cast<size_t>(kBlockFrames) * static_cast<size_t>(info_.channels));
  mono_.resize(static_cast<size_t>(kBlockFrames));
  if (info_.samplerate == kDecodedSampleRate) {
    return;
  }

  // libsoxr rather than libsamplerate: at its HQ setting it is both faster and cleaner than
  // libsamplerate's best sinc converter, and it writes clipped int16 itself.
  const soxr_io_spec_t io_spec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_INT16_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  soxr_error_t error = nullptr;
  resampler_ =
      soxr_create(info_.samplerate, kDecodedSampleRate, 1, &error, &io_spec, &quality, nullptr);
  if (error != nullptr) {
    sf_close(file_);
    throw DecodeError(std::string("Failed to set up resampling from ") +
                      std::to_string(info_.samplerate) + " Hz: " + error);
  }
}

AudioFileDecoder::~AudioFileDecoder() {
  soxr_delete(resampler_);
  sf_close(file_);
}

bool AudioFileDecoder::read_block(std::vector<int16_t>& out) {
  out.clear();
  while (out.empty()) {
    if (input_done_) {
      return resampler_ != nullptr && flush_resampler(out);
    }
    const size_t frame_count = read_mono_frames();
    if (frame_count == 0) {
      continue;
    }
    if (resampler_ == nullptr) {
      convert_without_resampling(frame_count, out);
    } else {
      resample(frame_count, out);
    }
  }
  return true;
}

double AudioFileDecoder::decoded_seconds() const {
  return static_cast<double>(frames_read_) / info_.samplerate;
}

// Reads one block and averages its channels into mono_. Sets input_done_ at the end of the file.
size_t AudioFileDecoder::read_mono_frames() {
  const sf_count_t frames = sf_readf_float(file_, interleaved_.data(), kBlockFrames);
  if (sf_error(file_) != SF_ERR_NO_ERROR) {
    throw DecodeError(std::string("Failed to decode the audio: ") + sf_strerror(file_));
  }
  // Only a read of zero frames marks the end: libsndfile's MP3 decoder returns short blocks
  // in the middle of a file.
  if (frames <= 0) {
    input_done_ = true;
    if (frames_read_ == 0) {
      throw DecodeError("Audio contains no samples.");
    }
    return 0;
  }
  frames_read_ += frames;
  const auto channels = static_cast<size_t>(info_.channels);
  for (size_t frame = 0; frame < static_cast<size_t>(frames); ++frame) {
    float sum = 0.0f;
    for (size_t channel = 0; channel < channels; ++channel) {
      sum += interleaved_[frame * channels + channel];
    }
    mono_[frame] = sum / static_cast<float>(channels);
  }
  return static_cast<size_t>(frames);
}

void AudioFileDecoder::convert_without_resampling(size_t frame_count,
                                                  std::vector<int16_t>& out) const {
  out.resize(frame_count);
  std::transform(mono_.begin(), mono_.begin() + static_cast<std::ptrdiff_t>(frame_count),
                 out.begin(), to_pcm16);
}

void AudioFileDecoder::resample(size_t frame_count, std::vector<int16_t>& out) {
  const double ratio = static_cast<double>(kDecodedSampleRate) / info_.samplerate;
  const auto room = static_cast<size_t>(std::ceil(static_cast<double>(frame_count) * ratio)) + 64;
  size_t consumed_total = 0;
  while (consumed_total < frame_count) {
    const size_t start = out.size();
    out.resize(start + room);
    size_t consumed = 0;
    size_t produced = 0;
    const soxr_error_t error =
        soxr_process(resampler_, mono_.data() + consumed_total, frame_count - consumed_total,
                     &consumed, out.data() + start, room, &produced);
    if (error != nullptr) {
      throw DecodeError(std::string("Failed to resample the audio: ") + error);
    }
    out.resize(start + produced);
    consumed_total += consumed;
    if (consumed == 0 && produced == 0) {
      throw DecodeError("Failed to resample the audio: the resampler made no progress.");
    }
  }
}

// Drains the samples libsoxr still holds back for its filter once input has ended.
bool AudioFileDecoder::flush_resampler(std::vector<int16_t>& out) {
  if (flushed_) {
    return false;
  }
  out.resize(static_cast<size_t>(kBlockFrames));
  size_t produced = 0;
  const soxr_error_t error =
      soxr_process(resampler_, nullptr, 0, nullptr, out.data(), out.size(), &produced);
  if (error != nullptr) {
    throw DecodeError(std::string("Failed to resample the audio: ") + error);
  }
  out.resize(produced);
  flushed_ = produced == 0;
  return !flushed_;
}

}  // namespace aai::audio
