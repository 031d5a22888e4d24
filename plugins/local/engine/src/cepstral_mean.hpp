// Sets pocketsphinx's starting cepstral mean from the audio about to be recognised.
#pragma once

#include <pocketsphinx.h>

#include <cstddef>
#include <cstdint>

namespace aai::local {

// Live cepstral mean normalisation (CMN) starts from a mean and adapts it slowly, and it carries
// the mean from one utterance to the next. Starting from the model's fixed initial mean cost
// short clips many words (one LibriVox clip went from 0.13 to 0.75 WER), and carrying it over
// would make results depend on earlier requests. So every recognition starts from the mean of
// the cepstra of its own opening samples, computed with the decoder's own front end.
// Call it between utterances only, because it reuses the decoder's front end.
void set_cepstral_mean_from(ps_decoder_t* decoder, const int16_t* samples, size_t count);

}  // namespace aai::local
