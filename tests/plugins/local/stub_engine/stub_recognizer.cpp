// Stand-in recogniser: decodes the file with libsndfile for a real duration and real decode
// errors, and returns the fixed words kStubWords instead of recognising speech.
#include <aai_local/recognizer.hpp>

#include <sndfile.h>

namespace aai::local {

Recognizer::Recognizer(std::filesystem::path) {}

Recognizer::~Recognizer() = default;

Recognition Recognizer::recognize_file(const std::filesystem::path& audio) {
  SF_INFO info{};
  SNDFILE* file = sf_open(audio.c_str(), SFM_READ, &info);
  if (file == nullptr) {
    throw AudioDecodeError("Could not decode the audio file: " + std::string(sf_strerror(nullptr)));
  }
  sf_close(file);
  double seconds = info.samplerate > 0 ? static_cast<double>(info.frames) / info.samplerate : 0.0;
  return {{{"stand", 100, 400, 0.9}, {"in", 450, 600, 0.8}, {"words", 650, 1000, 0.7}}, seconds};
}

Recognition Recognizer::recognize_pcm(const int16_t*, size_t count) {
  return {{}, static_cast<double>(count) / 16000.0};
}

}  // namespace aai::local
