#include "aai_local/recognizer.hpp"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#include "audio_file_decoder.hpp"
#include "streaming_decoder.hpp"

namespace aai::local {
namespace {

constexpr const char* kDebianModelDir = "/usr/share/pocketsphinx/model/en-us";
constexpr const char* kModelEnvVar = "AAI_POCKETSPHINX_MODEL";
// One second per ps_process_raw call, the same order as a file's blocks.
constexpr size_t kPcmBlockSamples = kRecognizerSampleRate;

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

ps_decoder_t* load_decoder(const std::filesystem::path& model_dir) {
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

}  // namespace

std::filesystem::path default_model_dir() {
  const char* from_env = std::getenv(kModelEnvVar);
  if (from_env != nullptr && *from_env != '\0') {
    return from_env;
  }
  return kDebianModelDir;
}

struct Recognizer::Impl {
  ps_decoder_t* decoder = nullptr;

  ~Impl() { ps_free(decoder); }

  Recognition decode(auto&& feed_all) {
    StreamingDecoder stream(decoder);
    const double seconds = feed_all(stream);
    return Recognition{stream.finish(), seconds};
  }
};

Recognizer::Recognizer(std::filesystem::path model_dir) : impl_(std::make_unique<Impl>()) {
  if (model_dir == kDebianModelDir) {
    model_dir = default_model_dir();
  }
  impl_->decoder = load_decoder(model_dir);
}

Recognizer::~Recognizer() = default;
Recognizer::Recognizer(Recognizer&& other) noexcept = default;
Recognizer& Recognizer::operator=(Recognizer&& other) noexcept = default;

Recognition Recognizer::recognize_file(const std::filesystem::path& audio) {
  AudioFileDecoder file(audio);
  return impl_->decode([&file](StreamingDecoder& stream) {
    std::vector<int16_t> block;
    while (file.read_block(block)) {
      stream.feed(block.data(), block.size());
    }
    return file.decoded_seconds();
  });
}

Recognition Recognizer::recognize_pcm(const int16_t* samples, size_t count) {
  if (count == 0) {
    throw AudioDecodeError("Audio contains no samples.");
  }
  return impl_->decode([samples, count](StreamingDecoder& stream) {
    for (size_t offset = 0; offset < count; offset += kPcmBlockSamples) {
      stream.feed(samples + offset, std::min(kPcmBlockSamples, count - offset));
    }
    return static_cast<double>(count) / kRecognizerSampleRate;
  });
}

}  // namespace aai::local
