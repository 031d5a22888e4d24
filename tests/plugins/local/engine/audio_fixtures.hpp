// Test audio: the LibriVox clips shipped by pocketsphinx-testdata, and files written from them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace aai::local::test {

// One clip of Debian's pocketsphinx-testdata package, with its reference transcript.
struct LibrivoxClip {
  std::string id;
  std::filesystem::path wav;
  std::string reference;
};

// Reads the clips listed in /usr/share/pocketsphinx/test/data/librivox/transcription.
std::vector<LibrivoxClip> load_librivox_clips();

// Reads a 16 kHz mono 16-bit file into memory.
std::vector<int16_t> read_pcm16(const std::filesystem::path& wav);

// Writes 16 kHz mono samples to `path` at `sample_rate` with every channel a copy of the input,
// in libsndfile's `format` (SF_FORMAT_* major | subtype).
void write_audio(const std::filesystem::path& path, const std::vector<int16_t>& samples,
                 int sample_rate, int channels, int format);

// A fresh folder under the system temp folder, removed when the object goes away.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace aai::local::test
