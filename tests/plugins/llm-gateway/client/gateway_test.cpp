#include <aai_llm/gateway.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_host.hpp"

namespace {

constexpr const char* kGatewayBase = "http://127.0.0.1:9/v1";

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.add_environment("production",
                          {{"api_base", "http://127.0.0.1:9"}, {"llm_gateway_base", kGatewayBase}});
  }

  void respond(int status, std::string body, std::string content_type = "application/json") {
    aai::testing::ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers["content-type"] = std::move(content_type);
    fake_.responses.push_back(std::move(response));
  }

  aai::Error error_of(const aai::llm::ChatRequest& request) {
    try {
      gateway_.complete(request);
    } catch (const aai::Error& error) {
      return error;
    }
    return aai::Error(0, "none", "no error");
  }

  aai::testing::FakeHost fake_;
  aai::Host host_{fake_.raw()};
  aai::llm::Gateway gateway_{host_};
};

const std::string kWholeAnswer =
    "{\"request_id\":\"r1\",\"model\":\"aai-local-extractive\",\"choices\":[{\"index\":0,"
    "\"message\":{\"role\":\"assistant\",\"content\":\"It moved to Tuesday.\"},"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"input_tokens\":12,\"output_tokens\":5,"
    "\"total_tokens\":17},\"http_status_code\":200}";

TEST_F(GatewayTest, PostsBodyToChatCompletions) {
  respond(200, kWholeAnswer);
  aai::llm::ChatRequest request;
  request.user = aai::llm::text_prompt("When?", "It moved to Tuesday.");

  const aai::llm::ChatResult result = gateway_.complete(request);

  ASSERT_EQ(fake_.requests.size(), 1u);
  EXPECT_EQ(fake_.requests[0].method, "POST");
  EXPECT_EQ(fake_.requests[0].url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_EQ(nlohmann::json::parse(fake_.requests[0].body), aai::llm::build_body(request));
  EXPECT_EQ(result.output, "It moved to Tuesday.");
  EXPECT_EQ(result.model, "aai-local-extractive");
  EXPECT_EQ(result.usage["input_tokens"], 12);
}

TEST_F(GatewayTest, NeverSetsAuthorizationItself) {
  respond(200, kWholeAnswer);

  gateway_.complete(aai::llm::ChatRequest{});

  for (const auto& [name, value] : fake_.requests[0].headers) {
    EXPECT_NE(name, "Authorization");
  }
}

TEST_F(GatewayTest, StreamsPiecesWhenAsked) {
  respond(200,
          ": aai local emulator\n\n"
          "data: {\"model\":\"gpt-5\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi \"},"
          "\"finish_reason\":null}]}\n\n"
          "data: {\"model\":\"gpt-5\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"there\"},"
          "\"finish_reason\":\"stop\"}],\"usage\":{\"total_tokens\":4}}\n\n"
          "data: [DONE]\n\n",
          "text/event-stream");
  aai::llm::ChatRequest request;
  request.model = "gpt-5";
  request.stream = true;
  std::vector<std::string> pieces;

  const aai::llm::ChatResult result =
      gateway_.complete(request, [&](std::string_view piece) { pieces.emplace_back(piece); });

  EXPECT_EQ(nlohmann::json::parse(fake_.requests[0].body)["stream"], true);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0], "Hi ");
  EXPECT_EQ(pieces[1], "there");
  EXPECT_EQ(result.output, "Hi there");
  EXPECT_EQ(result.usage["total_tokens"], 4);
}

TEST_F(GatewayTest, AcceptsWholeAnswerToStreamedRequest) {
  respond(200, kWholeAnswer);
  aai::llm::ChatRequest request;
  request.stream = true;
  std::vector<std::string> pieces;

  const aai::llm::ChatResult result =
      gateway_.complete(request, [&](std::string_view piece) { pieces.emplace_back(piece); });

  EXPECT_TRUE(pieces.empty());
  EXPECT_EQ(result.output, "It moved to Tuesday.");
}

TEST_F(GatewayTest, RejectsCutStream) {
  respond(200, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
          "text/event-stream");
  aai::llm::ChatRequest request;
  request.stream = true;

  const aai::Error error = error_of(request);

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(std::string(error.what()),
            "The LLM Gateway's streamed answer stopped before it was complete.");
}

TEST_F(GatewayTest, MapsRefusedPlan) {
  respond(403,
          "{\"error\":{\"code\":403,\"message\":\"Your organization's plan does not include LLM "
          "Gateway access. Upgrade to a paid plan to use it.\"}}");

  const aai::Error error = error_of(aai::llm::ChatRequest{});

  EXPECT_EQ(error.exit_code(), 1);
  EXPECT_EQ(error.type(), "api_error");
  EXPECT_EQ(std::string(error.what()),
            "The LLM Gateway refused the request (HTTP 403): Your organization's plan does not "
            "include LLM Gateway access. Upgrade to a paid plan to use it.");
}

TEST_F(GatewayTest, MapsRejectedKey) {
  respond(401, "{\"error\":{\"code\":401,\"message\":\"Invalid API key.\"}}");

  const aai::Error error = error_of(aai::llm::ChatRequest{});

  EXPECT_EQ(error.exit_code(), 4);
  EXPECT_EQ(error.type(), "not_authenticated");
  EXPECT_EQ(std::string(error.what()), "Your API key was rejected by the LLM Gateway.");
}

TEST_F(GatewayTest, ReportsAttemptsAfterRetries) {
  respond(429, "{\"error\":{\"code\":429,\"message\":\"Too many requests.\"}}");

  const aai::Error error = error_of(aai::llm::ChatRequest{});

  EXPECT_EQ(std::string(error.what()),
            "The LLM Gateway answered HTTP 429 after 4 attempts: Too many requests.");
}

TEST_F(GatewayTest, ReadsErrorBodyPassedToBodyCallback) {
  // The fake host, like hosts before ABI 1.3, streams an error body to on_body too.
  respond(400,
          "{\"error\":{\"code\":400,\"message\":\"Model 'x' is not available. GET "
          "/v1/models lists the models.\"}}");
  aai::llm::ChatRequest request;
  request.model = "x";
  request.stream = true;

  const aai::Error error = error_of(request);

  EXPECT_EQ(std::string(error.what()),
            "The LLM Gateway rejected the request (HTTP 400): Model 'x' is not available. GET "
            "/v1/models lists the models.");
}

TEST_F(GatewayTest, RequiresGatewayField) {
  fake_.environments.clear();
  fake_.add_environment("production", "http://127.0.0.1:9");

  const aai::Error error = error_of(aai::llm::ChatRequest{});

  EXPECT_EQ(error.exit_code(), 2);
  EXPECT_EQ(error.type(), "invalid_environment");
  EXPECT_EQ(std::string(error.what()), "The environment 'production' has no llm_gateway_base.");
  EXPECT_TRUE(fake_.requests.empty());
}

TEST_F(GatewayTest, RethrowsErrorFromDeltaCallback) {
  respond(200,
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n",
          "text/event-stream");
  aai::llm::ChatRequest request;
  request.stream = true;

  EXPECT_THROW(gateway_.complete(request, [](std::string_view) { throw aai::StdoutClosed(); }),
               aai::StdoutClosed);
}

}  // namespace
