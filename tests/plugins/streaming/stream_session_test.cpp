#include "stream_session.hpp"

#include <gtest/gtest.h>

#include "fake_host.hpp"
#include "stream_test_support.hpp"

namespace streaming::testing {
namespace {

const std::string kTerminate = R"({"type":"Terminate"})";

class StreamSessionTest : public ::testing::Test {
 protected:
  // Streams `samples` at 16 kHz through the scripted connection with text output.
  SessionSummary run(std::vector<int16_t> samples, bool format_turns = true) {
    source = std::make_unique<VectorSource>(std::move(samples), 16000);
    messages = std::make_unique<ServerMessages>(aai::Host(host.raw()), renderer, format_turns);
    StreamSession session(aai::Host(host.raw()), connection, *source, clock, *messages, config);
    return session.run({});
  }

  // Runs and returns the error the session threw.
  aai::Error run_failing(std::vector<int16_t> samples) {
    try {
      run(std::move(samples));
    } catch (const aai::Error& error) {
      return error;
    }
    throw std::logic_error("the session did not fail");
  }

  aai::testing::FakeHost host;
  FakeClock clock;
  ScriptedConnection connection{clock};
  TextRenderer renderer{aai::Host(host.raw())};
  std::unique_ptr<VectorSource> source;
  std::unique_ptr<ServerMessages> messages;
  SessionConfig config;
};

TEST_F(StreamSessionTest, SendsHundredMillisecondFramesAtRealTime) {
  connection.close_after(12, 1000, "");

  const SessionSummary summary = run(ramp(16000 + 400));

  ASSERT_EQ(connection.audio.size(), 11u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(connection.audio[i].bytes.size(), 3200u) << "frame " << i;
    // A frame leaves once the audio sent, itself included, fits in the time elapsed.
    EXPECT_EQ(connection.audio[i].at_ms, static_cast<long long>(100 * (i + 1))) << "frame " << i;
  }
  EXPECT_EQ(connection.audio[0].bytes, pcm_bytes(ramp(1600)));
  EXPECT_DOUBLE_EQ(summary.audio_seconds, 1.05);
}

TEST_F(StreamSessionTest, PadsShortLastFrameToFiftyMilliseconds) {
  connection.close_after(3, 1000, "");

  run(ramp(1600 + 400));

  ASSERT_EQ(connection.audio.size(), 2u);
  const std::string& last = connection.audio[1].bytes;
  ASSERT_EQ(last.size(), 1600u);
  const std::vector<int16_t> all = ramp(2000);
  EXPECT_EQ(last.substr(0, 800), pcm_bytes(std::vector<int16_t>(all.begin() + 1600, all.end())));
  EXPECT_EQ(last.substr(800), std::string(800, '\0'));
  EXPECT_EQ(connection.audio[1].at_ms, 150);
}

TEST_F(StreamSessionTest, KeepsFullFrameOfSeventyMillisecondsUnpadded) {
  connection.close_after(2, 1000, "");

  run(ramp(1120));

  ASSERT_EQ(connection.audio.size(), 1u);
  EXPECT_EQ(connection.audio[0].bytes.size(), 2240u);
}

TEST_F(StreamSessionTest, HandlesMessagesInOrderAndEndsAfterTermination) {
  connection.text_after(0, kBegin);
  connection.text_after(1, turn_json(0, "hello", false, false));
  connection.text_after(2, turn_json(0, "hello world", true, false));
  connection.text_after(2, turn_json(0, "Hello world.", true, true));
  connection.text_after(4, kTermination);
  connection.close_after(4, 1000, "");

  const SessionSummary summary = run(ramp(4800));

  const std::vector<std::string> expected_order = {"audio", "audio", "audio", kTerminate};
  EXPECT_EQ(connection.order, expected_order);
  EXPECT_EQ(host.stdout_text, "Hello world.\n");
  EXPECT_EQ(summary.end, SessionEnd::kInputEnded);
  EXPECT_EQ(summary.finalised_turns, 1);
}

TEST_F(StreamSessionTest, SendsTerminateAndStopsWhenInterrupted) {
  int checks = 0;
  config.interrupted = [&checks] { return ++checks > 30; };
  connection.text_after(1, turn_json(0, "Kept turn.", true, true));
  connection.text_after_terminate(kTermination);
  connection.close_after_terminate(1000);

  const SessionSummary summary = run(ramp(16000 * 5));

  EXPECT_EQ(summary.end, SessionEnd::kInterrupted);
  ASSERT_FALSE(connection.texts.empty());
  EXPECT_EQ(connection.texts.back(), kTerminate);
  EXPECT_LT(connection.audio.size(), 50u);
  EXPECT_EQ(host.stdout_text, "Kept turn.\n");
}

TEST_F(StreamSessionTest, WaitsAtMostFiveSecondsAfterInterruption) {
  config.interrupted = [] { return true; };

  const SessionSummary summary = run(ramp(3200));

  EXPECT_EQ(summary.end, SessionEnd::kInterrupted);
  EXPECT_EQ(connection.order, std::vector<std::string>{kTerminate});
  EXPECT_EQ(clock.elapsed_ms(), 5000);
}

TEST_F(StreamSessionTest, EndsNormallyWhenServerClosesFirst) {
  connection.text_after(2, kTermination);
  connection.close_after(2, 1000, "");

  const SessionSummary summary = run(ramp(16000 * 3));

  EXPECT_EQ(summary.end, SessionEnd::kServerEnded);
  EXPECT_EQ(connection.texts.size(), 0u);
  EXPECT_EQ(connection.audio.size(), 2u);
}

TEST_F(StreamSessionTest, FailsWhenServiceDoesNotEndSession) {
  const aai::Error error = run_failing(ramp(1600));

  EXPECT_EQ(error.exit_code(), AAI_EXIT_FAILURE);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_EQ(std::string(error.what()),
            "The streaming service did not end the session within 30 s after the last audio.");
  EXPECT_EQ(connection.texts, std::vector<std::string>{kTerminate});
}

TEST_F(StreamSessionTest, RejectedKeyOnPolicyClose) {
  connection.close_after(0, 1008, "Unauthorized Connection: Invalid API key");

  const aai::Error error = run_failing(ramp(1600));

  EXPECT_EQ(error.exit_code(), AAI_EXIT_NOT_AUTHENTICATED);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_EQ(std::string(error.what()),
            "The streaming service rejected the key: Unauthorized Connection: Invalid API key");
  EXPECT_EQ(error.suggestion(), "Check the key, or run `aai login` to get a new one.");
}

TEST_F(StreamSessionTest, QuotesReasonOfEveryServiceCloseCode) {
  const std::vector<std::pair<int, std::string>> closes = {
      {3005, "Session Cancelled: internal error"},
      {3006, "Invalid Query Parameter: sample_rate: must be positive"},
      {3007, "Input duration violation: 20 ms. Expected between 50 and 1000 ms"},
      {3008, "Session Expired: Maximum session duration exceeded"},
      {3009, "Too many concurrent sessions"}};
  for (const auto& [code, reason] : closes) {
    ScriptedConnection scripted(clock);
    scripted.close_after(1, code, reason);
    auto samples = std::make_unique<VectorSource>(ramp(3200), 16000);
    ServerMessages handler(aai::Host(host.raw()), renderer, true);
    StreamSession session(aai::Host(host.raw()), scripted, *samples, clock, handler, config);

    try {
      session.run({});
      ADD_FAILURE() << "code " << code << " did not fail";
    } catch (const aai::Error& error) {
      EXPECT_EQ(error.exit_code(), AAI_EXIT_FAILURE);
      EXPECT_EQ(error.type(), "api_error");
      EXPECT_EQ(std::string(error.what()), "The streaming service closed the session (code " +
                                               std::to_string(code) + "): " + reason);
    }
  }
}

TEST_F(StreamSessionTest, QuotesServerErrorMessage) {
  connection.text_after(1, R"({"type":"Error","error_code":3006,"error":"Invalid JSON: {"})");
  connection.close_after(1, 3006, "");

  const aai::Error error = run_failing(ramp(3200));

  EXPECT_EQ(std::string(error.what()),
            "The streaming service closed the session (code 3006): Invalid JSON: {");
}

TEST_F(StreamSessionTest, ReportsDroppedConnectionWithProgress) {
  connection.text_after(3, turn_json(0, "One.", true, true));
  connection.text_after(4, turn_json(1, "Two.", true, true));
  connection.close_after(5, 1006, "end of stream");

  const aai::Error error = run_failing(ramp(16000 * 3));

  EXPECT_EQ(error.exit_code(), AAI_EXIT_FAILURE);
  EXPECT_EQ(error.type(), "connection_error");
  EXPECT_EQ(std::string(error.what()),
            "The connection to the streaming service dropped after 0.5 s of audio (2 turns "
            "finalised): end of stream.");
  EXPECT_EQ(error.suggestion(), "Check the network connection, then run the command again.");
}

TEST_F(StreamSessionTest, TreatsFailedSendWithoutCloseAsDrop) {
  connection.fail_send_from = 3;

  const aai::Error error = run_failing(ramp(16000));

  EXPECT_EQ(error.type(), "connection_error");
  EXPECT_EQ(std::string(error.what()),
            "The connection to the streaming service dropped after 0.2 s of audio (0 turns "
            "finalised): Broken pipe.");
}

TEST_F(StreamSessionTest, ReportsSourceFailureAfterEndingSession) {
  connection.close_after(2, 1000, "");
  source = nullptr;
  auto failing = std::make_unique<VectorSource>(ramp(1600), 16000);
  failing->fail_at_end = true;
  ServerMessages handler(aai::Host(host.raw()), renderer, true);
  StreamSession session(aai::Host(host.raw()), connection, *failing, clock, handler, config);

  try {
    session.run({});
    FAIL() << "expected the source's failure";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.type(), "audio_input_error");
    EXPECT_EQ(std::string(error.what()), "The fake source failed.");
  }
  EXPECT_EQ(connection.texts, std::vector<std::string>{kTerminate});
}

TEST_F(StreamSessionTest, EncodesMulawFrames) {
  config.mulaw = true;
  connection.close_after(2, 1000, "");

  run(std::vector<int16_t>(1600, 1000));

  ASSERT_EQ(connection.audio.size(), 1u);
  EXPECT_EQ(connection.audio[0].bytes, std::string(1600, '\xCE'));
}

TEST_F(StreamSessionTest, PacesFramesAtOtherRates) {
  source = std::make_unique<VectorSource>(ramp(4410 * 3), 44100);
  messages = std::make_unique<ServerMessages>(aai::Host(host.raw()), renderer, true);
  config.sample_rate = 44100;
  connection.close_after(4, 1000, "");
  StreamSession session(aai::Host(host.raw()), connection, *source, clock, *messages, config);

  session.run({});

  ASSERT_EQ(connection.audio.size(), 3u);
  EXPECT_EQ(connection.audio[0].bytes.size(), 8820u);
  EXPECT_EQ(connection.audio[2].at_ms, 300);
}

}  // namespace
}  // namespace streaming::testing
