#include "server/captions.hpp"

#include <cstdio>

namespace aai::local {

namespace {

void append_word(Caption& caption, const Word& word) {
  if (caption.text.empty()) {
    caption.start_ms = word.start_ms;
  } else {
    caption.text += ' ';
  }
  caption.text += word.text;
  caption.end_ms = word.end_ms;
}

}  // namespace

std::vector<Caption> build_captions(const std::vector<Word>& words,
                                    std::optional<int64_t> chars_per_caption) {
  std::vector<Caption> captions;
  for (const auto& sentence : split_on_pauses(words, kSentencePauseMs)) {
    Caption caption;
    for (const Word& word : sentence) {
      size_t length_with_word = caption.text.size() + 1 + word.text.size();
      bool overflows = chars_per_caption && !caption.text.empty() &&
                       static_cast<int64_t>(length_with_word) > *chars_per_caption;
      if (overflows) {
        captions.push_back(std::move(caption));
        caption = Caption{};
      }
      append_word(caption, word);
    }
    captions.push_back(std::move(caption));
  }
  return captions;
}

std::string format_timestamp(int64_t ms, char separator) {
  ms = ms < 0 ? 0 : ms;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld%c%03lld",
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60), separator,
                static_cast<long long>(ms % 1000));
  return buffer;
}

std::string render_srt(const std::vector<Caption>& captions) {
  std::string srt;
  for (size_t i = 0; i < captions.size(); ++i) {
    srt += std::to_string(i + 1) + "\n";
    srt += format_timestamp(captions[i].start_ms, ',') + " --> " +
           format_timestamp(captions[i].end_ms, ',') + "\n";
    srt += captions[i].text + "\n\n";
  }
  return srt;
}

std::string render_vtt(const std::vector<Caption>& captions) {
  std::string vtt = "WEBVTT\n\n";
  for (const Caption& caption : captions) {
    vtt += format_timestamp(caption.start_ms, '.') + " --> " +
           format_timestamp(caption.end_ms, '.') + "\n";
    vtt += caption.text + "\n\n";
  }
  return vtt;
}

}  // namespace aai::local
