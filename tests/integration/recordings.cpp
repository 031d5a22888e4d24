#include "recordings.hpp"

#include <cstdint>
#include <fstream>
#include <regex>

#include "harness.hpp"

namespace aai::testing {
namespace {

uint32_t little_endian_u32(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<size_t>(i)]);
  }
  return value;
}

}  // namespace

std::map<std::string, std::string> librivox_references() {
  // Lines look like "<s> he was not an ill disposed young man </s> (sense_..._64kb-0880)".
  std::map<std::string, std::string> references;
  std::ifstream in(kLibriVox / "transcription");
  std::string line;
  std::regex pattern(R"(<s>\s*(.*?)\s*</s>\s*\((\S+)\))");
  while (std::getline(in, line)) {
    std::smatch match;
    if (std::regex_search(line, match, pattern)) {
      references[match[2].str()] = match[1].str();
    }
  }
  return references;
}

std::string wav_samples(const std::filesystem::path& wav) {
  std::string bytes = read_text(wav);
  size_t at = 12;
  while (at + 8 <= bytes.size()) {
    uint32_t size = little_endian_u32(bytes, at + 4);
    if (bytes.compare(at, 4, "data") == 0) {
      return bytes.substr(at + 8, size);
    }
    at += 8 + size + (size % 2);
  }
  return {};
}

}  // namespace aai::testing
