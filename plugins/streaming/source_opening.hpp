// Opens the audio source SOURCE names and reads its first samples before any connection.
#pragma once

#include <aai/plugin.hpp>

#include <functional>
#include <memory>
#include <vector>

#include "audio_backend.hpp"
#include "stream_settings.hpp"

namespace streaming {

/// Rate of raw PCM on standard input when --sample-rate is not given, in Hz.
inline constexpr int kDefaultStdinSampleRate = 16000;

/// Opens the file, standard input (`stdin_fd`) or the microphone. Throws aai::Error:
/// audio_input_error for an undecodable file, usage_error for a --sample-rate that differs
/// from the file's rate, no_microphone, mic_error.
std::unique_ptr<AudioSource> open_source(const StreamSettings& settings,
                                         const std::function<AudioBackend&()>& audio_backend,
                                         int stdin_fd);

/// Starts a file or stdin source and waits for its first samples, so an empty input fails
/// before connecting. Returns them. Throws empty_audio (exit 2) when the input ends first,
/// the source's own failure, or interrupted (exit 130).
std::vector<int16_t> read_first_samples(const aai::Host& host, AudioSource& source,
                                        SourceKind kind);

/// Throws the failure as an aai::Error when it is set.
void throw_if_failed(const AudioFailure& failure);

}  // namespace streaming
