// Loads the pocketsphinx en-us model into a decoder, for the batch and the streaming recogniser.
#pragma once

#include <pocketsphinx.h>

#include <filesystem>

namespace aai::local {

inline constexpr const char* kDebianModelDir = "/usr/share/pocketsphinx/model/en-us";
inline constexpr const char* kModelEnvVar = "AAI_POCKETSPHINX_MODEL";

enum class DecoderSearch {
  // pocketsphinx's default search with its second, flat-lexicon pass: best accuracy.
  kAccurate,
  // A narrower single-pass search for live streams, several of which share a core.
  kLive,
};

// Returns a new decoder for the model in `model_dir`; the caller frees it with ps_free. Throws
// ModelLoadError.
ps_decoder_t* load_decoder(const std::filesystem::path& model_dir,
                           DecoderSearch search = DecoderSearch::kAccurate);

}  // namespace aai::local
