// Reads the words of pocketsphinx's best hypothesis, without fillers.
#pragma once

#include <pocketsphinx.h>

#include <vector>

#include "aai_local/recognizer.hpp"

namespace aai::local {

// Appends the words of the decoder's best hypothesis for the current utterance to `words`, with
// times from the start of the stream. After ps_end_utt each word's confidence is its lattice
// posterior. During an utterance pocketsphinx has no lattice yet and reports probability 1.
void append_hypothesis_words(ps_decoder_t* decoder, std::vector<RecognizedWord>& words);

}  // namespace aai::local
