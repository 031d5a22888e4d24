#include <gtest/gtest.h>

#include "batch_report.hpp"

using transcribe::BatchCounts;
using transcribe::SourceResult;
using transcribe::SourceStatus;

namespace {

TEST(BatchReport, CompletedResultJson) {
  const SourceResult result{"a.wav", SourceStatus::kCompleted, "t1", "a.wav.aai.json", {}, {}};

  EXPECT_EQ(transcribe::result_json(result).dump(),
            R"({"type":"result","source":"a.wav","status":"completed","transcript_id":"t1",)"
            R"("sidecar":"a.wav.aai.json"})");
}

TEST(BatchReport, FailedResultJsonHasError) {
  const SourceResult result{
      "b.wav", SourceStatus::kFailed, {},
      {},      "unreadable_audio",    "Cannot read b.wav: Permission denied."};

  EXPECT_EQ(transcribe::result_json(result).dump(),
            R"({"type":"result","source":"b.wav","status":"failed","transcript_id":null,)"
            R"("sidecar":null,"error":{"type":"unreadable_audio",)"
            R"("message":"Cannot read b.wav: Permission denied."}})");
}

TEST(BatchReport, ResultTextIsTabSeparated) {
  EXPECT_EQ(transcribe::result_text({"a.wav", SourceStatus::kSkipped, "t1", "x", {}, {}}),
            "a.wav\tskipped\tt1\n");
  EXPECT_EQ(transcribe::result_text({"b.wav", SourceStatus::kFailed, {}, {}, "e", "m"}),
            "b.wav\tfailed\t-\n");
}

TEST(BatchReport, SummaryJsonAndText) {
  BatchCounts counts;
  counts.total = 5;
  counts.completed = 2;
  counts.skipped = 1;
  counts.failed = 1;
  counts.elapsed_seconds = 65.04;

  EXPECT_EQ(transcribe::summary_json(counts, true).dump(),
            R"({"type":"summary","total":5,"completed":2,"skipped":1,"failed":1,)"
            R"("remaining":1,"interrupted":true,"elapsed_seconds":65.0})");
  EXPECT_EQ(transcribe::summary_text(counts, false),
            "Batch done in 1m 05s: 2 completed, 1 skipped, 1 failed of 5 sources.");
  EXPECT_EQ(transcribe::summary_text(counts, true),
            "Batch interrupted after 1m 05s: 2 completed, 1 skipped, 1 failed, 1 not finished "
            "of 5 sources.");
}

TEST(BatchReport, ProgressLabelCountsAndRate) {
  BatchCounts counts;
  counts.total = 10;
  counts.completed = 3;
  counts.failed = 1;
  counts.skipped = 2;
  counts.running = 2;
  counts.elapsed_seconds = 120;

  EXPECT_EQ(transcribe::progress_label(counts),
            "Batch: 3 done, 2 running, 1 failed, 2 skipped, 2 remaining, 2.0 files/min");
}

TEST(BatchReport, ProgressLabelWithoutRateAtStart) {
  BatchCounts counts;
  counts.total = 4;
  counts.running = 4;

  EXPECT_EQ(transcribe::progress_label(counts),
            "Batch: 0 done, 4 running, 0 failed, 0 skipped, 0 remaining");
}

TEST(BatchReport, DurationFormats) {
  EXPECT_EQ(transcribe::format_duration(4.6), "5s");
  EXPECT_EQ(transcribe::format_duration(65), "1m 05s");
  EXPECT_EQ(transcribe::format_duration(7380), "2h 03m");
}

}  // namespace
