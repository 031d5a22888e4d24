#include <gtest/gtest.h>

#include "poll_schedule.hpp"

using std::chrono::milliseconds;
using transcribe::PollSchedule;

namespace {

const PollSchedule::Clock::time_point kStart{};

TEST(PollSchedule, FirstPollAfterInitialDelay) {
  PollSchedule schedule;
  schedule.add("t1", kStart);

  EXPECT_TRUE(schedule.take_due(kStart + milliseconds(499)).empty());
  EXPECT_EQ(schedule.take_due(kStart + milliseconds(500)), std::vector<std::string>{"t1"});
  EXPECT_EQ(schedule.size(), 0u);
}

TEST(PollSchedule, EachTranscriptBacksOffOnItsOwn) {
  PollSchedule schedule;
  schedule.add("old", kStart);
  ASSERT_EQ(schedule.take_due(kStart + milliseconds(500)), std::vector<std::string>{"old"});
  schedule.reschedule("old", kStart + milliseconds(500));  // Second delay: 750 ms.
  schedule.add("new", kStart + milliseconds(600));         // First delay: 500 ms.

  EXPECT_EQ(*schedule.next_due(), kStart + milliseconds(1100));
  EXPECT_EQ(schedule.take_due(kStart + milliseconds(1100)), std::vector<std::string>{"new"});
  EXPECT_EQ(schedule.take_due(kStart + milliseconds(1250)), std::vector<std::string>{"old"});
}

TEST(PollSchedule, DelayGrowsToMaximum) {
  PollSchedule schedule(milliseconds(10), milliseconds(20));
  schedule.add("t1", kStart);
  std::vector<long long> delays;
  auto now = kStart;
  for (int i = 0; i < 4; ++i) {
    const auto due = *schedule.next_due();
    delays.push_back(std::chrono::duration_cast<milliseconds>(due - now).count());
    now = due;
    schedule.take_due(now);
    schedule.reschedule("t1", now);
  }

  EXPECT_EQ(delays, (std::vector<long long>{10, 15, 20, 20}));
}

TEST(PollSchedule, RemoveForgetsTranscript) {
  PollSchedule schedule;
  schedule.add("t1", kStart);
  schedule.add("t2", kStart);

  schedule.remove("t1");

  EXPECT_EQ(schedule.take_due(kStart + milliseconds(500)), std::vector<std::string>{"t2"});
  EXPECT_FALSE(schedule.next_due().has_value());
}

}  // namespace
