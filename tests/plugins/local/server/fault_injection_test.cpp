#include "server/fault_injection.hpp"

#include <algorithm>
#include <vector>

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

TEST(FaultInjectionTest, ParsesEveryRuleForm) {
  auto rules = parse_fault_spec(
      "/v2/transcript=503@12.5%,/v2/upload=reset@5%,GET /v2/transcript/=reset@100%,"
      "/v2=delay:250,transcripts=error@0.1%");

  ASSERT_EQ(rules.size(), 5U);
  EXPECT_EQ(rules[0].kind, FaultRule::Kind::status_chance);
  EXPECT_EQ(rules[0].path_prefix, "/v2/transcript");
  EXPECT_EQ(rules[0].status, 503U);
  EXPECT_DOUBLE_EQ(rules[0].percent, 12.5);
  EXPECT_EQ(rules[1].kind, FaultRule::Kind::reset);
  EXPECT_EQ(rules[1].method, "");
  EXPECT_DOUBLE_EQ(rules[1].percent, 5.0);
  EXPECT_EQ(rules[2].kind, FaultRule::Kind::reset);
  EXPECT_EQ(rules[2].method, "GET");
  EXPECT_EQ(rules[2].path_prefix, "/v2/transcript/");
  EXPECT_DOUBLE_EQ(rules[2].percent, 100.0);
  EXPECT_EQ(rules[3].kind, FaultRule::Kind::delay);
  EXPECT_EQ(rules[3].delay.count(), 250);
  EXPECT_EQ(rules[4].kind, FaultRule::Kind::transcript_error);
  EXPECT_DOUBLE_EQ(rules[4].percent, 0.1);
}

const char* const kForms =
    "[METHOD ]PATH=RULE with RULE one of STATUSxCOUNT, STATUS@P%, reset@P% or delay:MS, or "
    "transcripts=error@P%, as in /v2/transcript=503x2.";

TEST(FaultInjectionTest, RejectsBadParts) {
  EXPECT_EQ(spec_error(""), std::string("--faults must not be empty; give ") + kForms);
  EXPECT_EQ(spec_error("/v1=429x1,"), "--faults \"/v1=429x1,\" has an empty part between commas.");
  EXPECT_EQ(spec_error("/v1=429"), std::string("--faults part \"/v1=429\" is not ") + kForms);
  EXPECT_EQ(spec_error("/v1"), std::string("--faults part \"/v1\" is not ") + kForms);
  EXPECT_EQ(spec_error("v1=429x1"),
            "--faults part \"v1=429x1\" must start with a path such as /v1/chat/completions.");
  EXPECT_EQ(spec_error("/v1=200x1"),
            "--faults part \"/v1=200x1\" has a STATUS that is not an HTTP error status from 400 "
            "to 599.");
  EXPECT_EQ(spec_error("/v1=600@5%"),
            "--faults part \"/v1=600@5%\" has a STATUS that is not an HTTP error status from 400 "
            "to 599.");
  EXPECT_EQ(spec_error("/v1=429x0"),
            "--faults part \"/v1=429x0\" has a COUNT that is not a number from 1 to 1000000.");
  EXPECT_EQ(spec_error("/v1=429xa"),
            "--faults part \"/v1=429xa\" has a COUNT that is not a number from 1 to 1000000.");
}

TEST(FaultInjectionTest, RejectsBadProbabilities) {
  const std::string tail =
      "\" has a probability that is not a percentage above 0 and at most 100, such as 5% or "
      "0.5%.";
  for (const char* part :
       {"/v2=503@0%", "/v2=503@100.1%", "/v2=503@5", "/v2=503@%", "/v2=reset@-1%", "/v2=reset@1e2%",
        "/v2=reset@.5%", "/v2=reset@5.%", "/v2=reset@1.2.3%", "/v2=reset@nan%"}) {
    EXPECT_EQ(spec_error(part), "--faults part \"" + std::string(part) + tail) << part;
  }
}

TEST(FaultInjectionTest, RejectsBadDelaysAndTranscriptRules) {
  EXPECT_EQ(spec_error("/v2=delay:0"),
            "--faults part \"/v2=delay:0\" has a delay that is not a number of milliseconds from "
            "1 to 60000.");
  EXPECT_EQ(spec_error("/v2=delay:60001"),
            "--faults part \"/v2=delay:60001\" has a delay that is not a number of milliseconds "
            "from 1 to 60000.");
  EXPECT_EQ(spec_error("/v2=delay:1s"),
            "--faults part \"/v2=delay:1s\" has a delay that is not a number of milliseconds "
            "from 1 to 60000.");
  EXPECT_EQ(spec_error("transcripts=503@5%"),
            "--faults part \"transcripts=503@5%\" is not transcripts=error@P% with P above 0 and "
            "at most 100, as in transcripts=error@10%.");
  EXPECT_EQ(spec_error("transcripts=error@0%"),
            "--faults part \"transcripts=error@0%\" is not transcripts=error@P% with P above 0 "
            "and at most 100, as in transcripts=error@10%.");
  EXPECT_EQ(spec_error("/v2/transcript=error@5%"),
            "--faults part \"/v2/transcript=error@5%\" uses error@P%, which applies only to "
            "transcripts, as in transcripts=error@10%.");
}

TEST(FaultInjectionTest, RejectsBadMethods) {
  EXPECT_EQ(spec_error("get /v2=reset@5%"),
            "--faults part \"get /v2=reset@5%\" has the method \"get\"; write an upper-case HTTP "
            "method, one space and the path, as in GET /v2/transcript/=reset@5%.");
  EXPECT_EQ(spec_error(" /v2=reset@5%"),
            "--faults part \" /v2=reset@5%\" has the method \"\"; write an upper-case HTTP "
            "method, one space and the path, as in GET /v2/transcript/=reset@5%.");
  EXPECT_EQ(spec_error("GET  /v2=reset@5%"),
            "--faults part \"GET  /v2=reset@5%\" must start with a path such as "
            "/v1/chat/completions.");
  EXPECT_EQ(spec_error("GET transcripts=error@5%"),
            "--faults part \"GET transcripts=error@5%\" must start with a path such as "
            "/v1/chat/completions.");
}

TEST(FaultInjectionTest, DescribesRules) {
  auto rules = parse_fault_spec(
      "/v2=503x2,POST /v2/upload=429@2.5%,/v2/upload=reset@5%,/v2=delay:30,transcripts=error@1%");

  EXPECT_EQ(describe_fault_rule(rules[0]), "the first 2 requests under /v2 get HTTP 503");
  EXPECT_EQ(describe_fault_rule(rules[1]), "2.5% of requests under POST /v2/upload get HTTP 429");
  EXPECT_EQ(describe_fault_rule(rules[2]),
            "5% of requests under /v2/upload have their connection reset");
  EXPECT_EQ(describe_fault_rule(rules[3]), "requests under /v2 are answered 30 ms later");
  EXPECT_EQ(describe_fault_rule(rules[4]), "1% of new transcripts end in error");
}

TEST(FaultInjectionTest, FailsFirstCountRequestsUnderPath) {
  FaultInjector faults(parse_fault_spec("/v1/chat=429x2"));

  auto first = faults.take("POST", "/v1/chat/completions");
  auto second = faults.take("POST", "/v1/chat/completions");
  auto third = faults.take("POST", "/v1/chat/completions");

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
  EXPECT_FALSE(faults.take("GET", "/v1/models").has_value());
}

TEST(FaultInjectionTest, UsesRestErrorShapeOutsideGateway) {
  FaultInjector faults(parse_fault_spec("/v2=500x1"));

  auto fault = faults.take("POST", "/v2/transcript");

  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->body,
            R"({"error":"HTTP 500 (Internal Server Error) injected by the emulator's --faults )"
            R"(option."})");
}

// Counts how many of `trials` decisions fire.
template <typename Decide>
int count_fired(int trials, Decide decide) {
  int fired = 0;
  for (int i = 0; i < trials; ++i) {
    fired += decide() ? 1 : 0;
  }
  return fired;
}

TEST(FaultInjectionTest, FailsShareOfRequestsWithSeed) {
  FaultInjector faults(parse_fault_spec("/v2/transcript=503@25%"), 42);
  FaultInjector same_seed(parse_fault_spec("/v2/transcript=503@25%"), 42);

  std::vector<bool> first_run;
  std::vector<bool> second_run;
  for (int i = 0; i < 2000; ++i) {
    first_run.push_back(faults.take("GET", "/v2/transcript/abc").has_value());
    second_run.push_back(same_seed.take("GET", "/v2/transcript/abc").has_value());
  }
  int fired = static_cast<int>(std::count(first_run.begin(), first_run.end(), true));

  EXPECT_EQ(first_run, second_run);
  EXPECT_GT(fired, 400);
  EXPECT_LT(fired, 600);
  EXPECT_EQ(faults.counts().at("status"), static_cast<uint64_t>(fired));
  EXPECT_FALSE(faults.take("GET", "/v2/upload").has_value());
}

TEST(FaultInjectionTest, AddsRetryAfterToChanceFaults) {
  FaultInjector faults(parse_fault_spec("/v2=503@100%"), 1);

  auto fault = faults.take("GET", "/v2/transcript/abc");

  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->status, 503U);
  ASSERT_EQ(fault->headers.size(), 1U);
  EXPECT_EQ(fault->headers[0].first, "Retry-After");
  EXPECT_EQ(fault->headers[0].second, "1");
}

TEST(FaultInjectionTest, LimitsRulesToMethod) {
  FaultInjector faults(parse_fault_spec("GET /v2/transcript/=reset@100%"), 7);

  EXPECT_TRUE(faults.connection_fault("GET", "/v2/transcript/abc").reset);
  EXPECT_FALSE(faults.connection_fault("DELETE", "/v2/transcript/abc").reset);
  EXPECT_FALSE(faults.connection_fault("POST", "/v2/transcript").reset);
  EXPECT_FALSE(faults.connection_fault("GET", "/v2/transcript").reset);
  EXPECT_EQ(faults.counts().at("reset"), 1U);
}

TEST(FaultInjectionTest, ResetsShareOfConnectionsWithSeed) {
  FaultInjector faults(parse_fault_spec("/v2/upload=reset@10%"), 3);

  int fired =
      count_fired(2000, [&] { return faults.connection_fault("POST", "/v2/upload").reset; });

  EXPECT_GT(fired, 140);
  EXPECT_LT(fired, 260);
}

TEST(FaultInjectionTest, AddsDelaysOfEveryMatchingRule) {
  FaultInjector faults(parse_fault_spec("/v2=delay:100,/v2/transcript=delay:20,/v1=delay:5"), 0);

  EXPECT_EQ(faults.connection_fault("GET", "/v2/transcript/abc").delay.count(), 120);
  EXPECT_EQ(faults.connection_fault("POST", "/v2/upload").delay.count(), 100);
  EXPECT_EQ(faults.connection_fault("GET", "/v3/token").delay.count(), 0);
  EXPECT_FALSE(faults.connection_fault("GET", "/v2/transcript/abc").reset);
  EXPECT_EQ(faults.counts().at("delay"), 3U);
}

TEST(FaultInjectionTest, FailsShareOfTranscriptsWithSeed) {
  FaultInjector faults(parse_fault_spec("transcripts=error@50%"), 11);
  FaultInjector none(parse_fault_spec("/v2=503x1"), 11);

  int fired = count_fired(1000, [&] { return faults.fail_transcript(); });

  EXPECT_GT(fired, 420);
  EXPECT_LT(fired, 580);
  EXPECT_EQ(faults.counts().at("transcript_error"), static_cast<uint64_t>(fired));
  EXPECT_FALSE(none.fail_transcript());
}

TEST(FaultInjectionTest, AppliesStatusRulesInOrder) {
  FaultInjector faults(parse_fault_spec("/v2/transcript=429x1,/v2=503@100%"), 5);

  auto first = faults.take("POST", "/v2/transcript");
  auto second = faults.take("POST", "/v2/transcript");

  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->status, 429U);
  EXPECT_EQ(second->status, 503U);
}

}  // namespace
}  // namespace aai::local
