// The LibriVox recordings the integration tests transcribe, and their reference texts.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace aai::testing {

/// Debian's pocketsphinx-testdata: five clips of Sense and Sensibility, 16 kHz mono PCM16 WAV.
inline const std::filesystem::path kLibriVox = "/usr/share/pocketsphinx/test/data/librivox";

/// Upper bounds on the word error rate of the emulator's recogniser (CMU PocketSphinx, en-us) on
/// those clips, batch or streamed. They leave margin over the measured rates, which
/// docs/local-emulator.md lists.
inline constexpr double kMaxClipWordErrorRate = 0.5;
inline constexpr double kMaxOverallWordErrorRate = 0.35;

/// Returns the reference text of each clip, by clip name without ".wav".
std::map<std::string, std::string> librivox_references();

/// Returns the samples of a PCM WAV file: the payload of its "data" chunk.
std::string wav_samples(const std::filesystem::path& wav);

}  // namespace aai::testing
