#include "gateway_errors.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

std::string error_body(int code, const std::string& message) {
  return "{\"error\":{\"code\":" + std::to_string(code) + ",\"message\":\"" + message + "\"}}";
}

constexpr const char* kPlanMessage =
    "Your organization's plan does not include LLM Gateway access. Upgrade to a paid plan to use "
    "it.";

TEST(GatewayErrorsTest, ReadsNestedErrorMessage) {
  EXPECT_EQ(aai::llm::gateway_message(error_body(400, "Bad thing.")), "Bad thing.");
}

TEST(GatewayErrorsTest, ReadsErrorString) {
  EXPECT_EQ(aai::llm::gateway_message("{\"error\":\"Authentication error\"}"),
            "Authentication error");
}

TEST(GatewayErrorsTest, ReadsTopLevelMessage) {
  EXPECT_EQ(aai::llm::gateway_message("{\"message\":\"Forbidden\"}"), "Forbidden");
}

TEST(GatewayErrorsTest, QuotesStartOfNonJsonBody) {
  const std::string body = "<html>" + std::string(300, 'x') + "</html>";

  const std::string message = aai::llm::gateway_message(body);

  EXPECT_EQ(message, body.substr(0, 200));
}

TEST(GatewayErrorsTest, KeepsUtf8SequencesWhole) {
  // 199 ASCII bytes, then a two-byte character that would straddle the 200-byte cut.
  const std::string body = std::string(199, 'a') + "\xC3\xA9" + "tail";

  EXPECT_EQ(aai::llm::gateway_message(body), std::string(199, 'a'));
}

TEST(GatewayErrorsTest, SaysNoMessageForEmptyBody) {
  EXPECT_EQ(aai::llm::gateway_message(""), "no message");
  EXPECT_EQ(aai::llm::gateway_message(" \n"), "no message");
}

TEST(GatewayErrorsTest, MapsRefusedPlanTo403ApiError) {
  const aai::Error error = aai::llm::gateway_error(403, error_body(403, kPlanMessage), 4);

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_EQ(std::string(error.what()),
            std::string("The LLM Gateway refused the request (HTTP 403): ") + kPlanMessage);
  EXPECT_EQ(error.suggestion(),
            "LLM Gateway access comes with a paid AssemblyAI plan; check your plan in the "
            "AssemblyAI dashboard.");
}

TEST(GatewayErrorsTest, MapsPlanWordingIn401ToApiError) {
  const aai::Error error =
      aai::llm::gateway_error(401, error_body(401, "No active SUBSCRIPTION found."), 4);

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_EQ(std::string(error.what()),
            "The LLM Gateway refused the request (HTTP 401): No active SUBSCRIPTION found.");
}

TEST(GatewayErrorsTest, MapsOther401ToNotAuthenticated) {
  const aai::Error error = aai::llm::gateway_error(401, error_body(401, "Invalid API key."), 4);

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_EQ(std::string(error.what()), "Your API key was rejected by the LLM Gateway.");
  EXPECT_EQ(error.suggestion(), "Check the key, or run `aai login` to get a new one.");
}

TEST(GatewayErrorsTest, MapsOther403ToProxyHint) {
  const aai::Error error = aai::llm::gateway_error(403, "Forbidden", 4);

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_EQ(std::string(error.what()), "The LLM Gateway refused the request (HTTP 403): Forbidden");
  EXPECT_EQ(error.suggestion(),
            "Check that nothing between you and the gateway (a proxy or firewall) blocks it.");
}

TEST(GatewayErrorsTest, MapsRetriedStatusesToBusy) {
  for (int status : {429, 500, 502, 503, 504}) {
    const aai::Error error = aai::llm::gateway_error(status, error_body(status, "Slow down."), 4);

    EXPECT_EQ(error.exit_code(), 1) << status;
    EXPECT_EQ(error.type(), "api_error") << status;
    EXPECT_EQ(std::string(error.what()), "The LLM Gateway answered HTTP " + std::to_string(status) +
                                             " after 4 attempts: Slow down.")
        << status;
    EXPECT_EQ(error.suggestion(), "The gateway is busy; wait a minute and try again.") << status;
  }
}

TEST(GatewayErrorsTest, MapsUnknownModelWithListHint) {
  const aai::Error error = aai::llm::gateway_error(
      400, error_body(400, "Model 'nope' is not available. GET /v1/models lists the models."), 4);

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_EQ(std::string(error.what()),
            "The LLM Gateway rejected the request (HTTP 400): Model 'nope' is not available. GET "
            "/v1/models lists the models.");
  EXPECT_EQ(error.suggestion(), "`aai llm --list-models` lists the known models.");
}

TEST(GatewayErrorsTest, MapsOtherStatusToRejected) {
  const aai::Error error =
      aai::llm::gateway_error(404, error_body(404, "Transcript 'abc' was not found."), 4);

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_EQ(std::string(error.what()),
            "The LLM Gateway rejected the request (HTTP 404): Transcript 'abc' was not found.");
  EXPECT_EQ(error.suggestion(), "");
}

TEST(GatewayErrorsTest, MapsEmptyBodyToNoMessage) {
  const aai::Error error = aai::llm::gateway_error(400, "", 4);

  EXPECT_EQ(std::string(error.what()),
            "The LLM Gateway rejected the request (HTTP 400): no message");
}

TEST(GatewayErrorsTest, WordsUnreadableAndCutAnswers) {
  EXPECT_EQ(std::string(aai::llm::unreadable_answer("it has no choices").what()),
            "The LLM Gateway's answer could not be read: it has no choices.");
  const aai::Error cut = aai::llm::stream_cut_error();
  EXPECT_EQ(cut.exit_code(), 1);
  EXPECT_EQ(cut.type(), "api_error");
  EXPECT_EQ(std::string(cut.what()),
            "The LLM Gateway's streamed answer stopped before it was complete.");
}

}  // namespace
