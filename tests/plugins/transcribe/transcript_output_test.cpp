#include "transcript_output.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace {

using transcribe::ChainResult;

TEST(TranscriptOutputTest, RendersSingleStepAsAnswerAlone) {
  ChainResult result{"aai-local-extractive", {{"Summarize.", "The review moved to Tuesday.\n\n"}}};

  EXPECT_EQ(transcribe::render_chain_text(result), "The review moved to Tuesday.\n");
}

TEST(TranscriptOutputTest, RendersStepsWithHeadersAndBlankLines) {
  ChainResult result{"m",
                     {{"List the action items.", "- Book a room.\n- Send the agenda."},
                      {"Translate to French.", "- Réserver une salle."},
                      {"Count them.", "One.\n"}}};

  EXPECT_EQ(transcribe::render_chain_text(result),
            "Step 1: List the action items.\n"
            "- Book a room.\n"
            "- Send the agenda.\n"
            "\n"
            "Step 2: Translate to French.\n"
            "- Réserver une salle.\n"
            "\n"
            "Step 3: Count them.\n"
            "One.\n");
}

TEST(TranscriptOutputTest, BuildsChainJsonInFieldOrder) {
  nlohmann::json transcript = {
      {"id", "t1"}, {"status", "completed"}, {"text", "Hello world."}, {"words", {1, 2}}};
  ChainResult result{"aai-local-extractive", {{"Summarize.", "Hello."}, {"Shorter.", "Hi."}}};

  EXPECT_EQ(transcribe::chain_json(transcript, result).dump(),
            R"({"id":"t1","status":"completed","text":"Hello world.",)"
            R"("transform":{"model":"aai-local-extractive","steps":[)"
            R"({"prompt":"Summarize.","output":"Hello."},{"prompt":"Shorter.","output":"Hi."}]}})");
}

TEST(TranscriptOutputTest, WritesNullForMissingTranscriptText) {
  nlohmann::json transcript = {{"id", "t1"}, {"status", "completed"}, {"text", nullptr}};
  ChainResult result{"m", {{"P", "A"}}};

  nlohmann::ordered_json shape = transcribe::chain_json(transcript, result);

  EXPECT_TRUE(shape["text"].is_null());
  EXPECT_EQ(shape["id"], "t1");
}

}  // namespace
