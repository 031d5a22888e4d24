// Live recognition for the emulator's streaming API: PCM arrives in pieces, turns come out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "aai_local/recognizer.hpp"

namespace aai::local {

/// Turn detection settings, named after the streaming service's query parameters.
struct TurnSettings {
  /// 0..1. A silence of at least min_turn_silence_ms ends a turn once the end-of-turn
  /// confidence reaches this value.
  double end_of_turn_confidence_threshold = 0.4;
  int64_t min_turn_silence_ms = 400;
  /// A silence this long always ends a turn.
  int64_t max_turn_silence_ms = 1280;
  /// 0..1. A 10 ms frame counts as speech when its level is above the tracked noise floor by
  /// more than 30 dB times this value (12 dB at the default 0.4).
  double vad_threshold = 0.4;
};

/// The words of the open turn so far (a partial), or of a turn that has ended.
struct TurnUpdate {
  /// Times in ms from the start of the stream.
  std::vector<RecognizedWord> words;
  bool end_of_turn = false;
  /// 0..1: the trailing silence divided by max_turn_silence_ms (1 for a turn ended on request).
  double end_of_turn_confidence = 0.0;
};

/// Recognises one live stream of 16 kHz mono PCM16 with its own pocketsphinx decoder, one turn
/// per pocketsphinx utterance. Thread-compatible: a session's worker thread owns it.
///
/// Example:
///   StreamingRecognizer recognizer(TurnSettings{});
///   for (auto& turn : recognizer.feed(samples.data(), samples.size())) print(turn.words);
///   for (auto& turn : recognizer.end_turn()) print(turn.words);
class StreamingRecognizer {
 public:
  /// Loads the model as Recognizer does. Throws ModelLoadError.
  explicit StreamingRecognizer(TurnSettings settings,
                               std::filesystem::path model_dir = default_model_dir());
  ~StreamingRecognizer();
  StreamingRecognizer(StreamingRecognizer&& other) noexcept;
  StreamingRecognizer& operator=(StreamingRecognizer&& other) noexcept;

  /// Applies new settings from the next frame on.
  void set_turn_settings(const TurnSettings& settings);

  /// Decodes `count` samples and returns the turns that ended inside them, in order. The first
  /// seconds are held until there is enough audio to set the cepstral mean, so turns and
  /// partials start only after that.
  std::vector<TurnUpdate> feed(const int16_t* samples, size_t count);

  /// Returns the open turn's words so far, or nullopt when no turn is open.
  std::optional<TurnUpdate> partial();

  /// Ends the open turn now and returns the turns that ended: the open one, and before it any
  /// that the held opening audio contained. Empty when no turn was open. Call it for a forced
  /// endpoint and at the end of the stream.
  std::vector<TurnUpdate> end_turn();

  /// Seconds of audio fed so far.
  double audio_seconds() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aai::local
