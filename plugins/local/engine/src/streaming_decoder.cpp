#include "streaming_decoder.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "cepstral_mean.hpp"

namespace aai::local {
namespace {

constexpr int64_t kMsPerFrame = 10;
// Ten seconds at 16 kHz: long enough for a stable mean, short enough to hold in memory.
constexpr size_t kCepstralMeanSamples = 10 * 16000;

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

StreamingDecoder::StreamingDecoder(ps_decoder_t* decoder) : decoder_(decoder) {
  partial_frame_.reserve(UtteranceSplitter::kFrameSamples);
}

StreamingDecoder::~StreamingDecoder() {
  if (in_utterance_) {
    ps_end_utt(decoder_);
  }
}

void StreamingDecoder::feed(const int16_t* samples, size_t count) {
  if (started_) {
    feed_frames(samples, count);
    return;
  }
  opening_.insert(opening_.end(), samples, samples + count);
  if (opening_.size() >= kCepstralMeanSamples) {
    start_decoding();
  }
}

void StreamingDecoder::start_decoding() {
  set_cepstral_mean_from(decoder_, opening_.data(), opening_.size());
  // pocketsphinx numbers frames from the start of the stream, not of the utterance, so each
  // recognition starts a new stream to count its word times from zero.
  if (ps_start_stream(decoder_) < 0) {
    throw std::runtime_error("pocketsphinx failed to start a stream.");
  }
  started_ = true;
  start_utterance();
  feed_frames(opening_.data(), opening_.size());
  opening_.clear();
  opening_.shrink_to_fit();
}

void StreamingDecoder::feed_frames(const int16_t* samples, size_t count) {
  constexpr size_t kFrame = UtteranceSplitter::kFrameSamples;
  if (!partial_frame_.empty()) {
    const size_t taken = std::min(count, kFrame - partial_frame_.size());
    partial_frame_.insert(partial_frame_.end(), samples, samples + taken);
    samples += taken;
    count -= taken;
    if (partial_frame_.size() < kFrame) {
      return;
    }
    process(partial_frame_.data(), kFrame);
    partial_frame_.clear();
  }
  const size_t whole = count - count % kFrame;
  process(samples, whole);
  partial_frame_.assign(samples + whole, samples + count);
}

std::vector<RecognizedWord> StreamingDecoder::finish() {
  if (!started_) {
    start_decoding();
  }
  if (!partial_frame_.empty()) {
    if (ps_process_raw(decoder_, partial_frame_.data(), partial_frame_.size(), 0, 0) < 0) {
      throw std::runtime_error("pocketsphinx failed to process audio.");
    }
    partial_frame_.clear();
  }
  end_utterance();
  return std::move(words_);
}

// Passes whole frames to pocketsphinx, ending the utterance wherever the splitter finds a pause.
void StreamingDecoder::process(const int16_t* samples, size_t count) {
  constexpr size_t kFrame = UtteranceSplitter::kFrameSamples;
  size_t batch_start = 0;
  for (size_t offset = 0; offset < count; offset += kFrame) {
    const bool split = splitter_.end_after_frame(samples + offset, kFrame);
    const size_t batch_end = offset + kFrame;
    if (!split && batch_end < count) {
      continue;
    }
    const size_t batch = batch_end - batch_start;
    if (ps_process_raw(decoder_, samples + batch_start, batch, 0, 0) < 0) {
      throw std::runtime_error("pocketsphinx failed to process audio.");
    }
    batch_start = batch_end;
    if (split) {
      end_utterance();
      start_utterance();
    }
  }
}

void StreamingDecoder::start_utterance() {
  if (ps_start_utt(decoder_) < 0) {
    throw std::runtime_error("pocketsphinx failed to start an utterance.");
  }
  in_utterance_ = true;
}

void StreamingDecoder::end_utterance() {
  in_utterance_ = false;
  if (ps_end_utt(decoder_) < 0) {
    throw std::runtime_error("pocketsphinx failed to end an utterance.");
  }
  collect_words();
}

void StreamingDecoder::collect_words() {
  logmath_t* logmath = ps_get_logmath(decoder_);
  for (ps_seg_t* segment = ps_seg_iter(decoder_); segment != nullptr;
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
    words_.push_back(RecognizedWord{
        .text = strip_pronunciation_suffix(word),
        .start_ms = start_frame * kMsPerFrame,
        .end_ms = (end_frame + 1) * kMsPerFrame,
        .confidence = std::clamp(posterior, 0.0, 1.0),
    });
  }
}

}  // namespace aai::local
