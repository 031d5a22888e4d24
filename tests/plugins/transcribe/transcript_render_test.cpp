#include "transcript_render.hpp"

#include <gtest/gtest.h>

namespace {

using nlohmann::json;

json diarised() {
  return json::parse(R"({"id":"t1","status":"completed","text":"Hi there. Hello.",
    "utterances":[{"speaker":"A","text":"Hi there."},{"speaker":"B","text":"Hello."}]})");
}

TEST(TranscriptRenderTest, RendersTextAndFields) {
  json transcript = diarised();

  EXPECT_EQ(transcribe::render_field(transcript, "text"), "Hi there. Hello.");
  EXPECT_EQ(transcribe::render_field(transcript, "id"), "t1");
  EXPECT_EQ(transcribe::render_field(transcript, "status"), "completed");
  EXPECT_EQ(transcribe::render_field(transcript, "json"), transcript.dump());
}

TEST(TranscriptRenderTest, RendersUtterancesAsSpeakerLines) {
  EXPECT_EQ(transcribe::render_utterances(diarised()), "Speaker A: Hi there.\nSpeaker B: Hello.");
}

TEST(TranscriptRenderTest, FallsBackToTextWithoutUtterances) {
  json transcript = {{"text", "Plain."}, {"utterances", nullptr}};

  EXPECT_EQ(transcribe::render_utterances(transcript), "Plain.");
  EXPECT_EQ(transcribe::render_human(transcript), "Plain.");
}

TEST(TranscriptRenderTest, RendersHumanViewWithSections) {
  json transcript = diarised();
  transcript["summary"] = "- A greets B.";
  transcript["chapters"] = json::parse(
      R"([{"start":0,"end":65000,"headline":"Greetings"},
          {"start":65000,"end":3725000,"headline":"The rest"}])");
  transcript["sentiment_analysis_results"] =
      json::parse(R"([{"sentiment":"POSITIVE"},{"sentiment":"POSITIVE"},{"sentiment":"NEUTRAL"}])");
  transcript["entities"] = json::parse(
      R"([{"entity_type":"location","text":"Canada"},{"entity_type":"location","text":"Canada"},
          {"entity_type":"person_name","text":"B"}])");

  EXPECT_EQ(transcribe::render_human(transcript),
            "Speaker A: Hi there.\nSpeaker B: Hello.\n"
            "\nSummary\n- A greets B.\n"
            "\nChapters\n00:00-01:05 Greetings\n01:05-1:02:05 The rest\n"
            "\nSentiment\nPositive: 67%\nNeutral: 33%\nNegative: 0%\n"
            "\nEntities\nlocation: Canada\nperson_name: B");
}

TEST(TranscriptRenderTest, FormatsTimestamps) {
  EXPECT_EQ(transcribe::format_timestamp(0), "00:00");
  EXPECT_EQ(transcribe::format_timestamp(59999), "00:59");
  EXPECT_EQ(transcribe::format_timestamp(3600000), "1:00:00");
}

}  // namespace
