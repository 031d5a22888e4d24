#include "server/audio_converter.hpp"

#include <cstring>
#include <stdexcept>

namespace aai::local {
namespace {

constexpr int kTargetRate = 16000;

}  // namespace

int16_t decode_mulaw(uint8_t byte) {
  // G.711 stores the complement of sign, 3-bit exponent and 4-bit mantissa; the linear value is
  // ((mantissa << 3) + 0x84) << exponent, less the 0x84 bias.
  const uint8_t bits = static_cast<uint8_t>(~byte);
  const int exponent = (bits >> 4) & 0x07;
  const int mantissa = bits & 0x0F;
  const int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return static_cast<int16_t>((bits & 0x80) != 0 ? -magnitude : magnitude);
}

AudioConverter::AudioConverter(int sample_rate, bool mulaw)
    : sample_rate_(sample_rate), mulaw_(mulaw) {
  if (sample_rate_ == kTargetRate) {
    return;
  }
  soxr_error_t error = nullptr;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_MQ, 0);
  resampler_ = soxr_create(sample_rate_, kTargetRate, 1, &error, &io, &quality, nullptr);
  if (error != nullptr) {
    throw std::runtime_error(std::string("Failed to create the resampler: ") + error);
  }
}

AudioConverter::~AudioConverter() {
  soxr_delete(resampler_);
}

void AudioConverter::convert(const std::string& frame, std::vector<int16_t>& out) {
  if (mulaw_) {
    decoded_.resize(frame.size());
    for (size_t i = 0; i < frame.size(); ++i) {
      decoded_[i] = decode_mulaw(static_cast<uint8_t>(frame[i]));
    }
  } else {
    decoded_.resize(frame.size() / 2);
    // PCM16LE is the host's byte order on the x86-64 and arm64 builds this project targets.
    std::memcpy(decoded_.data(), frame.data(), decoded_.size() * sizeof(int16_t));
  }
  if (resampler_ == nullptr) {
    out.swap(decoded_);
    return;
  }
  resample(decoded_.data(), decoded_.size(), out);
}

void AudioConverter::flush(std::vector<int16_t>& out) {
  out.clear();
  if (resampler_ != nullptr) {
    resample(nullptr, 0, out);
  }
}

// A null `samples` tells soxr that the input has ended, so it returns what it still holds.
void AudioConverter::resample(const int16_t* samples, size_t count, std::vector<int16_t>& out) {
  out.clear();
  std::vector<int16_t> chunk(count * kTargetRate / static_cast<size_t>(sample_rate_) + 256);
  size_t consumed = 0;
  for (;;) {
    size_t input_done = 0;
    size_t output_done = 0;
    const int16_t* input = samples == nullptr ? nullptr : samples + consumed;
    soxr_error_t error = soxr_process(resampler_, input, count - consumed, &input_done,
                                      chunk.data(), chunk.size(), &output_done);
    if (error != nullptr) {
      throw std::runtime_error(std::string("Resampling failed: ") + error);
    }
    consumed += input_done;
    out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(output_done));
    if (output_done < chunk.size() && consumed >= count) {
      return;
    }
  }
}

}  // namespace aai::local
