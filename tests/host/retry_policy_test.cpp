#include "retry_policy.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryPolicyTest, RetriesBusyAndServerErrorsOnly) {
  for (int status : {429, 500, 502, 503, 504}) {
    EXPECT_TRUE(is_retryable_status(status)) << status;
  }
  for (int status : {200, 400, 401, 403, 404, 501}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(RetryPolicyTest, ReadsRetryAfterSeconds) {
  EXPECT_EQ(parse_retry_after("3"), milliseconds(3000));
  EXPECT_EQ(parse_retry_after(" 0 "), milliseconds(0));
}

TEST(RetryPolicyTest, ReadsRetryAfterDate) {
  const auto now = std::chrono::system_clock::from_time_t(1764900000);  // 2025-12-05 02:00:00 UTC
  EXPECT_EQ(parse_retry_after("Fri, 05 Dec 2025 02:00:07 GMT", now), milliseconds(7000));
  EXPECT_EQ(parse_retry_after("Fri, 05 Dec 2025 01:00:00 GMT", now), milliseconds(0));
}

TEST(RetryPolicyTest, IgnoresUnreadableRetryAfter) {
  EXPECT_EQ(parse_retry_after(""), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1"), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon"), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5"), std::nullopt);
}

TEST(RetryPolicyTest, HonoursRetryAfterUpToAMinute) {
  EXPECT_EQ(retry_delay(0, milliseconds(2000), 0.9), milliseconds(2000));
  EXPECT_EQ(retry_delay(0, seconds(3600), 0.0), seconds(60));
}

TEST(RetryPolicyTest, DoublesTheBackoffUpToThirtySeconds) {
  EXPECT_EQ(retry_delay(0, std::nullopt, 0.0), seconds(1));
  EXPECT_EQ(retry_delay(1, std::nullopt, 0.0), seconds(2));
  EXPECT_EQ(retry_delay(2, std::nullopt, 0.0), seconds(4));
  EXPECT_EQ(retry_delay(5, std::nullopt, 0.0), seconds(30));
  EXPECT_EQ(retry_delay(40, std::nullopt, 0.0), seconds(30));
}

TEST(RetryPolicyTest, AddsAtMostAQuarterAsJitter) {
  EXPECT_EQ(retry_delay(1, std::nullopt, 1.0), milliseconds(2500));
  EXPECT_EQ(retry_delay(1, std::nullopt, 0.5), milliseconds(2250));
}

}  // namespace
}  // namespace aai::host
