// Writes COUNT short WAV recordings cut from the speech in the given 16-bit PCM WAV files, for the
// batch tests and bench/batch.sh. Usage: make_clips OUT_DIR COUNT SECONDS WAV...
//
// Clip i takes SECONDS of audio from input i % inputs, starting one second further in each time
// that input comes round again (wrapping at its end), so that the clips differ in content as well
// as in name.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Wav {
  uint16_t channels = 0;
  uint32_t rate = 0;
  std::string samples;
};

uint32_t read_u32(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}

uint16_t read_u16(const std::string& bytes, size_t at) {
  uint16_t value = 0;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}

// Reads the "fmt " and "data" chunks of a little-endian PCM16 WAV file. Exits on anything else.
Wav read_wav(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  const std::string bytes = content.str();
  if (bytes.size() < 12 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0) {
    std::cerr << "make_clips: " << path << " is not a WAV file.\n";
    std::exit(2);
  }
  Wav wav;
  size_t at = 12;
  while (at + 8 <= bytes.size()) {
    const std::string id = bytes.substr(at, 4);
    const uint32_t size = read_u32(bytes, at + 4);
    if (id == "fmt " && at + 24 <= bytes.size()) {
      wav.channels = read_u16(bytes, at + 10);
      wav.rate = read_u32(bytes, at + 12);
      if (read_u16(bytes, at + 22) != 16) {
        std::cerr << "make_clips: " << path << " is not 16-bit PCM.\n";
        std::exit(2);
      }
    } else if (id == "data") {
      wav.samples = bytes.substr(at + 8, std::min<size_t>(size, bytes.size() - at - 8));
    }
    at += 8 + size + (size % 2);
  }
  if (wav.channels == 0 || wav.samples.empty()) {
    std::cerr << "make_clips: " << path << " has no PCM audio.\n";
    std::exit(2);
  }
  return wav;
}

void put_u32(std::string& out, uint32_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_u16(std::string& out, uint16_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void write_wav(const std::filesystem::path& path, const Wav& format, const std::string& samples) {
  std::string out = "RIFF";
  put_u32(out, static_cast<uint32_t>(36 + samples.size()));
  out += "WAVEfmt ";
  put_u32(out, 16);
  put_u16(out, 1);
  put_u16(out, format.channels);
  put_u32(out, format.rate);
  put_u32(out, format.rate * format.channels * 2);
  put_u16(out, static_cast<uint16_t>(format.channels * 2));
  put_u16(out, 16);
  out += "data";
  put_u32(out, static_cast<uint32_t>(samples.size()));
  out += samples;
  std::ofstream(path, std::ios::binary) << out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "Usage: make_clips OUT_DIR COUNT SECONDS WAV...\n";
    return 2;
  }
  const std::filesystem::path out_dir = argv[1];
  const int count = std::stoi(argv[2]);
  const double seconds = std::stod(argv[3]);
  std::vector<Wav> inputs;
  for (int i = 4; i < argc; ++i) {
    inputs.push_back(read_wav(argv[i]));
  }
  std::filesystem::create_directories(out_dir);
  for (int i = 0; i < count; ++i) {
    const Wav& input = inputs[static_cast<size_t>(i) % inputs.size()];
    const size_t frame = input.channels * 2u;
    const size_t length = static_cast<size_t>(seconds * input.rate) * frame;
    const size_t round = static_cast<size_t>(i) / inputs.size();
    const size_t frames = input.samples.size() / frame;
    std::string samples;
    size_t at = (round * input.rate) % frames * frame;
    while (samples.size() < length) {
      const size_t take = std::min(length - samples.size(), input.samples.size() - at);
      samples.append(input.samples, at, take);
      at = 0;
    }
    char name[32];
    std::snprintf(name, sizeof name, "clip-%05d.wav", i);
    write_wav(out_dir / name, input, samples);
  }
  return 0;
}
