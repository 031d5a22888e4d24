#include "server_messages.hpp"

#include <gtest/gtest.h>

#include "fake_host.hpp"
#include "stream_test_support.hpp"

namespace streaming::testing {
namespace {

// Records every renderer call as one line.
class RecordingRenderer : public TurnRenderer {
 public:
  void begin(const std::string& id, const nlohmann::json& expires_at) override {
    calls.push_back("begin " + id + " " + expires_at.dump());
  }
  void partial(const Turn& turn) override { calls.push_back("partial " + turn.transcript); }
  void final_turn(const Turn& turn) override { calls.push_back("final " + turn_line(turn)); }
  void termination(const nlohmann::json& audio_seconds, const nlohmann::json&) override {
    calls.push_back("termination " + audio_seconds.dump());
  }

  std::vector<std::string> calls;
};

class ServerMessagesTest : public ::testing::Test {
 protected:
  aai::testing::FakeHost host;
  RecordingRenderer renderer;
};

TEST_F(ServerMessagesTest, FinalisesFormattedTurnOnce) {
  ServerMessages messages(aai::Host(host.raw()), renderer, true);

  messages.handle(kBegin);
  messages.handle(turn_json(0, "hello", false, false));
  messages.handle(turn_json(0, "hello world", true, false));
  messages.handle(turn_json(0, "Hello world.", true, true));
  messages.handle(turn_json(0, "Hello world.", true, true));
  messages.handle(kTermination);

  const std::vector<std::string> expected = {"begin session-1 1700000000", "partial hello",
                                             "partial hello world", "final Hello world.",
                                             "termination 1"};
  EXPECT_EQ(renderer.calls, expected);
  EXPECT_EQ(messages.finalised_turns(), 1);
  EXPECT_TRUE(messages.termination_received());
}

TEST_F(ServerMessagesTest, FinalisesUnformattedTurnWhenFormatTurnsIsOff) {
  ServerMessages messages(aai::Host(host.raw()), renderer, false);

  messages.handle(turn_json(0, "hello world", true, false));
  messages.handle(turn_json(0, "Hello world.", true, true));

  const std::vector<std::string> expected = {"final hello world"};
  EXPECT_EQ(renderer.calls, expected);
}

TEST_F(ServerMessagesTest, FinalisesHeldTurnWhenNextTurnStartsUnformatted) {
  ServerMessages messages(aai::Host(host.raw()), renderer, true);

  messages.handle(turn_json(0, "first", true, false));
  messages.handle(turn_json(1, "second", false, false));

  const std::vector<std::string> expected = {"partial first", "final first", "partial second"};
  EXPECT_EQ(renderer.calls, expected);
}

TEST_F(ServerMessagesTest, FinalisesHeldTurnAtTermination) {
  ServerMessages messages(aai::Host(host.raw()), renderer, true);

  messages.handle(turn_json(3, "last words", true, false));
  messages.handle(kTermination);

  const std::vector<std::string> expected = {"partial last words", "final last words",
                                             "termination 1"};
  EXPECT_EQ(renderer.calls, expected);
}

TEST_F(ServerMessagesTest, PrefixesSpeakerLabel) {
  ServerMessages messages(aai::Host(host.raw()), renderer, true);

  messages.handle(turn_json(0, "Hi.", true, true, "B"));

  const std::vector<std::string> expected = {"final Speaker B: Hi."};
  EXPECT_EQ(renderer.calls, expected);
}

TEST_F(ServerMessagesTest, StoresServerError) {
  ServerMessages messages(aai::Host(host.raw()), renderer, true);

  messages.handle(
      R"({"type":"Error","error_code":3007,"error":"Input duration violation: 20 ms"})");

  ASSERT_TRUE(messages.error());
  EXPECT_EQ(messages.error()->code, 3007);
  EXPECT_EQ(messages.error()->message, "Input duration violation: 20 ms");
}

TEST_F(ServerMessagesTest, SkipsMalformedAndUnknownMessages) {
  ServerMessages messages(aai::Host(host.raw()), renderer, true);

  messages.handle("not json");
  messages.handle(R"({"type":"SpeechStarted"})");
  messages.handle(R"({"type":"Turn","turn_order":"zero"})");

  EXPECT_TRUE(renderer.calls.empty());
  EXPECT_EQ(host.log_lines.size(), 3u);
}

}  // namespace
}  // namespace streaming::testing
