#include "server/transcript_params.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

using nlohmann::json;

std::string problem_with(const json& body) {
  return validate_transcript_params(body).value_or("");
}

TEST(TranscriptParamsTest, AcceptsMinimalRequest) {
  EXPECT_EQ(problem_with({{"audio_url", "http://127.0.0.1:1/v2/upload/x"}}), "");
}

TEST(TranscriptParamsTest, AcceptsEveryPublishedOption) {
  json body = {{"audio_url", "u"},
               {"speaker_labels", true},
               {"speakers_expected", 2},
               {"speech_threshold", 0.5},
               {"speech_models", {"universal", "slam-1"}},
               {"speech_model", nullptr},
               {"custom_spelling", {{{"from", {"aai"}}, {"to", "AssemblyAI"}}}},
               {"redact_pii_sub", "entity_name"},
               {"language_code", "en_us"},
               {"summarization", true},
               {"summary_type", "gist"}};

  EXPECT_EQ(problem_with(body), "");
}

TEST(TranscriptParamsTest, RejectsUnknownField) {
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"speaker_label", true}}),
            "Unknown field \"speaker_label\" in the transcript request.");
}

TEST(TranscriptParamsTest, RejectsMissingAudioUrl) {
  EXPECT_EQ(problem_with(json::object()), "audio_url is required.");
}

TEST(TranscriptParamsTest, RejectsNonObjectBody) {
  EXPECT_EQ(problem_with(json::array()), "The request body must be a JSON object, not [].");
}

TEST(TranscriptParamsTest, RejectsBadTypes) {
  EXPECT_EQ(problem_with({{"audio_url", 5}}), "audio_url must be a string, not 5.");
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"speakers_expected", "two"}}),
            "speakers_expected must be an integer or null, not \"two\".");
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"speakers_expected", 2.5}}),
            "speakers_expected must be an integer or null, not 2.5.");
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"punctuate", "yes"}}),
            "punctuate must be a boolean, not \"yes\".");
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"topics", {1}}}),
            "topics must be an array of strings, not [1].");
}

TEST(TranscriptParamsTest, RejectsOutOfRangeNumbers) {
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"speech_threshold", 1.5}}),
            "speech_threshold must be between 0 and 1, not 1.5.");
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"content_safety_confidence", 10}}),
            "content_safety_confidence must be between 25 and 100, not 10.");
}

TEST(TranscriptParamsTest, RejectsUnknownChoices) {
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"redact_pii_sub", "stars"}}),
            "redact_pii_sub must be one of entity_name, hash, not \"stars\".");
}

TEST(TranscriptParamsTest, RejectsUnknownSpeechModel) {
  std::string known =
      "Known models: best, nano, slam-1, universal, universal-2, universal-3-pro, "
      "universal-3-5-pro, u3-pro.";

  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"speech_model", "huge"}}),
            "Unknown speech model \"huge\" in speech_model. " + known);
  EXPECT_EQ(problem_with({{"audio_url", "u"}, {"speech_models", {"best", "tiny"}}}),
            "Unknown speech model \"tiny\" in speech_models. " + known);
}

TEST(TranscriptParamsTest, EchoesGivenValuesAndDefaults) {
  json echoed = echoed_params({{"audio_url", "u"}, {"punctuate", false}});

  EXPECT_EQ(echoed["audio_url"], "u");
  EXPECT_EQ(echoed["punctuate"], false);
  EXPECT_EQ(echoed["format_text"], true);
  EXPECT_EQ(echoed["language_code"], "en_us");
  EXPECT_EQ(echoed["redact_pii_sub"], "hash");
  EXPECT_TRUE(echoed["speakers_expected"].is_null());
}

}  // namespace
}  // namespace aai::local
