#include "server/fault_injection.hpp"

#include <gtest/gtest.h>

namespace aai::local {
namespace {

std::string spec_error(const std::string& spec) {
  try {
    parse_fault_spec(spec);
  } catch (const FaultSpecError& error) {
    return error.what();
  }
  return "no error";
}

TEST(FaultInjectionTest, ParsesSeveralParts) {
  auto rules = parse_fault_spec("/v1/chat/completions=429x2,/v2/transcript=503x1");

  ASSERT_EQ(rules.size(), 2U);
  EXPECT_EQ(rules[0].path_prefix, "/v1/chat/completions");
  EXPECT_EQ(rules[0].status, 429U);
  EXPECT_EQ(rules[0].count, 2U);
  EXPECT_EQ(rules[1].path_prefix, "/v2/transcript");
  EXPECT_EQ(rules[1].status, 503U);
  EXPECT_EQ(rules[1].count, 1U);
}

TEST(FaultInjectionTest, RejectsBadParts) {
  EXPECT_EQ(spec_error(""),
            "--faults must not be empty; give PATH=STATUSxCOUNT, as in "
            "/v1/chat/completions=429x2.");
  EXPECT_EQ(spec_error("/v1=429x1,"), "--faults \"/v1=429x1,\" has an empty part between commas.");
  EXPECT_EQ(spec_error("/v1=429"),
            "--faults part \"/v1=429\" is not PATH=STATUSxCOUNT, as in "
            "/v1/chat/completions=429x2.");
  EXPECT_EQ(spec_error("v1=429x1"),
            "--faults part \"v1=429x1\" must start with a path such as /v1/chat/completions.");
  EXPECT_EQ(spec_error("/v1=200x1"),
            "--faults part \"/v1=200x1\" has a STATUS that is not an HTTP error status from 400 "
            "to 599.");
  EXPECT_EQ(spec_error("/v1=429x0"),
            "--faults part \"/v1=429x0\" has a COUNT that is not a number from 1 to 1000000.");
  EXPECT_EQ(spec_error("/v1=429xa"),
            "--faults part \"/v1=429xa\" has a COUNT that is not a number from 1 to 1000000.");
}

TEST(FaultInjectionTest, FailsFirstCountRequestsUnderPath) {
  FaultInjector faults(parse_fault_spec("/v1/chat=429x2"));

  auto first = faults.take("/v1/chat/completions");
  auto second = faults.take("/v1/chat/completions");
  auto third = faults.take("/v1/chat/completions");

  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 429U);
  EXPECT_EQ(first->body,
            R"({"error":{"code":429,"message":"HTTP 429 (Too Many Requests) injected by the )"
            R"(emulator's --faults option."}})");
  ASSERT_EQ(first->headers.size(), 1U);
  EXPECT_EQ(first->headers[0].first, "Retry-After");
  EXPECT_EQ(first->headers[0].second, "1");
  EXPECT_TRUE(second.has_value());
  EXPECT_FALSE(third.has_value());
  EXPECT_FALSE(faults.take("/v1/models").has_value());
}

TEST(FaultInjectionTest, UsesRestErrorShapeOutsideGateway) {
  FaultInjector faults(parse_fault_spec("/v2=500x1"));

  auto fault = faults.take("/v2/transcript");

  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->body,
            R"({"error":"HTTP 500 (Internal Server Error) injected by the emulator's --faults )"
            R"(option."})");
}

}  // namespace
}  // namespace aai::local
