// Offline speech recognition for the local emulator: audio file or PCM in, timed words out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace aai::local {

/// One recognised word. Times are milliseconds from the start of the audio.
struct RecognizedWord {
  std::string text;
  int64_t start_ms;
  int64_t end_ms;
  double confidence;  ///< Posterior probability of the word, 0..1.
};

/// Words in spoken order, plus the length of the decoded audio.
struct Recognition {
  std::vector<RecognizedWord> words;
  double audio_duration_seconds;
};

/// Audio that cannot be decoded. The message is written for an end user and fits a transcript's
/// `error` field, so it never contains a server-side path.
class AudioDecodeError : public std::runtime_error {
  using runtime_error::runtime_error;
};

/// A speech model folder that is missing or that pocketsphinx fails to load. The message names
/// the path and the Debian package that provides the model.
class ModelLoadError : public std::runtime_error {
  using runtime_error::runtime_error;
};

/// The model folder used when the caller passes none: the value of AAI_POCKETSPHINX_MODEL when
/// it is set and non-empty, else /usr/share/pocketsphinx/model/en-us (Debian's
/// pocketsphinx-en-us package). The folder must contain `en-us/` (acoustic model),
/// `en-us.lm.bin` (language model) and `cmudict-en-us.dict` (pronunciation dictionary).
std::filesystem::path default_model_dir();

/// Loads the pocketsphinx en-us model once; thread-compatible (one recognize at a time per object).
///
/// Example:
///   aai::local::Recognizer recognizer;
///   aai::local::Recognition result = recognizer.recognize_file("call.mp3");
///   for (const auto& word : result.words) std::cout << word.start_ms << ' ' << word.text << '\n';
class Recognizer {
 public:
  /// Loads the model from `model_dir`. Passing the Debian default path (the default argument)
  /// means "no explicit choice", so AAI_POCKETSPHINX_MODEL, when set, replaces it; any other
  /// path is used as given. Throws ModelLoadError.
  explicit Recognizer(std::filesystem::path model_dir = "/usr/share/pocketsphinx/model/en-us");
  ~Recognizer();
  Recognizer(Recognizer&& other) noexcept;
  Recognizer& operator=(Recognizer&& other) noexcept;

  // Decodes any WAV/FLAC/OGG/MP3 (any rate and channels), resamples to 16 kHz mono, recognises.
  // Throws AudioDecodeError with a message fit for the transcript's `error` field.
  Recognition recognize_file(const std::filesystem::path& audio);

  // Same for raw 16 kHz mono PCM16 samples.
  Recognition recognize_pcm(const int16_t* samples, size_t count);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aai::local
