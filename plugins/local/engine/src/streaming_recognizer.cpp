#include "aai_local/streaming_recognizer.hpp"

#include <pocketsphinx.h>

#include <stdexcept>
#include <utility>

#include "cepstral_mean.hpp"
#include "model_loader.hpp"
#include "segment_words.hpp"
#include "turn_detector.hpp"

namespace aai::local {
namespace {

// Three seconds at 16 kHz set the starting cepstral mean. Less made the first words of the
// LibriVox clips wrong more often, and more delays the first partial.
constexpr size_t kOpeningSamples = 3 * 16000;
constexpr size_t kFrame = TurnDetector::kFrameSamples;

void check(int status, const char* what) {
  if (status < 0) {
    throw std::runtime_error(std::string("pocketsphinx failed to ") + what + ".");
  }
}

}  // namespace

struct StreamingRecognizer::Impl {
  ps_decoder_t* decoder = nullptr;
  TurnDetector detector;
  std::vector<int16_t> opening;
  // Samples short of a whole 10 ms frame, held so every turn ends on a frame boundary.
  std::vector<int16_t> partial_frame;
  bool started = false;
  size_t samples_fed = 0;

  explicit Impl(const TurnSettings& settings) : detector(settings) {}
  ~Impl() {
    if (started) {
      ps_end_utt(decoder);
    }
    ps_free(decoder);
  }

  void start(std::vector<TurnUpdate>& ended) {
    set_cepstral_mean_from(decoder, opening.data(), opening.size());
    check(ps_start_stream(decoder), "start a stream");
    check(ps_start_utt(decoder), "start an utterance");
    started = true;
    std::vector<int16_t> held = std::move(opening);
    opening = {};
    feed_frames(held.data(), held.size(), ended);
  }

  void feed_frames(const int16_t* samples, size_t count, std::vector<TurnUpdate>& ended) {
    if (!partial_frame.empty()) {
      const size_t taken = std::min(count, kFrame - partial_frame.size());
      partial_frame.insert(partial_frame.end(), samples, samples + taken);
      samples += taken;
      count -= taken;
      if (partial_frame.size() < kFrame) {
        return;
      }
      std::vector<int16_t> whole = std::move(partial_frame);
      partial_frame.clear();
      process(whole.data(), kFrame, ended);
    }
    const size_t whole_count = count - count % kFrame;
    process(samples, whole_count, ended);
    partial_frame.assign(samples + whole_count, samples + count);
  }

  // Passes whole frames to pocketsphinx in one call per stretch between detector decisions.
  void process(const int16_t* samples, size_t count, std::vector<TurnUpdate>& ended) {
    size_t batch_start = 0;
    for (size_t offset = 0; offset < count; offset += kFrame) {
      const TurnDetector::Decision decision = detector.add_frame(samples + offset, kFrame);
      const size_t batch_end = offset + kFrame;
      if (decision == TurnDetector::Decision::kContinue && batch_end < count) {
        continue;
      }
      check(ps_process_raw(decoder, samples + batch_start, batch_end - batch_start, 0, 0),
            "process audio");
      batch_start = batch_end;
      if (decision == TurnDetector::Decision::kEndTurn) {
        ended.push_back(finish_turn(detector.end_of_turn_confidence()));
      } else if (decision == TurnDetector::Decision::kRestartUtterance) {
        restart_utterance();
      }
    }
  }

  TurnUpdate finish_turn(double confidence) {
    check(ps_end_utt(decoder), "end an utterance");
    TurnUpdate turn{{}, true, confidence};
    append_hypothesis_words(decoder, turn.words);
    check(ps_start_utt(decoder), "start an utterance");
    detector.reset();
    return turn;
  }

  void restart_utterance() {
    check(ps_end_utt(decoder), "end an utterance");
    check(ps_start_utt(decoder), "start an utterance");
  }
};

StreamingRecognizer::StreamingRecognizer(TurnSettings settings, std::filesystem::path model_dir)
    : impl_(std::make_unique<Impl>(settings)) {
  impl_->decoder = load_decoder(model_dir, DecoderSearch::kLive);
  impl_->opening.reserve(kOpeningSamples);
}

StreamingRecognizer::~StreamingRecognizer() = default;
StreamingRecognizer::StreamingRecognizer(StreamingRecognizer&& other) noexcept = default;
StreamingRecognizer& StreamingRecognizer::operator=(StreamingRecognizer&& other) noexcept = default;

void StreamingRecognizer::set_turn_settings(const TurnSettings& settings) {
  impl_->detector.set_settings(settings);
}

std::vector<TurnUpdate> StreamingRecognizer::feed(const int16_t* samples, size_t count) {
  std::vector<TurnUpdate> ended;
  impl_->samples_fed += count;
  if (impl_->started) {
    impl_->feed_frames(samples, count, ended);
    return ended;
  }
  impl_->opening.insert(impl_->opening.end(), samples, samples + count);
  if (impl_->opening.size() >= kOpeningSamples) {
    impl_->start(ended);
  }
  return ended;
}

std::optional<TurnUpdate> StreamingRecognizer::partial() {
  if (!impl_->started || !impl_->detector.in_turn()) {
    return std::nullopt;
  }
  TurnUpdate turn{{}, false, impl_->detector.end_of_turn_confidence()};
  append_hypothesis_words(impl_->decoder, turn.words);
  return turn;
}

std::vector<TurnUpdate> StreamingRecognizer::end_turn() {
  std::vector<TurnUpdate> ended;
  if (!impl_->started) {
    if (impl_->opening.empty()) {
      return ended;
    }
    impl_->start(ended);
  }
  if (impl_->detector.in_turn()) {
    ended.push_back(impl_->finish_turn(1.0));
  }
  return ended;
}

double StreamingRecognizer::audio_seconds() const {
  return static_cast<double>(impl_->samples_fed) / 16000.0;
}

}  // namespace aai::local
