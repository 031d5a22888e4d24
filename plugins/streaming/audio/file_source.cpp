#include "file_source.hpp"

#include <aai/plugin.h>

#include <aai_audio/audio_file_decoder.hpp>

#include <exception>
#include <memory>

namespace streaming {
namespace {

void fail_decoding(const std::string& path, const std::string& reason, AudioFailure& failure) {
  failure = {AAI_EXIT_FAILURE, "audio_input_error",
             "Could not decode the audio file '" + path + "': " + reason,
             "Pass a WAV, FLAC, Ogg or MP3 file, or raw 16-bit PCM on standard input with `-`."};
}

// A file is not live: every read returns the next decoded block at once, and the session paces
// the sending itself.
class FileSource : public AudioSource {
 public:
  FileSource(std::string path, std::unique_ptr<aai::audio::AudioFileDecoder> decoder)
      : path_(std::move(path)), decoder_(std::move(decoder)) {}

  int sample_rate() const override { return aai::audio::kDecodedSampleRate; }

  void start(AudioFailure&) override {}

  ReadStatus read(std::vector<int16_t>& out, std::chrono::milliseconds,
                  AudioFailure& failure) override {
    if (stopped_) {
      return ReadStatus::kEnd;
    }
    try {
      if (!decoder_->read_block(block_)) {
        return ReadStatus::kEnd;
      }
    } catch (const std::exception& error) {
      fail_decoding(path_, error.what(), failure);
      return ReadStatus::kEnd;
    }
    out.insert(out.end(), block_.begin(), block_.end());
    return ReadStatus::kSamples;
  }

  void stop() override { stopped_ = true; }

 private:
  std::string path_;
  std::unique_ptr<aai::audio::AudioFileDecoder> decoder_;
  std::vector<int16_t> block_;
  bool stopped_ = false;
};

}  // namespace

OpenedFile open_audio_file(const std::string& path, AudioFailure& failure) {
  try {
    auto decoder = std::make_unique<aai::audio::AudioFileDecoder>(path);
    const int file_rate = decoder->source_sample_rate();
    return {std::make_unique<FileSource>(path, std::move(decoder)), file_rate};
  } catch (const std::exception& error) {
    fail_decoding(path, error.what(), failure);
    return {};
  }
}

}  // namespace streaming
