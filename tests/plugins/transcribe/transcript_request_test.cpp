#include "transcript_request.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "transcript_params.hpp"

namespace {

using nlohmann::json;

json empty() {
  return json::object();
}

TEST(TranscriptRequestTest, AddsDefaultModelWhenNoneGiven) {
  json body = transcribe::build_transcript_request(empty(), empty(), empty(), "https://a.test/x");

  EXPECT_EQ(body.dump(),
            R"({"audio_url":"https://a.test/x","speech_models":["universal-3-5-pro"]})");
}

TEST(TranscriptRequestTest, KeepsModelFromConfig) {
  json config = transcribe::parse_config_pairs({"speech_model=nano"});

  json body = transcribe::build_transcript_request(empty(), config, empty(), "u");

  EXPECT_EQ(body.dump(), R"({"audio_url":"u","speech_model":"nano"})");
}

TEST(TranscriptRequestTest, MergesLayersWithFlagsWinning) {
  json file = {{"punctuate", false}, {"language_code", "de"}, {"disfluencies", true}};
  json pairs = transcribe::parse_config_pairs({"language_code=fr", "punctuate=true"});
  json flags = {{"language_code", "es"}};

  json body = transcribe::build_transcript_request(file, pairs, flags, "u");

  EXPECT_EQ(body["language_code"], "es");
  EXPECT_EQ(body["punctuate"], true);
  EXPECT_EQ(body["disfluencies"], true);
}

TEST(TranscriptRequestTest, CoercesConfigValuesToFieldTypes) {
  json params = transcribe::parse_config_pairs(
      {"speakers_expected=3", "speech_threshold=0.5", "word_boost=a b,c", "keyterms_prompt=[\"x\"]",
       "speaker_options={\"min_speakers_expected\":2}", "filter_profanity=yes"});

  EXPECT_EQ(params.dump(),
            R"({"filter_profanity":true,"keyterms_prompt":["x"],"speaker_options":)"
            R"({"min_speakers_expected":2},"speakers_expected":3,"speech_threshold":0.5,)"
            R"("word_boost":["a b","c"]})");
}

void expect_usage_error(const std::vector<std::string>& pairs, const std::string& message) {
  try {
    transcribe::parse_config_pairs(pairs);
    FAIL() << "expected an error for " << pairs.front();
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(error.type(), "usage_error");
    EXPECT_EQ(std::string(error.what()), message);
  }
}

TEST(TranscriptRequestTest, RejectsBadConfigValues) {
  expect_usage_error({"speakers_expected=two"},
                     "Invalid value 'two' for speakers_expected in --config: expected an integer.");
  expect_usage_error({"punctuate=maybe"},
                     "Invalid value 'maybe' for punctuate in --config: expected true or false.");
  expect_usage_error({"redact_pii_sub=stars"},
                     "Invalid value 'stars' for redact_pii_sub in --config: expected one of "
                     "entity_name, hash.");
  expect_usage_error(
      {"speaker_options=[1]"},
      "Invalid value '[1]' for speaker_options in --config: expected a JSON object.");
  expect_usage_error({"speakers"}, "Invalid --config 'speakers': expected KEY=VALUE.");
}

TEST(TranscriptRequestTest, RejectsUnknownConfigKeyListingValidOnes) {
  try {
    transcribe::parse_config_pairs({"colour=blue"});
    FAIL() << "expected an error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_STREQ(error.what(), "Unknown transcript parameter 'colour' in --config.");
    EXPECT_EQ(error.suggestion(), "Valid parameters: " + transcribe::param_names() + ".");
    EXPECT_NE(error.suggestion().find("audio_end_at, audio_start_from, auto_chapters"),
              std::string::npos);
  }
}

// Writes `content` to a file named after the running test, because ctest runs tests in parallel
// processes that share the temporary folder.
std::string write_temp(const std::string& content) {
  std::string path = ::testing::TempDir() + "config-file-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json";
  std::ofstream(path) << content;
  return path;
}

TEST(TranscriptRequestTest, ReadsConfigFileObject) {
  std::string path = write_temp(R"({"speaker_labels": true, "speakers_expected": 2})");

  json params = transcribe::read_config_file(path);

  EXPECT_EQ(params.dump(), R"({"speaker_labels":true,"speakers_expected":2})");
}

TEST(TranscriptRequestTest, RejectsConfigFileWithWrongType) {
  std::string path = write_temp(R"({"speakers_expected": "2"})");

  try {
    transcribe::read_config_file(path);
    FAIL() << "expected an error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.type(), "invalid_config");
    EXPECT_EQ(std::string(error.what()),
              "Invalid value '2' for speakers_expected in --config-file '" + path +
                  "': expected an integer.");
  }
}

TEST(TranscriptRequestTest, RejectsConfigFileThatIsNotObject) {
  std::string path = write_temp("[1, 2]");

  try {
    transcribe::read_config_file(path);
    FAIL() << "expected an error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(std::string(error.what()), "--config-file '" + path + "' is not a JSON object.");
  }
}

TEST(TranscriptRequestTest, RejectsMissingConfigFile) {
  try {
    transcribe::read_config_file("/nonexistent/params.json");
    FAIL() << "expected an error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.type(), "invalid_config");
    EXPECT_STREQ(error.what(), "Cannot read --config-file '/nonexistent/params.json'.");
  }
}

TEST(TranscriptRequestTest, RequiresSpeakerLabelsForSpeakersExpected) {
  json flags = {{"speakers_expected", 2}};

  try {
    transcribe::build_transcript_request(empty(), empty(), flags, "u");
    FAIL() << "expected an error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_STREQ(error.what(), "--speakers-expected needs --speaker-labels.");
  }
}

TEST(TranscriptRequestTest, AcceptsSpeakerLabelsFromConfig) {
  json pairs = transcribe::parse_config_pairs({"speaker_labels=true"});
  json flags = {{"speakers_expected", 2}};

  json body = transcribe::build_transcript_request(empty(), pairs, flags, "u");

  EXPECT_EQ(body["speakers_expected"], 2);
}

TEST(TranscriptRequestTest, RejectsAudioEndBeforeStart) {
  json flags = {{"audio_start_from", 5000}, {"audio_end_at", 1000}};

  try {
    transcribe::build_transcript_request(empty(), empty(), flags, "u");
    FAIL() << "expected an error";
  } catch (const aai::Error& error) {
    EXPECT_STREQ(error.what(), "--audio-end (1000) must be after --audio-start (5000).");
  }
}

}  // namespace
