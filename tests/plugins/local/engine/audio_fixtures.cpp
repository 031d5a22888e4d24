#include "audio_fixtures.hpp"

#include <sndfile.h>
#include <soxr.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

namespace aai::local::test {
namespace {

const std::filesystem::path kLibrivoxDir = "/usr/share/pocketsphinx/test/data/librivox";

// A line reads `<s> words ... </s> (clip-id)`.
LibrivoxClip parse_transcription_line(const std::string& line) {
  const size_t open = line.rfind('(');
  const size_t close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    throw std::runtime_error("Unexpected line in the LibriVox transcription: '" + line + "'");
  }
  LibrivoxClip clip;
  clip.id = line.substr(open + 1, close - open - 1);
  clip.wav = kLibrivoxDir / (clip.id + ".wav");
  std::string text = line.substr(0, open);
  for (const std::string marker : {"<s>", "</s>"}) {
    if (const size_t at = text.find(marker); at != std::string::npos) {
      text.erase(at, marker.size());
    }
  }
  clip.reference = text;
  return clip;
}

std::vector<int16_t> resample(const std::vector<int16_t>& samples, int sample_rate) {
  if (sample_rate == 16000) {
    return samples;
  }
  std::vector<int16_t> out(samples.size() * static_cast<size_t>(sample_rate) / 16000 + 1);
  const soxr_io_spec_t io_spec = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
  size_t produced = 0;
  const soxr_error_t error =
      soxr_oneshot(16000, sample_rate, 1, samples.data(), samples.size(), nullptr, out.data(),
                   out.size(), &produced, &io_spec, nullptr, nullptr);
  if (error != nullptr) {
    throw std::runtime_error(std::string("soxr_oneshot failed: ") + error);
  }
  out.resize(produced);
  return out;
}

}  // namespace

std::vector<LibrivoxClip> load_librivox_clips() {
  std::ifstream transcription(kLibrivoxDir / "transcription");
  if (!transcription) {
    throw std::runtime_error("Cannot read " + (kLibrivoxDir / "transcription").string() +
                             "; install the Debian package pocketsphinx-testdata.");
  }
  std::vector<LibrivoxClip> clips;
  for (std::string line; std::getline(transcription, line);) {
    if (!line.empty()) {
      clips.push_back(parse_transcription_line(line));
    }
  }
  return clips;
}

std::vector<int16_t> read_pcm16(const std::filesystem::path& wav) {
  SF_INFO info{};
  SNDFILE* file = sf_open(wav.c_str(), SFM_READ, &info);
  if (file == nullptr || info.samplerate != 16000 || info.channels != 1) {
    sf_close(file);
    throw std::runtime_error("Expected a 16 kHz mono file: " + wav.string());
  }
  std::vector<int16_t> samples(static_cast<size_t>(info.frames));
  samples.resize(static_cast<size_t>(sf_readf_short(file, samples.data(), info.frames)));
  sf_close(file);
  return samples;
}

void write_audio(const std::filesystem::path& path, const std::vector<int16_t>& samples,
                 int sample_rate, int channels, int format) {
  const std::vector<int16_t> resampled = resample(samples, sample_rate);
  // Written as floats: libsndfile 1.2.0's MP3 encoder garbles 16-bit stereo input given to
  // sf_writef_short (the copy decodes to noise), while float input encodes correctly.
  std::vector<float> interleaved;
  interleaved.reserve(resampled.size() * static_cast<size_t>(channels));
  for (const int16_t sample : resampled) {
    interleaved.insert(interleaved.end(), static_cast<size_t>(channels),
                       static_cast<float>(sample) / 32768.0f);
  }
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) {
    throw std::runtime_error("Cannot write " + path.string() + ": " + sf_strerror(nullptr));
  }
  sf_writef_float(file, interleaved.data(), static_cast<sf_count_t>(resampled.size()));
  sf_close(file);
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("aai-engine-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace aai::local::test
