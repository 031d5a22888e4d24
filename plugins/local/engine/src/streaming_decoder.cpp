#include "streaming_decoder.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "cepstral_mean.hpp"
#include "segment_words.hpp"

namespace aai::local {
namespace {

// Ten seconds at 16 kHz: long enough for a stable mean, short enough to hold in memory.
constexpr size_t kCepstralMeanSamples = 10 * 16000;

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
  append_hypothesis_words(decoder_, words_);
}

}  // namespace aai::local
