// The only symbol libaai-stream-audio.so exports: the factory the plugin looks up with dlsym.
#include "audio_backend.hpp"

#include <new>

#include "file_source.hpp"
#include "microphone_reader.hpp"
#include "wav_writer.hpp"

namespace streaming {
namespace {

class CompanionAudioBackend : public AudioBackend {
 public:
  OpenedFile open_file(const std::string& path, AudioFailure& failure) override {
    return open_audio_file(path, failure);
  }

  std::unique_ptr<BlockReader> open_microphone(const MicrophoneRequest& request,
                                               AudioFailure& failure) override {
    return open_microphone_reader(request, failure);
  }

  std::unique_ptr<WavWriter> create_wav(const std::string& path, int sample_rate,
                                        AudioFailure& failure) override {
    return create_wav_writer(path, sample_rate, failure);
  }
};

}  // namespace
}  // namespace streaming

extern "C" __attribute__((visibility("default"))) streaming::AudioBackend*
aai_stream_audio_create_backend() noexcept {
  // A null result tells the loader that creation failed: no exception may leave a function
  // looked up with dlsym.
  try {
    return new streaming::CompanionAudioBackend();
  } catch (...) {
    return nullptr;
  }
}
