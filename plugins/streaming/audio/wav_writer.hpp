// --save-audio: a 16-bit mono WAV written with libsndfile.
#pragma once

#include <memory>
#include <string>

#include "audio_backend.hpp"

namespace streaming {

/// Creates PATH.partial; fails with save_audio_path (exit 2) when it cannot be created.
std::unique_ptr<WavWriter> create_wav_writer(const std::string& path, int sample_rate,
                                             AudioFailure& failure);

}  // namespace streaming
