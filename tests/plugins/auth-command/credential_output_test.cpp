#include "credential_output.hpp"

#include <gtest/gtest.h>

#include <chrono>

using auth_command::OutputError;
using auth_command::parse_command_output;
using auth_command::parse_rfc3339;

namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

constexpr auto kDecember4 = sys_days(std::chrono::year(2026) / 12 / 4);

TEST(CredentialOutputTest, ReadsBareKeyWithoutSurroundingWhitespace) {
  const auto parsed = parse_command_output("  abc123_-.:=+/\n");

  ASSERT_TRUE(parsed.credential.has_value());
  EXPECT_EQ(parsed.credential->api_key, "abc123_-.:=+/");
  EXPECT_FALSE(parsed.credential->expires_at.has_value());
}

TEST(CredentialOutputTest, RejectsUnusableBareOutput) {
  for (const char* output :
       {"", " \n", "two words\n", "line1\nline2\n", "tab\tinside", "k\x01y", "caf\xc3\xa9"}) {
    const auto parsed = parse_command_output(output);

    EXPECT_FALSE(parsed.credential.has_value()) << output;
    EXPECT_EQ(parsed.error, OutputError::kNotACredential) << output;
  }
}

TEST(CredentialOutputTest, ReadsJsonKey) {
  const auto parsed = parse_command_output("{\"api_key\": \" k1 \", \"other\": 3}\n");

  ASSERT_TRUE(parsed.credential.has_value());
  EXPECT_EQ(parsed.credential->api_key, "k1");
  EXPECT_FALSE(parsed.credential->expires_at.has_value());
}

TEST(CredentialOutputTest, ReadsJsonExpiry) {
  const auto parsed =
      parse_command_output(R"({"api_key": "k1", "expires_at": "2026-12-04T20:00:00Z"})");

  ASSERT_TRUE(parsed.credential.has_value());
  ASSERT_TRUE(parsed.credential->expires_at.has_value());
  EXPECT_EQ(*parsed.credential->expires_at, kDecember4 + 20h);
}

TEST(CredentialOutputTest, TreatsNullExpiryAsNone) {
  const auto parsed = parse_command_output(R"({"api_key": "k1", "expires_at": null})");

  ASSERT_TRUE(parsed.credential.has_value());
  EXPECT_FALSE(parsed.credential->expires_at.has_value());
}

TEST(CredentialOutputTest, RejectsJsonWithoutUsableKey) {
  for (const char* output :
       {"{}", R"({"api_key": 5})", R"({"api_key": ""})", R"({"api_key": "a b"})",
        R"({"key": "k1"})", R"({"api_key": "k1")", "[\"k1\"]", "{\"api_key\": \"k1\"} trailing"}) {
    const auto parsed = parse_command_output(output);

    EXPECT_FALSE(parsed.credential.has_value()) << output;
    EXPECT_EQ(parsed.error, OutputError::kNotACredential) << output;
  }
}

TEST(CredentialOutputTest, RejectsInvalidExpiry) {
  for (const char* output : {R"({"api_key": "k1", "expires_at": "tomorrow"})",
                             R"({"api_key": "k1", "expires_at": 1796414400})",
                             R"({"api_key": "k1", "expires_at": "2026-12-04T20:00:00"})"}) {
    const auto parsed = parse_command_output(output);

    EXPECT_FALSE(parsed.credential.has_value()) << output;
    EXPECT_EQ(parsed.error, OutputError::kInvalidExpiry) << output;
  }
}

TEST(Rfc3339Test, AppliesUtcOffset) {
  EXPECT_EQ(parse_rfc3339("2026-12-04T21:30:00+01:30"), kDecember4 + 20h);
  EXPECT_EQ(parse_rfc3339("2026-12-04T15:00:00-05:00"), kDecember4 + 20h);
  EXPECT_EQ(parse_rfc3339("2026-12-04t20:00:00z"), kDecember4 + 20h);
}

TEST(Rfc3339Test, IgnoresFractionOfSecond) {
  EXPECT_EQ(parse_rfc3339("2026-12-04T20:00:00.999Z"), kDecember4 + 20h);
  EXPECT_EQ(parse_rfc3339("2026-12-04 20:00:01.5Z"), kDecember4 + 20h + 1s);
}

TEST(Rfc3339Test, ReadsEpoch) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), std::chrono::system_clock::time_point{});
}

TEST(Rfc3339Test, RejectsMalformedTimes) {
  for (const char* text :
       {"", "2026-12-04", "2026-12-04T20:00Z", "2026-02-30T20:00:00Z", "2026-13-01T20:00:00Z",
        "2026-12-04T24:00:00Z", "2026-12-04T20:60:00Z", "2026-12-04T20:00:61Z",
        "2026-12-04T20:00:00.Z", "2026-12-04T20:00:00+0100", "2026-12-04T20:00:00+01:00 ",
        "+2026-12-04T20:00:00Z", "2026-12-04T20:00:00+24:00"}) {
    EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
  }
}

}  // namespace
