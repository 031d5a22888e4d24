#include "segment_words.hpp"

#include <algorithm>
#include <string>
#include <string_view>

namespace aai::local {
namespace {

constexpr int64_t kMsPerFrame = 10;

// Fillers and markers in the en-us dictionary: <s>, </s>, <sil>, [NOISE], [SPEECH] and the like.
bool is_filler(std::string_view word) {
  return word.empty() || word.front() == '<' || word.front() == '[' || word.starts_with("++");
}

// The dictionary lists alternate pronunciations as `word(2)`, `word(3)`.
std::string strip_pronunciation_suffix(std::string_view word) {
  const size_t open = word.rfind('(');
  if (open != std::string_view::npos && open > 0 && word.back() == ')') {
    word = word.substr(0, open);
  }
  return std::string(word);
}

}  // namespace

void append_hypothesis_words(ps_decoder_t* decoder, std::vector<RecognizedWord>& words) {
  logmath_t* logmath = ps_get_logmath(decoder);
  for (ps_seg_t* segment = ps_seg_iter(decoder); segment != nullptr;
       segment = ps_seg_next(segment)) {
    const std::string_view word = ps_seg_word(segment);
    if (is_filler(word)) {
      continue;
    }
    int start_frame = 0;
    int end_frame = 0;
    ps_seg_frames(segment, &start_frame, &end_frame);
    int32_t acoustic = 0;
    int32_t language = 0;
    int32_t backoff = 0;
    const double posterior =
        logmath_exp(logmath, ps_seg_prob(segment, &acoustic, &language, &backoff));
    words.push_back(RecognizedWord{
        .text = strip_pronunciation_suffix(word),
        .start_ms = start_frame * kMsPerFrame,
        .end_ms = (end_frame + 1) * kMsPerFrame,
        .confidence = std::clamp(posterior, 0.0, 1.0),
    });
  }
}

}  // namespace aai::local
