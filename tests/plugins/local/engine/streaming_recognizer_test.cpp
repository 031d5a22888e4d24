// The streaming recogniser on the LibriVox clips of pocketsphinx-testdata, fed in 100 ms pieces.
#include "aai_local/streaming_recognizer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "aai_local/wer.hpp"
#include "audio_fixtures.hpp"

namespace aai::local {
namespace {

// The batch recogniser's bounds (recognizer_accuracy_test.cpp) plus room for the shorter
// utterances that turns make, because pocketsphinx loses language-model context at each cut.
constexpr double kMaxClipWer = 0.55;
constexpr double kMaxOverallWer = 0.40;
constexpr size_t kPieceSamples = 1600;  // 100 ms, what the aai client sends.

struct StreamResult {
  std::vector<TurnUpdate> turns;
  size_t partials = 0;
  double cpu_seconds = 0.0;
};

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

StreamResult stream(StreamingRecognizer& recognizer, const std::vector<int16_t>& samples) {
  StreamResult result;
  const double cpu_start = thread_cpu_seconds();
  for (size_t offset = 0; offset < samples.size(); offset += kPieceSamples) {
    const size_t count = std::min(kPieceSamples, samples.size() - offset);
    for (TurnUpdate& turn : recognizer.feed(samples.data() + offset, count)) {
      result.turns.push_back(std::move(turn));
    }
    // A partial every 300 ms, as the emulator sends them.
    if ((offset / kPieceSamples) % 3 == 0 && recognizer.partial()) {
      ++result.partials;
    }
  }
  for (TurnUpdate& turn : recognizer.end_turn()) {
    result.turns.push_back(std::move(turn));
  }
  result.cpu_seconds = thread_cpu_seconds() - cpu_start;
  return result;
}

std::string join_turns(const std::vector<TurnUpdate>& turns) {
  std::string text;
  for (const TurnUpdate& turn : turns) {
    for (const RecognizedWord& word : turn.words) {
      text += word.text + ' ';
    }
  }
  return text;
}

TEST(StreamingRecognizerTest, TranscribesLibrivoxClipsTurnByTurn) {
  size_t edits = 0;
  size_t reference_words = 0;
  double audio_seconds = 0.0;
  double cpu_seconds = 0.0;
  size_t partials = 0;
  for (const auto& clip : test::load_librivox_clips()) {
    StreamingRecognizer recognizer(TurnSettings{});
    const std::vector<int16_t> samples = test::read_pcm16(clip.wav);
    const StreamResult result = stream(recognizer, samples);
    const std::string text = join_turns(result.turns);
    EXPECT_LE(word_error_rate(clip.reference, text), kMaxClipWer) << clip.id << ": " << text;
    EXPECT_FALSE(result.turns.empty()) << clip.id;
    partials += result.partials;
    int64_t previous_end_ms = 0;
    for (const TurnUpdate& turn : result.turns) {
      EXPECT_TRUE(turn.end_of_turn) << clip.id;
      for (const RecognizedWord& word : turn.words) {
        EXPECT_GE(word.start_ms, previous_end_ms) << clip.id << ": " << word.text;
        EXPECT_LT(word.start_ms, word.end_ms) << clip.id << ": " << word.text;
        previous_end_ms = word.end_ms;
      }
    }
    EXPECT_NEAR(recognizer.audio_seconds(), samples.size() / 16000.0, 1e-9) << clip.id;
    const auto reference = normalize_words(clip.reference);
    edits += word_edit_distance(reference, normalize_words(text));
    reference_words += reference.size();
    audio_seconds += recognizer.audio_seconds();
    cpu_seconds += result.cpu_seconds;
  }
  ASSERT_GT(reference_words, 0u);
  EXPECT_GT(partials, 0u);
  EXPECT_LE(static_cast<double>(edits) / reference_words, kMaxOverallWer);
  std::cout << "streaming WER " << static_cast<double>(edits) / reference_words
            << ", CPU per audio second " << cpu_seconds / audio_seconds << "\n";
}

std::vector<int16_t> tone(double seconds, double amplitude) {
  std::vector<int16_t> samples(static_cast<size_t>(seconds * 16000));
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<int16_t>(amplitude * std::sin(2.0 * M_PI * 300.0 * i / 16000.0));
  }
  return samples;
}

TEST(StreamingRecognizerTest, SilenceGivesNoTurn) {
  StreamingRecognizer recognizer(TurnSettings{});
  const std::vector<int16_t> quiet = tone(5.0, 20.0);
  EXPECT_TRUE(recognizer.feed(quiet.data(), quiet.size()).empty());
  EXPECT_FALSE(recognizer.partial().has_value());
  EXPECT_TRUE(recognizer.end_turn().empty());
}

TEST(StreamingRecognizerTest, EndsTurnAfterMaxSilence) {
  TurnSettings settings;
  settings.end_of_turn_confidence_threshold = 1.0;
  settings.max_turn_silence_ms = 800;
  StreamingRecognizer recognizer(settings);
  std::vector<int16_t> audio = tone(3.5, 20.0);
  const std::vector<int16_t> loud = tone(1.0, 8000.0);
  audio.insert(audio.end(), loud.begin(), loud.end());
  const std::vector<int16_t> pause = tone(0.7, 20.0);
  audio.insert(audio.end(), pause.begin(), pause.end());
  EXPECT_TRUE(recognizer.feed(audio.data(), audio.size()).empty());
  EXPECT_TRUE(recognizer.partial().has_value());

  const std::vector<int16_t> more_pause = tone(0.2, 20.0);
  const auto ended = recognizer.feed(more_pause.data(), more_pause.size());
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_TRUE(ended[0].end_of_turn);
  EXPECT_DOUBLE_EQ(ended[0].end_of_turn_confidence, 1.0);
  EXPECT_FALSE(recognizer.partial().has_value());
}

TEST(StreamingRecognizerTest, EndTurnClosesOpenTurn) {
  StreamingRecognizer recognizer(TurnSettings{});
  std::vector<int16_t> audio = tone(3.5, 20.0);
  const std::vector<int16_t> loud = tone(1.0, 8000.0);
  audio.insert(audio.end(), loud.begin(), loud.end());
  EXPECT_TRUE(recognizer.feed(audio.data(), audio.size()).empty());

  const auto ended = recognizer.end_turn();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_DOUBLE_EQ(ended[0].end_of_turn_confidence, 1.0);
  EXPECT_TRUE(recognizer.end_turn().empty());
}

}  // namespace
}  // namespace aai::local
