#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plugin_fixture.hpp"

using aai::testing::FakeInvocation;

namespace {

TEST_F(TranscribePluginTest, ListsTranscriptsAsTable) {
  host_.respond(200, R"({"page_details":{},"transcripts":[
    {"id":"abc","status":"completed","created":"2024-05-01T10:00:00"},
    {"id":"de","status":"error","created":"2024-05-02T11:00:00"}]})");
  FakeInvocation invocation({{"limit", {"2"}}}, {});

  ASSERT_EQ(run("transcripts list", invocation), 0);

  EXPECT_EQ(host_.requests[0].url, "http://127.0.0.1:9/v2/transcript?limit=2");
  EXPECT_EQ(host_.stdout_text,
            "ID   STATUS     CREATED (UTC)\n"
            "abc  completed  2024-05-01T10:00:00\n"
            "de   error      2024-05-02T11:00:00\n");
}

TEST_F(TranscribePluginTest, ListsTranscriptsAsJsonWithDefaultLimit) {
  host_.json = true;
  host_.respond(200, R"({"transcripts":[{"id":"abc"}]})");
  FakeInvocation invocation({}, {});

  ASSERT_EQ(run("transcripts list", invocation), 0);

  EXPECT_EQ(host_.requests[0].url, "http://127.0.0.1:9/v2/transcript?limit=10");
  EXPECT_EQ(host_.stdout_text, "[{\"id\":\"abc\"}]\n");
}

TEST_F(TranscribePluginTest, RejectsZeroLimit) {
  FakeInvocation invocation({{"limit", {"0"}}}, {});

  EXPECT_EQ(run("transcripts list", invocation), 2);

  EXPECT_EQ(invocation.failure->message, "Invalid --limit '0': it must be at least 1.");
}

TEST_F(TranscribePluginTest, GetsTranscriptAsUtterances) {
  host_.respond(200, R"({"id":"abc","status":"completed","text":"x",
    "utterances":[{"speaker":"A","text":"One."},{"speaker":"B","text":"Two."}]})");
  FakeInvocation invocation({{"output", {"utterances"}}}, {"abc"});

  ASSERT_EQ(run("transcripts get", invocation), 0);

  EXPECT_EQ(host_.requests[0].url, "http://127.0.0.1:9/v2/transcript/abc");
  EXPECT_EQ(host_.stdout_text, "Speaker A: One.\nSpeaker B: Two.\n");
}

TEST_F(TranscribePluginTest, RejectsMalformedTranscriptId) {
  FakeInvocation invocation({}, {"../etc"});

  EXPECT_EQ(run("transcripts get", invocation), 2);

  EXPECT_EQ(invocation.failure->type, "usage_error");
  EXPECT_EQ(invocation.failure->message,
            "Invalid transcript id '../etc': use only letters, digits, '_' and '-'.");
  EXPECT_TRUE(host_.requests.empty());
}

TEST_F(TranscribePluginTest, ReportsNotReadyTranscript) {
  host_.respond(200, R"({"id":"abc","status":"processing"})");
  FakeInvocation invocation({}, {"abc"});

  EXPECT_EQ(run("transcripts get", invocation), 2);

  EXPECT_EQ(invocation.failure->type, "transcript_not_ready");
  EXPECT_EQ(invocation.failure->message, "Transcript abc is not ready yet (status: processing).");
}

TEST_F(TranscribePluginTest, ReportsNotFoundTranscript) {
  host_.respond(404, R"({"error":"Transcript not found"})");
  FakeInvocation invocation({}, {"abc"});

  EXPECT_EQ(run("transcripts get", invocation), 1);

  EXPECT_EQ(invocation.failure->message,
            "Fetching transcript abc failed with HTTP 404: Transcript not found");
  EXPECT_EQ(invocation.failure->suggestion,
            "Check the transcript id; `aai transcripts list` shows recent ones.");
}

TEST_F(TranscribePluginTest, DeletesTranscriptAndPrintsServiceObject) {
  host_.json = true;
  host_.respond(200, R"({"id":"abc","status":"completed","text":"Deleted by user."})");
  FakeInvocation invocation({}, {"abc"});

  ASSERT_EQ(run("transcripts delete", invocation), 0);

  EXPECT_EQ(host_.requests[0].method, "DELETE");
  EXPECT_EQ(host_.stdout_text, R"({"id":"abc","status":"completed","text":"Deleted by user."})"
                               "\n");
}

}  // namespace
