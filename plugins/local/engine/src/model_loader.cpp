#include "model_loader.hpp"

#include <sphinxbase/err.h>

#include <system_error>

#include "aai_local/recognizer.hpp"

namespace aai::local {
namespace {

struct ModelFiles {
  std::filesystem::path acoustic_model;
  std::filesystem::path language_model;
  std::filesystem::path dictionary;
};

ModelFiles locate_model_files(const std::filesystem::path& model_dir) {
  ModelFiles files{model_dir / "en-us", model_dir / "en-us.lm.bin",
                   model_dir / "cmudict-en-us.dict"};
  for (const auto& required : {files.acoustic_model, files.language_model, files.dictionary}) {
    std::error_code error;
    if (!std::filesystem::exists(required, error)) {
      throw ModelLoadError("Speech model not found: '" + required.string() +
                           "' does not exist. Install the Debian package pocketsphinx-en-us, or "
                           "set " +
                           kModelEnvVar +
                           " to a folder that contains en-us/, en-us.lm.bin and "
                           "cmudict-en-us.dict.");
    }
  }
  return files;
}

// Narrows the search so one core decodes several live streams at once. On the five LibriVox
// clips fed in 100 ms pieces (streaming_recognizer_test.cpp) these settings measured 0.17 CPU
// seconds per audio second at WER 0.27, against 0.61 and 0.24 with the defaults, on a shared
// 2-core build machine.
void apply_live_search(cmd_ln_t* config) {
  cmd_ln_set_boolean_r(config, "-fwdflat", FALSE);
  cmd_ln_set_float_r(config, "-beam", 1e-35);
  cmd_ln_set_float_r(config, "-wbeam", 1e-25);
  cmd_ln_set_int_r(config, "-maxhmmpf", 2000);
  cmd_ln_set_int_r(config, "-topn", 2);
}

}  // namespace

ps_decoder_t* load_decoder(const std::filesystem::path& model_dir, DecoderSearch search) {
  const ModelFiles files = locate_model_files(model_dir);

  // sphinxbase logs every setting and model statistic to stderr by default; the emulator's
  // stderr is its request log. err_set_logfp(nullptr) silences logging before the decoder
  // exists, and -logfn keeps it silent after ps_init.
  err_set_logfp(nullptr);
  // -remove_silence no decodes every frame, so frame N is always 10 * N ms into the stream,
  // whatever the voice activity filter would have dropped. On the LibriVox test clips the filter
  // saved about 10% CPU and did not change the WER.
  cmd_ln_t* config = cmd_ln_init(nullptr, ps_args(), 1, "-hmm", files.acoustic_model.c_str(), "-lm",
                                 files.language_model.c_str(), "-dict", files.dictionary.c_str(),
                                 "-logfn", "/dev/null", "-remove_silence", "no", nullptr);
  if (config != nullptr && search == DecoderSearch::kLive) {
    apply_live_search(config);
  }
  if (config == nullptr) {
    throw ModelLoadError("Failed to configure pocketsphinx for the model in '" +
                         model_dir.string() + "'.");
  }
  ps_decoder_t* decoder = ps_init(config);
  cmd_ln_free_r(config);
  if (decoder == nullptr) {
    throw ModelLoadError("Failed to load the speech model in '" + model_dir.string() +
                         "'. Reinstall the Debian package pocketsphinx-en-us, or set " +
                         kModelEnvVar + " to a folder with a working en-us model.");
  }
  return decoder;
}

}  // namespace aai::local
