// SRT and WebVTT subtitles built from a transcript's words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/text_layout.hpp"

namespace aai::local {

struct Caption {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string text;
};

/// Groups words into captions: one per sentence, and with `chars_per_caption` a sentence is
/// split further so that no caption's text is longer, unless a single word already is.
std::vector<Caption> build_captions(const std::vector<Word>& words,
                                    std::optional<int64_t> chars_per_caption);

/// Formats milliseconds as HH:MM:SS followed by `separator` and three digits of milliseconds
/// ("00:01:02,345" for SRT with ',', "00:01:02.345" for WebVTT with '.').
std::string format_timestamp(int64_t ms, char separator);

std::string render_srt(const std::vector<Caption>& captions);
std::string render_vtt(const std::vector<Caption>& captions);

}  // namespace aai::local
