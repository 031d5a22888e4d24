// Audio files decoded with aai::audio into 16 kHz mono PCM16, block by block.
#pragma once

#include <string>

#include "audio_backend.hpp"

namespace streaming {

/// Opens `path` for decoding. Fails with audio_input_error naming the path when libsndfile
/// cannot read it.
OpenedFile open_audio_file(const std::string& path, AudioFailure& failure);

}  // namespace streaming
