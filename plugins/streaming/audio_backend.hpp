// The interface of libaai-stream-audio.so, the companion library that decodes files, captures
// the microphone and writes WAV files. The plugin loads it on first use, so an ordinary `aai`
// start never maps libsndfile or PortAudio.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "audio_source.hpp"

namespace streaming {

/// An opened audio file: its samples as 16 kHz mono PCM16, and the file's own rate.
struct OpenedFile {
  std::unique_ptr<AudioSource> source;
  int file_sample_rate = 0;
};

/// Which input device to open and at which rate; unset fields take the device's defaults.
struct MicrophoneRequest {
  std::optional<int> device;
  std::optional<int> sample_rate;
};

/// A 16-bit mono WAV file written as FILE.partial and renamed to FILE by finish (or by the
/// destructor), with a header that is valid after every write.
class WavWriter {
 public:
  virtual ~WavWriter() = default;

  /// Appends samples; returns false and fills `failure` when the write failed.
  virtual bool write(const int16_t* samples, size_t count, AudioFailure& failure) = 0;

  /// Closes the file and renames it to its final name; returns false when that failed.
  virtual bool finish(AudioFailure& failure) = 0;
};

/// Functions that the companion library offers. Every call reports failures through `failure` and
/// returns null; none throws.
class AudioBackend {
 public:
  virtual ~AudioBackend() = default;

  /// Opens an audio file that libsndfile reads (WAV, FLAC, Ogg, MP3).
  virtual OpenedFile open_file(const std::string& path, AudioFailure& failure) = 0;

  /// Opens an input device without starting capture. Fails with no_microphone when the system
  /// has no input device.
  virtual std::unique_ptr<BlockReader> open_microphone(const MicrophoneRequest& request,
                                                       AudioFailure& failure) = 0;

  /// Creates PATH.partial for a WAV file of `sample_rate` Hz.
  virtual std::unique_ptr<WavWriter> create_wav(const std::string& path, int sample_rate,
                                                AudioFailure& failure) = 0;
};

/// Name of the factory libaai-stream-audio.so exports with C linkage:
///   streaming::AudioBackend* aai_stream_audio_create_backend();
/// The caller owns the result. It returns null when the backend cannot be created.
inline constexpr const char* kCreateAudioBackendSymbol = "aai_stream_audio_create_backend";

}  // namespace streaming
