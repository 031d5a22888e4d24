// Stand-in for the recognition engine's interface, used only while plugins/local/engine is not in
// the tree. It declares the part of the engine's interface that the server uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace aai::local {

struct RecognizedWord {
  std::string text;
  int64_t start_ms;
  int64_t end_ms;
  double confidence;
};

struct Recognition {
  std::vector<RecognizedWord> words;
  double audio_duration_seconds;
};

class AudioDecodeError : public std::runtime_error {
  using runtime_error::runtime_error;
};

class Recognizer {
 public:
  explicit Recognizer(std::filesystem::path model_dir = "/usr/share/pocketsphinx/model/en-us");
  ~Recognizer();
  Recognition recognize_file(const std::filesystem::path& audio);
  Recognition recognize_pcm(const int16_t* samples, size_t count);
};

}  // namespace aai::local
