#include "turn_renderer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fake_host.hpp"

namespace streaming {
namespace {

Turn make_turn(int order, std::string text, bool end_of_turn, bool formatted,
               std::optional<std::string> speaker = std::nullopt) {
  Turn turn;
  turn.turn_order = order;
  turn.transcript = std::move(text);
  turn.end_of_turn = end_of_turn;
  turn.turn_is_formatted = formatted;
  turn.speaker = std::move(speaker);
  return turn;
}

TEST(TurnRendererTest, TerminalRedrawsPartialsInPlace) {
  aai::testing::FakeHost host;
  TerminalRenderer renderer(aai::Host(host.raw()), 80);

  renderer.partial(make_turn(0, "hel", false, false));
  renderer.partial(make_turn(0, "hello", false, false));
  renderer.final_turn(make_turn(0, "Hello.", true, true));
  renderer.partial(make_turn(1, "bye", false, false));
  renderer.finish();

  EXPECT_EQ(host.stdout_text, "\r\x1b[Khel\r\x1b[Khello\r\x1b[KHello.\n\r\x1b[Kbye\r\x1b[K");
}

TEST(TurnRendererTest, TerminalShowsEndOfLongPartial) {
  aai::testing::FakeHost host;
  TerminalRenderer renderer(aai::Host(host.raw()), 6);

  renderer.partial(make_turn(0, "one two three", false, false));

  EXPECT_EQ(host.stdout_text, "\r\x1b[Kthree");
}

TEST(TurnRendererTest, TerminalClearsPartialOfEmptyFinalTurn) {
  aai::testing::FakeHost host;
  TerminalRenderer renderer(aai::Host(host.raw()), 80);

  renderer.partial(make_turn(0, "um", false, false));
  renderer.final_turn(make_turn(0, "", true, true));

  EXPECT_EQ(host.stdout_text, "\r\x1b[Kum\r\x1b[K");
}

TEST(TurnRendererTest, TextPrintsOnlyNonEmptyFinalTurns) {
  aai::testing::FakeHost host;
  TextRenderer renderer(aai::Host(host.raw()));

  renderer.partial(make_turn(0, "hel", false, false));
  renderer.final_turn(make_turn(0, "Hello.", true, true, "A"));
  renderer.final_turn(make_turn(1, "", true, true));
  renderer.final_turn(make_turn(2, "Bye.", true, true));

  EXPECT_EQ(host.stdout_text, "Speaker A: Hello.\nBye.\n");
}

TEST(TurnRendererTest, JsonPrintsEventsWithPartials) {
  aai::testing::FakeHost host;
  JsonRenderer renderer(aai::Host(host.raw()));
  Turn final_turn = make_turn(0, "Hello.", true, true, "A");
  final_turn.words = nlohmann::json::parse(
      R"([{"text":"Hello.","start":100,"end":400,"confidence":0.9,"word_is_final":true}])");

  renderer.begin("session-1", 1700000000);
  renderer.partial(make_turn(0, "hello", false, false));
  renderer.partial(make_turn(0, "hello", true, false));
  renderer.final_turn(final_turn);
  renderer.termination(1.5, 2.25);

  EXPECT_EQ(
      host.stdout_text,
      R"({"expires_at":1700000000,"id":"session-1","type":"begin"})"
      "\n"
      R"({"end_of_turn":false,"transcript":"hello","turn_is_formatted":false,"turn_order":0,"type":"turn","words":[]})"
      "\n"
      R"({"end_of_turn":true,"speaker":"A","transcript":"Hello.","turn_is_formatted":true,"turn_order":0,"type":"turn","words":[{"confidence":0.9,"end":400,"start":100,"text":"Hello.","word_is_final":true}]})"
      "\n"
      R"({"audio_duration_seconds":1.5,"session_duration_seconds":2.25,"type":"termination"})"
      "\n");
}

TEST(TurnRendererTest, TranscriptFileGetsFinalLines) {
  aai::testing::FakeHost host;
  const auto path = std::filesystem::temp_directory_path() / "aai-stream-transcript-test.txt";
  {
    TranscriptFileRenderer renderer(aai::Host(host.raw()), path.string());
    renderer.final_turn(make_turn(0, "Hello.", true, true, "A"));
    renderer.final_turn(make_turn(1, "", true, true));

    // Each line is flushed at once, so the file is complete while the session still runs.
    std::ifstream during(path);
    std::stringstream content;
    content << during.rdbuf();
    EXPECT_EQ(content.str(), "Speaker A: Hello.\n");
  }
  std::filesystem::remove(path);
}

TEST(TurnRendererTest, TranscriptFileRejectsUnwritablePath) {
  aai::testing::FakeHost host;

  try {
    TranscriptFileRenderer renderer(aai::Host(host.raw()), "/proc/aai-no-such-file");
    FAIL() << "expected an error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), AAI_EXIT_USAGE);
    EXPECT_EQ(error.type(), "save_transcript_path");
    EXPECT_EQ(std::string(error.what()),
              "Could not create --save-transcript file '/proc/aai-no-such-file': No such file or "
              "directory.");
  }
}

}  // namespace
}  // namespace streaming
