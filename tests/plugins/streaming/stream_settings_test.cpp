#include "stream_settings.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "stream_test_support.hpp"

namespace streaming::testing {
namespace {

using StreamSettingsTest = StreamCommandTest;

TEST_F(StreamSettingsTest, SendsDefaultsWhenNoOptionsGiven) {
  const auto settings = settings_for({});

  ASSERT_TRUE(settings);
  const std::map<std::string, std::string> expected = {
      {"encoding", "pcm_s16le"}, {"format_turns", "true"}, {"speech_model", "universal-3-5-pro"}};
  EXPECT_EQ(settings->query, expected);
  EXPECT_EQ(settings->source_kind, SourceKind::kStdin);
  EXPECT_EQ(settings->output, OutputMode::kText);
}

TEST_F(StreamSettingsTest, AppliesTurnDetectionPresets) {
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> presets = {
      {"aggressive", "0.4", "160", "400"},
      {"balanced", "0.4", "400", "1280"},
      {"conservative", "0.7", "800", "3600"}};
  for (const auto& [preset, confidence, min_silence, max_silence] : presets) {
    const auto settings = settings_for({{"turn-detection", {preset}}});

    ASSERT_TRUE(settings) << preset;
    EXPECT_EQ(settings->query.at("end_of_turn_confidence_threshold"), confidence) << preset;
    EXPECT_EQ(settings->query.at("min_turn_silence"), min_silence) << preset;
    EXPECT_EQ(settings->query.at("max_turn_silence"), max_silence) << preset;
  }
}

TEST_F(StreamSettingsTest, ExplicitFlagOverridesItsPresetSlot) {
  const auto settings =
      settings_for({{"turn-detection", {"conservative"}}, {"min-turn-silence", {"500"}}});

  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->query.at("end_of_turn_confidence_threshold"), "0.7");
  EXPECT_EQ(settings->query.at("min_turn_silence"), "500");
  EXPECT_EQ(settings->query.at("max_turn_silence"), "3600");
}

TEST_F(StreamSettingsTest, MapsEveryFlagToItsParameter) {
  const auto settings = settings_for({{"speech-model", {"whisper-rt"}},
                                      {"encoding", {"pcm_mulaw"}},
                                      {"format-turns", {"false"}},
                                      {"end-of-turn-confidence", {"0.55"}},
                                      {"vad-threshold", {"0.3"}},
                                      {"speaker-labels", {"true"}},
                                      {"max-speakers", {"3"}},
                                      {"inactivity-timeout", {"30"}},
                                      {"language-detection", {"true"}}});

  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->query.at("speech_model"), "whisper-rt");
  EXPECT_EQ(settings->query.at("encoding"), "pcm_mulaw");
  EXPECT_EQ(settings->query.at("format_turns"), "false");
  EXPECT_EQ(settings->query.at("end_of_turn_confidence_threshold"), "0.55");
  EXPECT_EQ(settings->query.at("vad_threshold"), "0.3");
  EXPECT_EQ(settings->query.at("speaker_labels"), "true");
  EXPECT_EQ(settings->query.at("max_speakers"), "3");
  EXPECT_EQ(settings->query.at("inactivity_timeout"), "30");
  EXPECT_EQ(settings->query.at("language_detection"), "true");
  EXPECT_TRUE(settings->mulaw());
  EXPECT_FALSE(settings->format_turns());
  EXPECT_TRUE(settings->speaker_labels());
}

TEST_F(StreamSettingsTest, SendsKeytermsAsJsonArray) {
  const auto settings = settings_for({{"keyterms-prompt", {"AssemblyAI", "Universal \"3\""}}});

  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->query.at("keyterms_prompt"), R"(["AssemblyAI","Universal \"3\""])");
}

TEST_F(StreamSettingsTest, ConfigSetsAllowedKeysAndFlagsWin) {
  const auto settings = settings_for({{"config",
                                       {"domain=medical", "max_speakers=2", "format_turns=False",
                                        "keyterms_prompt=[\"a\",\"b\"]", "sample_rate=8000"}},
                                      {"max-speakers", {"4"}}});

  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->query.at("domain"), "medical");
  EXPECT_EQ(settings->query.at("max_speakers"), "4");
  EXPECT_EQ(settings->query.at("format_turns"), "false");
  EXPECT_EQ(settings->query.at("keyterms_prompt"), R"(["a","b"])");
  EXPECT_EQ(settings->query.count("sample_rate"), 0u);
}

TEST_F(StreamSettingsTest, ConfigEncodingTurnsOnMulaw) {
  const auto settings = settings_for({{"config", {"encoding=pcm_mulaw"}}});

  ASSERT_TRUE(settings);
  EXPECT_TRUE(settings->mulaw());
}

struct UsageCase {
  std::map<std::string, std::vector<std::string>> options;
  std::vector<std::string> arguments;
  std::string type;
  std::string message;
  std::string suggestion;
};

TEST_F(StreamSettingsTest, RejectsBadValuesWithExactMessages) {
  const std::vector<UsageCase> cases = {
      {{{"config", {"max_speaker=3"}}},
       {"-"},
       "usage_error",
       "Unknown --config key 'max_speaker'.",
       "Did you mean 'max_speakers'? Keys are the streaming service's session parameters."},
      {{{"config", {"no-equals"}}},
       {"-"},
       "usage_error",
       "Invalid --config 'no-equals': expected KEY=VALUE.",
       "Write it as --config min_turn_silence=300."},
      {{{"max-speakers", {"11"}}},
       {"-"},
       "usage_error",
       "Invalid --max-speakers '11': it must be a whole number from 1 to 10.",
       "Pass a whole number of speakers."},
      {{{"max-speakers", {"0"}}},
       {"-"},
       "usage_error",
       "Invalid --max-speakers '0': it must be a whole number from 1 to 10.",
       "Pass a whole number of speakers."},
      {{{"inactivity-timeout", {"4"}}},
       {"-"},
       "usage_error",
       "Invalid --inactivity-timeout '4': it must be a whole number from 5 to 3600.",
       "Pass a whole number of seconds."},
      {{{"inactivity-timeout", {"3601"}}},
       {"-"},
       "usage_error",
       "Invalid --inactivity-timeout '3601': it must be a whole number from 5 to 3600.",
       "Pass a whole number of seconds."},
      {{{"end-of-turn-confidence", {"1.5"}}},
       {"-"},
       "usage_error",
       "Invalid --end-of-turn-confidence '1.5': it must be a number from 0 to 1.",
       "Pass a value such as 0.5."},
      {{{"vad-threshold", {"-0.1"}}},
       {"-"},
       "usage_error",
       "Invalid --vad-threshold '-0.1': it must be a number from 0 to 1.",
       "Pass a value such as 0.5."},
      {{{"min-turn-silence", {"0"}}},
       {"-"},
       "usage_error",
       "Invalid --min-turn-silence '0': it must be a whole number of at least 1.",
       "Pass a whole number of milliseconds."},
      {{{"min-turn-silence", {"2000"}}, {"max-turn-silence", {"1000"}}},
       {"-"},
       "usage_error",
       "The minimum turn silence (2000 ms) is longer than the maximum (1000 ms).",
       "Pass --min-turn-silence no larger than --max-turn-silence."},
      {{{"sample-rate", {"100"}}},
       {"-"},
       "usage_error",
       "Invalid --sample-rate '100': it must be a whole number from 8000 to 96000.",
       "Pass a whole number of Hz."},
      {{{"config", {"speech_model=best"}}},
       {"-"},
       "usage_error",
       "Invalid --config speech_model 'best': it must be one of universal-3-5-pro, "
       "universal-streaming-english, universal-streaming-multilingual, whisper-rt, u3-rt-pro.",
       "Pick one of those values."},
      {{{"config", {"speaker_labels=maybe"}}},
       {"-"},
       "usage_error",
       "Invalid --config speaker_labels 'maybe': it must be true or false.",
       "Write true or false."},
      {{{"config", {"keyterms_prompt=[1]"}}},
       {"-"},
       "usage_error",
       "Invalid --config keyterms_prompt '[1]': every term must be a string.",
       "Write it as a JSON array of strings, such as [\"aai\",\"Universal\"]."},
      {{{"device", {"1"}}},
       {"-"},
       "usage_error",
       "--device only applies to the microphone.",
       "Leave out SOURCE to record from the microphone, or drop --device."},
      {{{"device", {"-1"}}},
       {},
       "usage_error",
       "Invalid --device '-1': it must be 0 or more.",
       "Pass the index of an input device."},
      {{},
       {"a.wav", "b.wav"},
       "usage_error",
       "stream takes at most one SOURCE, got 2.",
       "Pass one audio file, `-` for standard input, or nothing for the microphone."},
      {{},
       {"/nonexistent/talk.wav"},
       "file_not_found",
       "File not found: /nonexistent/talk.wav",
       "Check the path, or pass `-` to stream raw 16-bit PCM from standard input."},
      {{},
       {"/tmp"},
       "not_a_file",
       "Not a file: /tmp",
       "Pass one audio file; aai streams one source at a time."},
      {{{"save-audio", {"/nonexistent/out.wav"}}},
       {"-"},
       "save_audio_path",
       "The folder of --save-audio '/nonexistent/out.wav' does not exist: /nonexistent",
       "Pass --save-audio a file path in an existing, writable folder."},
      {{{"save-transcript", {"/tmp"}}},
       {"-"},
       "save_transcript_path",
       "--save-transcript '/tmp' is a folder, not a file.",
       "Pass --save-transcript a file path in an existing, writable folder."},
  };
  for (const auto& test_case : cases) {
    const auto settings = settings_for(test_case.options, test_case.arguments);

    EXPECT_FALSE(settings) << test_case.message;
    ASSERT_TRUE(failure) << test_case.message;
    EXPECT_EQ(failure->exit_code, AAI_EXIT_USAGE) << test_case.message;
    EXPECT_EQ(failure->type, test_case.type);
    EXPECT_EQ(failure->message, test_case.message);
    EXPECT_EQ(failure->suggestion, test_case.suggestion);
  }
}

TEST_F(StreamSettingsTest, RejectsEmptyFile) {
  const auto path = std::filesystem::temp_directory_path() / "aai-stream-empty.wav";
  std::ofstream(path).close();

  const auto settings = settings_for({}, {path.string()});

  EXPECT_FALSE(settings);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->exit_code, AAI_EXIT_USAGE);
  EXPECT_EQ(failure->type, "empty_audio");
  EXPECT_EQ(failure->message, "The audio file is empty: " + path.string());
  std::filesystem::remove(path);
}

TEST_F(StreamSettingsTest, JsonConflictsWithTextOutput) {
  host.json = true;

  const auto settings = settings_for({{"output", {"text"}}});

  EXPECT_FALSE(settings);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->message, "--json cannot be combined with -o text.");
  EXPECT_EQ(failure->suggestion, "Drop --json to print text, or use -o json.");
}

TEST_F(StreamSettingsTest, PicksOutputModeFromTerminalAndOptions) {
  host.terminal_fds = {1};
  EXPECT_EQ(settings_for({})->output, OutputMode::kTerminal);
  EXPECT_EQ(settings_for({{"output", {"text"}}})->output, OutputMode::kText);
  EXPECT_EQ(settings_for({{"output", {"json"}}})->output, OutputMode::kJson);
  host.json = true;
  EXPECT_EQ(settings_for({})->output, OutputMode::kJson);
}

}  // namespace
}  // namespace streaming::testing
