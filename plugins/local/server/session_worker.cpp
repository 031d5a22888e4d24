#include "server/session_worker.hpp"

#include <exception>
#include <optional>
#include <utility>

#include "server/audio_converter.hpp"
#include "server/turn_messages.hpp"

namespace aai::local {
namespace {

// Partials go out at most this often per session, and only when their words changed.
constexpr std::chrono::milliseconds kPartialInterval{300};
// In a partial, words that end within this much of the audio received may still change.
constexpr int64_t kUnstableTailMs = 500;

std::string joined_text(const TurnUpdate& turn) {
  std::string text;
  for (const RecognizedWord& word : turn.words) {
    text += word.text + ' ';
  }
  return text;
}

}  // namespace

SessionWorker::SessionWorker(const StreamingParams& params, SessionWorkerEvents events)
    : params_(params), events_(std::move(events)), thread_([this] { run(); }) {}

SessionWorker::~SessionWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void SessionWorker::add_audio(std::string frame) {
  push(Audio{std::move(frame)});
}

void SessionWorker::force_endpoint() {
  push(ForceEndpoint{});
}

void SessionWorker::update_turn_settings(const TurnSettings& settings) {
  push(settings);
}

void SessionWorker::finish() {
  push(Finish{});
}

void SessionWorker::push(Command command) {
  {
    std::lock_guard lock(mutex_);
    commands_.push_back(std::move(command));
  }
  wake_.notify_one();
}

void SessionWorker::run() {
  try {
    // The model loads here, not on the Asio thread; audio queues up meanwhile.
    StreamingRecognizer recognizer(params_.turn_settings);
    run_commands(recognizer);
  } catch (const std::exception& error) {
    events_.failed(error.what());
  }
}

void SessionWorker::run_commands(StreamingRecognizer& recognizer) {
  AudioConverter converter(params_.sample_rate, params_.mulaw);
  std::vector<int16_t> samples;
  for (;;) {
    Command command;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !commands_.empty(); });
      if (stopping_) {
        return;
      }
      command = std::move(commands_.front());
      commands_.pop_front();
    }
    if (auto* audio = std::get_if<Audio>(&command)) {
      converter.convert(audio->frame, samples);
      send_turns(recognizer.feed(samples.data(), samples.size()));
      send_partial(recognizer);
    } else if (std::holds_alternative<ForceEndpoint>(command)) {
      send_turns(recognizer.end_turn());
    } else if (auto* settings = std::get_if<TurnSettings>(&command)) {
      recognizer.set_turn_settings(*settings);
    } else {
      converter.flush(samples);
      send_turns(recognizer.feed(samples.data(), samples.size()));
      send_turns(recognizer.end_turn());
      events_.finished();
      return;
    }
  }
}

void SessionWorker::send_turns(std::vector<TurnUpdate> turns) {
  const std::optional<std::string> speaker =
      params_.speaker_labels ? std::optional<std::string>("A") : std::nullopt;
  for (const TurnUpdate& turn : turns) {
    if (turn.words.empty() && !partial_sent_) {
      continue;
    }
    // The emulator does not diarize: with speaker_labels every turn is speaker A.
    events_.send(turn_message(turn_order_, turn, false, 0, speaker));
    if (params_.format_turns) {
      events_.send(turn_message(turn_order_, turn, true, 0, speaker));
    }
    ++turn_order_;
    partial_sent_ = false;
    last_partial_text_.clear();
  }
}

void SessionWorker::send_partial(StreamingRecognizer& recognizer) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_partial_at_ < kPartialInterval) {
    return;
  }
  std::optional<TurnUpdate> partial = recognizer.partial();
  if (!partial || partial->words.empty()) {
    return;
  }
  std::string text = joined_text(*partial);
  if (text == last_partial_text_) {
    return;
  }
  last_partial_at_ = now;
  last_partial_text_ = std::move(text);
  partial_sent_ = true;
  const auto received_ms = static_cast<int64_t>(recognizer.audio_seconds() * 1000.0);
  const std::optional<std::string> speaker =
      params_.speaker_labels ? std::optional<std::string>("A") : std::nullopt;
  events_.send(turn_message(turn_order_, *partial, false, received_ms - kUnstableTailMs, speaker));
}

}  // namespace aai::local
