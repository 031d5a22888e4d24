#include "server/transcript_record.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

using nlohmann::json;

std::vector<Word> recognised() {
  return {{"he", 0, 200, 0.5, {}}, {"was", 250, 500, 1.0, {}}, {"there", 3000, 3400, 0.75, {}}};
}

TEST(TranscriptRecordTest, NewTranscriptHasEveryPublishedField) {
  json transcript = new_transcript("id-1", {{"audio_url", "u"},
                                            {"webhook_auth_header_name", "X"},
                                            {"webhook_auth_header_value", "secret"}});

  EXPECT_EQ(transcript["status"], "queued");
  EXPECT_EQ(transcript["id"], "id-1");
  EXPECT_EQ(transcript["webhook_auth"], true);
  EXPECT_FALSE(transcript.contains("webhook_auth_header_value"));
  for (const char* field : {"text", "words", "utterances", "confidence", "audio_duration",
                            "summary", "chapters", "entities", "sentiment_analysis_results"}) {
    ASSERT_TRUE(transcript.contains(field)) << field;
    EXPECT_TRUE(transcript[field].is_null()) << field;
  }
  EXPECT_EQ(transcript["language_model"], "assemblyai_default");
  EXPECT_EQ(transcript["acoustic_model"], "assemblyai_default");
}

TEST(TranscriptRecordTest, CompletesWithFormattedText) {
  json transcript = new_transcript("id", {{"audio_url", "u"}});

  complete_transcript(transcript, recognised(), 3.6);

  EXPECT_EQ(transcript["status"], "completed");
  EXPECT_EQ(transcript["text"], "He was. There.");
  EXPECT_EQ(transcript["audio_duration"], 4);
  EXPECT_DOUBLE_EQ(transcript["confidence"].get<double>(), 0.75);
  EXPECT_TRUE(transcript["words"][0]["speaker"].is_null());
  EXPECT_TRUE(transcript["utterances"].is_null());
}

TEST(TranscriptRecordTest, KeepsRawTextWhenFormattingIsOff) {
  json transcript =
      new_transcript("id", {{"audio_url", "u"}, {"punctuate", false}, {"format_text", false}});

  complete_transcript(transcript, recognised(), 3.6);

  EXPECT_EQ(transcript["text"], "he was there");
}

TEST(TranscriptRecordTest, LabelsOneSpeakerWithSpeakerLabels) {
  json transcript = new_transcript("id", {{"audio_url", "u"}, {"speaker_labels", true}});

  complete_transcript(transcript, recognised(), 3.6);

  EXPECT_EQ(transcript["words"][2]["speaker"], "A");
  ASSERT_EQ(transcript["utterances"].size(), 2u);
  EXPECT_EQ(transcript["utterances"][0]["speaker"], "A");
  EXPECT_EQ(transcript["utterances"][0]["text"], "He was.");
  EXPECT_EQ(transcript["utterances"][1]["start"], 3000);
}

TEST(TranscriptRecordTest, ClipsWordsToRequestedWindow) {
  json transcript =
      new_transcript("id", {{"audio_url", "u"}, {"audio_start_from", 200}, {"audio_end_at", 600}});

  complete_transcript(transcript, recognised(), 3.6);

  EXPECT_EQ(transcript["text"], "Was.");
}

TEST(TranscriptRecordTest, FailsWithMessage) {
  json transcript = new_transcript("id", {{"audio_url", "u"}});

  fail_transcript(transcript, "Bad audio.");

  EXPECT_EQ(transcript["status"], "error");
  EXPECT_EQ(transcript["error"], "Bad audio.");
}

TEST(TranscriptRecordTest, DeletedTranscriptLosesTextAndWords) {
  json transcript = new_transcript("id", {{"audio_url", "u"}});
  complete_transcript(transcript, recognised(), 3.6);

  json deleted = deleted_transcript(transcript);

  EXPECT_EQ(deleted["text"], "Deleted by user.");
  EXPECT_EQ(deleted["audio_url"], "http://deleted_by_user");
  EXPECT_TRUE(deleted["words"].is_null());
  EXPECT_EQ(deleted["status"], "completed");
}

TEST(TranscriptRecordTest, RoundTripsThroughJson) {
  TranscriptRecord record;
  record.transcript = new_transcript("id", {{"audio_url", "u"}});
  record.created = "2026-01-02T03:04:05.000006";
  record.sequence = 7;
  record.audio_file = "/tmp/a";

  TranscriptRecord copy = record_from_json(record_to_json(record));

  EXPECT_EQ(copy.id(), "id");
  EXPECT_EQ(copy.created, record.created);
  EXPECT_FALSE(copy.completed.has_value());
  EXPECT_EQ(copy.sequence, 7);
  EXPECT_EQ(copy.audio_file, "/tmp/a");
}

}  // namespace
}  // namespace aai::local
