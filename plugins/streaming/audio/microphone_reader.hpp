// The default (or --device) input device through PortAudio, read in blocking mode.
#pragma once

#include <memory>

#include "audio_backend.hpp"

namespace streaming {

/// Opens the device without starting it. Fails with no_microphone (exit 2) when PortAudio finds
/// no input device, usage_error for a --device that is not an input, and mic_error (exit 1)
/// when PortAudio cannot open it.
std::unique_ptr<BlockReader> open_microphone_reader(const MicrophoneRequest& request,
                                                    AudioFailure& failure);

}  // namespace streaming
