#include "wav_writer.hpp"

#include <aai/plugin.h>

#include <sndfile.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace streaming {
namespace {

class SndfileWavWriter : public WavWriter {
 public:
  SndfileWavWriter(std::string path, SNDFILE* file)
      : path_(std::move(path)), partial_path_(path_ + ".partial"), file_(file) {}

  ~SndfileWavWriter() override {
    AudioFailure ignored;
    finish(ignored);
  }

  bool write(const int16_t* samples, size_t count, AudioFailure& failure) override {
    if (file_ == nullptr) {
      return false;
    }
    const auto written = sf_write_short(file_, samples, static_cast<sf_count_t>(count));
    if (written != static_cast<sf_count_t>(count)) {
      failure = {AAI_EXIT_FAILURE, "save_audio_path",
                 "Writing --save-audio file '" + partial_path_ + "' failed: " + sf_strerror(file_),
                 "Check the free space of its folder."};
      return false;
    }
    return true;
  }

  bool finish(AudioFailure& failure) override {
    if (file_ == nullptr) {
      return true;
    }
    // sf_close writes the final header; the automatic header updates already kept the partial
    // file valid after every write, so a run killed before this point still leaves a playable
    // FILE.partial.
    const int close_error = sf_close(file_);
    file_ = nullptr;
    if (close_error != 0 || std::rename(partial_path_.c_str(), path_.c_str()) != 0) {
      const std::string reason =
          close_error != 0 ? sf_error_number(close_error) : std::strerror(errno);
      failure = {AAI_EXIT_FAILURE, "save_audio_path",
                 "Could not finish --save-audio file '" + path_ + "': " + reason,
                 "The audio so far is in '" + partial_path_ + "'."};
      return false;
    }
    return true;
  }

 private:
  std::string path_;
  std::string partial_path_;
  SNDFILE* file_;
};

}  // namespace

std::unique_ptr<WavWriter> create_wav_writer(const std::string& path, int sample_rate,
                                             AudioFailure& failure) {
  const std::string partial_path = path + ".partial";
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(partial_path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) {
    failure = {AAI_EXIT_USAGE, "save_audio_path",
               "Could not create --save-audio file '" + partial_path + "': " + sf_strerror(nullptr),
               "Pass --save-audio a file path in an existing, writable folder."};
    return nullptr;
  }
  sf_command(file, SFC_SET_UPDATE_HEADER_AUTO, nullptr, SF_TRUE);
  return std::make_unique<SndfileWavWriter>(path, file);
}

}  // namespace streaming
