#include "aai_local/recognizer.hpp"

#include <pocketsphinx.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#include "aai_audio/audio_file_decoder.hpp"
#include "model_loader.hpp"
#include "streaming_decoder.hpp"

namespace aai::local {
namespace {

// One second per ps_process_raw call, the same order as a file's blocks.
constexpr size_t kPcmBlockSamples = audio::kDecodedSampleRate;

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
  try {
    audio::AudioFileDecoder file(audio);
    return impl_->decode([&file](StreamingDecoder& stream) {
      std::vector<int16_t> block;
      while (file.read_block(block)) {
        stream.feed(block.data(), block.size());
      }
      return file.decoded_seconds();
    });
  } catch (const audio::DecodeError& error) {
    throw AudioDecodeError(error.what());
  }
}

Recognition Recognizer::recognize_pcm(const int16_t* samples, size_t count) {
  if (count == 0) {
    throw AudioDecodeError("Audio contains no samples.");
  }
  return impl_->decode([samples, count](StreamingDecoder& stream) {
    for (size_t offset = 0; offset < count; offset += kPcmBlockSamples) {
      stream.feed(samples + offset, std::min(kPcmBlockSamples, count - offset));
    }
    return static_cast<double>(count) / audio::kDecodedSampleRate;
  });
}

}  // namespace aai::local
