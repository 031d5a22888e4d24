// Feeds 16 kHz mono PCM16 into pocketsphinx in blocks, one utterance per stretch between pauses.
#pragma once

#include <pocketsphinx.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "aai_local/recognizer.hpp"
#include "utterance_splitter.hpp"

namespace aai::local {

// Decodes one audio stream with a loaded pocketsphinx decoder. Word times count from the start
// of the stream across utterances, because every sample is fed to the decoder, pauses included.
class StreamingDecoder {
 public:
  // Starts the first utterance. The decoder must outlive this object and must not be used by
  // anything else until finish() returns or this object is destroyed.
  explicit StreamingDecoder(ps_decoder_t* decoder);
  ~StreamingDecoder();
  StreamingDecoder(const StreamingDecoder&) = delete;
  StreamingDecoder& operator=(const StreamingDecoder&) = delete;

  void feed(const int16_t* samples, size_t count);

  // Ends the last utterance and returns every recognised word in order.
  std::vector<RecognizedWord> finish();

 private:
  void start_decoding();
  void feed_frames(const int16_t* samples, size_t count);
  void process(const int16_t* samples, size_t count);
  void start_utterance();
  void end_utterance();
  void collect_words();

  ps_decoder_t* decoder_;
  UtteranceSplitter splitter_;
  // Samples short of a whole 10 ms frame, held back so utterances end on frame boundaries.
  std::vector<int16_t> partial_frame_;
  // The opening samples, held until there are enough to set the cepstral mean from them.
  std::vector<int16_t> opening_;
  bool started_ = false;
  bool in_utterance_ = false;
  std::vector<RecognizedWord> words_;
};

}  // namespace aai::local
