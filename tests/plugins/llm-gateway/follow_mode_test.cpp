#include <gtest/gtest.h>

#include <string>

#include "llm_test_support.hpp"

namespace {

using nlohmann::json;

class FollowModeTest : public LlmPluginTest {
 protected:
  int follow(std::map<std::string, std::vector<std::string>> options = {},
             std::vector<std::string> arguments = {"When?"}) {
    options["follow"] = {"true"};
    return run(std::move(options), std::move(arguments));
  }
};

TEST_F(FollowModeTest, AnswersLinesThatArrivedTogetherOnce) {
  host_.json = true;
  set_stdin("The team met on Monday.\nThe review moved to Tuesday.\n");
  respond_answer("Tuesday.");

  ASSERT_EQ(follow(), 0);

  ASSERT_EQ(host_.requests.size(), 1u);
  EXPECT_EQ(sent_user(),
            "When?\n\nTranscript:\nThe team met on Monday.\nThe review moved to Tuesday.");
  const json line = json::parse(host_.stdout_text);
  EXPECT_EQ(line, json({{"type", "answer"}, {"turns", 2}, {"output", "Tuesday."}}));
}

TEST_F(FollowModeTest, CountsUnterminatedLastLine) {
  host_.json = true;
  set_stdin("only line");
  respond_answer("Ok.");

  ASSERT_EQ(follow(), 0);

  EXPECT_EQ(json::parse(host_.stdout_text)["turns"], 1);
}

TEST_F(FollowModeTest, FollowsPipedAnswerWithBlankLine) {
  set_stdin("a line\n");
  respond_answer("Answer.");

  ASSERT_EQ(follow(), 0);

  EXPECT_EQ(host_.stdout_text, "Answer.\n\n");
}

TEST_F(FollowModeTest, RedrawsOnTerminal) {
  host_.terminal_fds = {1};
  set_stdin("a line\n");
  respond_answer("Answer.");

  ASSERT_EQ(follow(), 0);

  EXPECT_EQ(host_.stdout_text, "\x1b[2J\x1b[H\x1b[2m1 line read\x1b[0m\nAnswer.\n");
}

TEST_F(FollowModeTest, RejectsEmptyInput) {
  EXPECT_EQ(follow(), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->type, "usage_error");
  EXPECT_EQ(failure_->message, "Standard input was empty: --follow needs lines to read.");
  EXPECT_EQ(failure_->suggestion, "");
}

TEST_F(FollowModeTest, RejectsTerminalInput) {
  host_.terminal_fds = {0};

  EXPECT_EQ(follow(), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "--follow reads standard input, which is a terminal.");
}

TEST_F(FollowModeTest, RejectsTranscriptId) {
  EXPECT_EQ(follow({{"transcript-id", {"abc"}}}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "--follow cannot be combined with --transcript-id.");
}

TEST_F(FollowModeTest, RejectsFiles) {
  EXPECT_EQ(follow({}, {"When?", "notes.txt"}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "--follow cannot be combined with files.");
}

TEST_F(FollowModeTest, RejectsTextOutput) {
  EXPECT_EQ(follow({{"output", {"text"}}}), 2);

  ASSERT_TRUE(failure_);
  EXPECT_EQ(failure_->message, "--follow cannot be combined with -o text.");
}

TEST_F(FollowModeTest, ExitsOnInterrupt) {
  host_.interrupt_on_check = 1;
  set_stdin("a line\n");

  EXPECT_EQ(follow(), 130);

  EXPECT_TRUE(host_.requests.empty());
}

}  // namespace
