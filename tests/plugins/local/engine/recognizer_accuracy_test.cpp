// Accuracy and timing of the recogniser on the LibriVox clips of pocketsphinx-testdata.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "aai_local/recognizer.hpp"
#include "aai_local/wer.hpp"
#include "audio_fixtures.hpp"

namespace aai::local {
namespace {

// Measured with Debian 12's en-us model and pocketsphinx 5prealpha: per clip 0.13 to 0.38,
// overall 0.28 (plain pocketsphinx with the model's fixed initial cepstral mean: 0.34). The
// bounds leave room for small decoder or resampler differences.
constexpr double kMaxClipWer = 0.50;
constexpr double kMaxOverallWer = 0.36;
// A resampled or lossy copy may differ by a word or two from the original.
constexpr double kMaxOverallWerIncrease = 0.06;

std::string join_words(const Recognition& recognition) {
  std::string text;
  for (const RecognizedWord& word : recognition.words) {
    text += word.text + ' ';
  }
  return text;
}

struct WerTally {
  size_t edits = 0;
  size_t reference_words = 0;

  double add(const std::string& reference, const Recognition& recognition) {
    const auto reference_list = normalize_words(reference);
    const auto hypothesis_list = normalize_words(join_words(recognition));
    edits += word_edit_distance(reference_list, hypothesis_list);
    reference_words += reference_list.size();
    return word_error_rate(reference, join_words(recognition));
  }

  double overall() const { return static_cast<double>(edits) / reference_words; }
};

void expect_well_formed(const Recognition& recognition, const std::string& id) {
  const auto duration_ms = static_cast<int64_t>(recognition.audio_duration_seconds * 1000.0 + 0.5);
  int64_t previous_end_ms = 0;
  for (const RecognizedWord& word : recognition.words) {
    EXPECT_FALSE(word.text.empty()) << id;
    EXPECT_EQ(word.text.find('('), std::string::npos) << id << ": " << word.text;
    EXPECT_NE(word.text.front(), '<') << id << ": " << word.text;
    EXPECT_NE(word.text.front(), '[') << id << ": " << word.text;
    EXPECT_GE(word.start_ms, previous_end_ms) << id << ": " << word.text;
    EXPECT_LT(word.start_ms, word.end_ms) << id << ": " << word.text;
    EXPECT_LE(word.end_ms, duration_ms) << id << ": " << word.text;
    EXPECT_GE(word.confidence, 0.0) << id << ": " << word.text;
    EXPECT_LE(word.confidence, 1.0) << id << ": " << word.text;
    previous_end_ms = word.end_ms;
  }
}

class RecognizerAccuracyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    recognizer_ = std::make_unique<Recognizer>();
    clips_ = test::load_librivox_clips();
  }
  static void TearDownTestSuite() { recognizer_.reset(); }

  // Writes every clip in `format` at `sample_rate` and returns the overall WER of the copies.
  static double overall_wer_of_copies(int sample_rate, int channels, int format,
                                      const std::string& extension) {
    test::ScratchDir scratch;
    WerTally tally;
    for (const auto& clip : clips_) {
      const auto copy = scratch.path() / (clip.id + extension);
      test::write_audio(copy, test::read_pcm16(clip.wav), sample_rate, channels, format);
      const Recognition recognition = recognizer_->recognize_file(copy);
      expect_well_formed(recognition, clip.id + extension);
      tally.add(clip.reference, recognition);
    }
    return tally.overall();
  }

  // Computed once: every format test compares against it.
  static double overall_wer_of_originals() {
    static const double overall = [] {
      WerTally tally;
      for (const auto& clip : clips_) {
        tally.add(clip.reference, recognizer_->recognize_file(clip.wav));
      }
      return tally.overall();
    }();
    return overall;
  }

  static inline std::unique_ptr<Recognizer> recognizer_;
  static inline std::vector<test::LibrivoxClip> clips_;
};

TEST_F(RecognizerAccuracyTest, FindsFiveClips) {
  ASSERT_EQ(clips_.size(), 5u);
}

TEST_F(RecognizerAccuracyTest, StaysWithinWerBoundOnEachClip) {
  WerTally tally;
  double audio_seconds = 0.0;
  const auto started = std::chrono::steady_clock::now();
  const std::clock_t cpu_started = std::clock();
  for (const auto& clip : clips_) {
    const Recognition recognition = recognizer_->recognize_file(clip.wav);
    const double wer = tally.add(clip.reference, recognition);
    audio_seconds += recognition.audio_duration_seconds;
    std::cout << clip.id << " WER " << wer << ": " << join_words(recognition) << '\n';
    EXPECT_LE(wer, kMaxClipWer) << clip.id << " recognised as: " << join_words(recognition);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
  std::cout << "overall WER " << tally.overall() << ", real-time factor "
            << elapsed.count() / audio_seconds << " wall, " << cpu_seconds / audio_seconds
            << " CPU\n";
  EXPECT_LE(tally.overall(), kMaxOverallWer);
}

TEST_F(RecognizerAccuracyTest, ReturnsOrderedWordTimesWithinDuration) {
  for (const auto& clip : clips_) {
    const Recognition recognition = recognizer_->recognize_file(clip.wav);
    const auto samples = test::read_pcm16(clip.wav);

    EXPECT_DOUBLE_EQ(recognition.audio_duration_seconds, samples.size() / 16000.0) << clip.id;
    ASSERT_FALSE(recognition.words.empty()) << clip.id;
    expect_well_formed(recognition, clip.id);
  }
}

TEST_F(RecognizerAccuracyTest, GivesSameWordsForPcmAndWav) {
  const auto& clip = clips_.front();
  const auto samples = test::read_pcm16(clip.wav);

  const Recognition from_file = recognizer_->recognize_file(clip.wav);
  const Recognition from_pcm = recognizer_->recognize_pcm(samples.data(), samples.size());

  EXPECT_EQ(join_words(from_pcm), join_words(from_file));
  EXPECT_DOUBLE_EQ(from_pcm.audio_duration_seconds, from_file.audio_duration_seconds);
}

TEST_F(RecognizerAccuracyTest, RepeatsResultAfterOtherAudio) {
  const auto& clip = clips_.front();

  const Recognition first = recognizer_->recognize_file(clip.wav);
  recognizer_->recognize_file(clips_.back().wav);
  const Recognition again = recognizer_->recognize_file(clip.wav);

  ASSERT_EQ(again.words.size(), first.words.size());
  for (size_t i = 0; i < first.words.size(); ++i) {
    EXPECT_EQ(again.words[i].text, first.words[i].text) << i;
    EXPECT_EQ(again.words[i].start_ms, first.words[i].start_ms) << i;
    EXPECT_EQ(again.words[i].end_ms, first.words[i].end_ms) << i;
    // Confidences are not compared: pocketsphinx keeps search state between utterances that
    // resetting the cepstral mean does not clear, and a word's posterior can move by 0.1 after
    // other audio even though the words and their times stay the same.
    EXPECT_GE(again.words[i].confidence, 0.0) << i;
    EXPECT_LE(again.words[i].confidence, 1.0) << i;
  }
}

TEST_F(RecognizerAccuracyTest, KeepsWerOnStereoFlacAt44100Hz) {
  const double original = overall_wer_of_originals();
  const double copy = overall_wer_of_copies(44100, 2, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, ".flac");
  std::cout << "FLAC 44.1 kHz stereo WER " << copy << " (original " << original << ")\n";
  EXPECT_LE(copy, original + kMaxOverallWerIncrease);
}

TEST_F(RecognizerAccuracyTest, KeepsWerOnOggVorbisAt48000Hz) {
  const double original = overall_wer_of_originals();
  const double copy = overall_wer_of_copies(48000, 2, SF_FORMAT_OGG | SF_FORMAT_VORBIS, ".ogg");
  std::cout << "Ogg Vorbis 48 kHz stereo WER " << copy << " (original " << original << ")\n";
  EXPECT_LE(copy, original + kMaxOverallWerIncrease);
}

TEST_F(RecognizerAccuracyTest, KeepsWerOnWavAt22050Hz) {
  const double original = overall_wer_of_originals();
  const double copy = overall_wer_of_copies(22050, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, ".wav");
  std::cout << "WAV 22.05 kHz mono WER " << copy << " (original " << original << ")\n";
  EXPECT_LE(copy, original + kMaxOverallWerIncrease);
}

TEST_F(RecognizerAccuracyTest, KeepsWerOnMp3At44100Hz) {
  const double original = overall_wer_of_originals();
  const double copy =
      overall_wer_of_copies(44100, 2, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, ".mp3");
  std::cout << "MP3 44.1 kHz stereo WER " << copy << " (original " << original << ")\n";
  EXPECT_LE(copy, original + kMaxOverallWerIncrease);
}

// 8 kHz audio has no content above 4 kHz, which the 16 kHz model expects, so it is allowed a
// wider margin than the other rates.
TEST_F(RecognizerAccuracyTest, DecodesTelephoneRateWav) {
  const double copy = overall_wer_of_copies(8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, ".wav");
  std::cout << "WAV 8 kHz mono WER " << copy << '\n';
  EXPECT_LE(copy, 0.5);
}

TEST_F(RecognizerAccuracyTest, ReportsDurationOfResampledFile) {
  test::ScratchDir scratch;
  const auto& clip = clips_.front();
  const auto samples = test::read_pcm16(clip.wav);
  const auto copy = scratch.path() / "clip.flac";
  test::write_audio(copy, samples, 44100, 2, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);

  const Recognition recognition = recognizer_->recognize_file(copy);

  EXPECT_NEAR(recognition.audio_duration_seconds, samples.size() / 16000.0, 0.001);
}

// The clips joined into one stream of about 25 s, which the decoder cuts at pauses into several
// utterances. Word times must stay absolute across the cuts. Measured WER: 0.27.
TEST_F(RecognizerAccuracyTest, KeepsAbsoluteTimesAcrossUtterances) {
  std::vector<int16_t> joined;
  std::string reference;
  std::vector<double> clip_starts_seconds;
  for (const auto& clip : clips_) {
    clip_starts_seconds.push_back(joined.size() / 16000.0);
    const auto samples = test::read_pcm16(clip.wav);
    joined.insert(joined.end(), samples.begin(), samples.end());
    reference += clip.reference + ' ';
  }

  const Recognition recognition = recognizer_->recognize_pcm(joined.data(), joined.size());

  const double wer = word_error_rate(reference, join_words(recognition));
  std::cout << "joined clips WER " << wer << '\n';
  EXPECT_LE(wer, kMaxOverallWer);
  expect_well_formed(recognition, "joined clips");
  ASSERT_FALSE(recognition.words.empty());
  EXPECT_GE(recognition.words.back().start_ms / 1000.0, clip_starts_seconds.back());
  EXPECT_EQ(recognition.words.back().text, "himself");
}

}  // namespace
}  // namespace aai::local
