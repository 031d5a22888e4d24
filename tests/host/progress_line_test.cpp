#include "progress_line.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace aai::host {
namespace {

using namespace std::chrono_literals;

// A progress line on a string stream with a clock the test moves by hand.
class ProgressLineTest : public ::testing::Test {
 protected:
  ProgressLine::Clock::time_point now_{};
  std::ostringstream screen_;
  ProgressLine line_{screen_, true, [this] { return now_; }};

  std::string take_screen() {
    std::string text = screen_.str();
    screen_.str("");
    return text;
  }
};

TEST_F(ProgressLineTest, DrawsLabelSizesAndElapsedTime) {
  line_.update("Uploading", 1'200'000, 2'600'000);
  EXPECT_EQ(take_screen(), "\rUploading  46% (1.2 MB of 2.6 MB)  0s");
  now_ += 3s;
  line_.update("Uploading", 2'600'000, 2'600'000);
  EXPECT_EQ(take_screen(), "\rUploading  100% (2.6 MB of 2.6 MB)  3s");
}

TEST_F(ProgressLineTest, SkipsRedrawsWithinATenthOfASecond) {
  line_.update("Working", 0, 0);
  take_screen();
  now_ += 50ms;
  line_.update("Working", 0, 0);
  EXPECT_EQ(take_screen(), "");
  now_ += 60ms;
  line_.update("Working", 0, 0);
  EXPECT_EQ(take_screen(), "\rWorking  0s");
}

TEST_F(ProgressLineTest, PadsAShorterLineOverTheLongerOne) {
  line_.update("A longer label", 0, 0);
  take_screen();
  now_ += 1s;
  line_.update("Short", 0, 0);
  EXPECT_EQ(take_screen(), "\rShort  1s" + std::string(9, ' '));
}

TEST_F(ProgressLineTest, HiddenLineKeepsElapsedTime) {
  line_.update("Batch", 0, 0);
  now_ += 5s;
  line_.update("Batch", 0, 0);
  take_screen();
  line_.hide();
  EXPECT_EQ(take_screen(), "\r" + std::string(9, ' ') + "\r");
  now_ += 10ms;
  line_.update("Batch", 0, 0);
  EXPECT_EQ(take_screen(), "\rBatch  5s");
}

TEST_F(ProgressLineTest, ClearedLineStartsItsElapsedTimeAgain) {
  line_.update("Uploading", 0, 0);
  now_ += 7s;
  line_.update("Uploading", 0, 0);
  line_.clear();
  take_screen();
  now_ += 2s;
  line_.update("Transcribing", 0, 0);
  EXPECT_EQ(take_screen(), "\rTranscribing  0s");
}

TEST_F(ProgressLineTest, HideWithNothingDrawnWritesNothing) {
  line_.hide();
  line_.clear();
  EXPECT_EQ(take_screen(), "");
}

TEST(ProgressLineDisabledTest, WritesNothing) {
  std::ostringstream screen;
  ProgressLine line(screen, false);
  line.update("Uploading", 1, 2);
  line.hide();
  line.clear();
  EXPECT_EQ(screen.str(), "");
}

}  // namespace
}  // namespace aai::host
