// The emulator's LLM Gateway over real HTTP on 127.0.0.1.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "server_process.hpp"

namespace aai::local::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

const std::string kChatPath = "/v1/chat/completions";

std::string error_message(const HttpResult& result) {
  return json::parse(result.body)["error"]["message"].get<std::string>();
}

std::string long_material() {
  std::string text = "Summarize.\\n\\n";
  for (int i = 0; i < 300; ++i) {
    text += "word" + std::to_string(i) + " ";
  }
  return text;
}

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ = std::filesystem::temp_directory_path() /
                ("aai-gateway-test-" + std::to_string(getpid()) + "-" + info->name());
    std::filesystem::remove_all(data_dir_);
    std::filesystem::create_directories(data_dir_);
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(data_dir_);
    std::filesystem::remove(data_dir_.string() + "-server.log");
    std::filesystem::remove(data_dir_.string() + "-accounts.json");
  }

  ServerProcess& start(std::vector<std::string> arguments = {}) {
    server_ = std::make_unique<ServerProcess>(data_dir_, std::move(arguments));
    return *server_;
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(GatewayTest, AnswersWithQuotedSentence) {
  ServerProcess& server = start();
  json body = {{"model", "claude-sonnet-4-6"},
               {"messages",
                {{{"role", "user"},
                  {"content",
                   "List the action items.\n\nTranscript:\nThe budget review moved to Tuesday "
                   "at noon."}}}}};

  HttpResult result = server.request("POST", kChatPath, body.dump(), "Bearer test-key");

  ASSERT_EQ(result.status, 200U) << result.body;
  EXPECT_EQ(result.content_type, "application/json");
  json answer = json::parse(result.body);
  EXPECT_EQ(answer["choices"][0]["message"]["content"],
            "- The budget review moved to Tuesday at noon.");
  EXPECT_EQ(answer["model"], "aai-local-extractive");
  EXPECT_EQ(answer["request"]["model"], "claude-sonnet-4-6");
}

TEST_F(GatewayTest, RejectsMissingOrWrongKey) {
  ServerProcess& server = start({"--api-key", "right"});

  HttpResult missing = server.request("GET", "/v1/models", "", "");
  HttpResult wrong = server.request("GET", "/v1/models", "", "Bearer wrong");
  HttpResult bearer = server.request("GET", "/v1/models", "", "Bearer right");
  HttpResult bare = server.request("GET", "/v1/models", "", "right");

  EXPECT_EQ(missing.status, 401U);
  EXPECT_EQ(missing.body, R"({"error":{"code":401,"message":"Invalid API key."}})");
  EXPECT_EQ(wrong.status, 401U);
  EXPECT_EQ(bearer.status, 200U);
  EXPECT_EQ(bare.status, 200U);
  EXPECT_EQ(json::parse(bare.body)["data"].size(), 24U);
}

TEST_F(GatewayTest, RefusesOrganizationWithoutGateway) {
  std::filesystem::path accounts = data_dir_.string() + "-accounts.json";
  std::ofstream(accounts) << R"({"identities": [{"email": "a@example.com", "organizations": [
      {"organization_id": "org-1", "organization_name": "Free", "account_id": 1,
       "projects": [{"project": {"id": 1, "name": "P"},
                     "tokens": [{"id": 1, "name": "t", "api_key": "free-key"}]}]}]}]})";
  ServerProcess& server = start({"--accounts", accounts.string()});

  HttpResult result = server.request("GET", "/v1/models", "", "Bearer free-key");

  EXPECT_EQ(result.status, 403U);
  EXPECT_EQ(error_message(result),
            "Your organization's plan does not include LLM Gateway access. Upgrade to a paid "
            "plan to use it.");
}

TEST_F(GatewayTest, ReportsUnknownTranscript) {
  ServerProcess& server = start();
  json body = {{"model", "gpt-5"}, {"prompt", "Hi\n\n{{ transcript }}"}, {"transcript_id", "t1"}};

  HttpResult result = server.request("POST", kChatPath, body.dump());

  EXPECT_EQ(result.status, 404U);
  EXPECT_EQ(error_message(result), "Transcript 't1' was not found.");
}

TEST_F(GatewayTest, RejectsOversizedInput) {
  ServerProcess& server = start();
  json body = {{"model", "gpt-5"}, {"prompt", std::string(800004, 'a')}};

  HttpResult result = server.request("POST", kChatPath, body.dump());

  EXPECT_EQ(result.status, 400U);
  EXPECT_EQ(error_message(result),
            "The request has 200001 input tokens, more than the 200000 that gpt-5 accepts.");
}

TEST_F(GatewayTest, RejectsBodyOverFourMebibytes) {
  ServerProcess& server = start();

  HttpResult result = server.request("POST", kChatPath, std::string((4 << 20) + 1, ' '));

  EXPECT_EQ(result.status, 413U);
  EXPECT_EQ(error_message(result), "The request body is larger than the limit of 4 MiB.");
}

TEST_F(GatewayTest, StreamsAndKeepsConnectionOpen) {
  ServerProcess& server = start();
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  json body = {{"model", "gpt-5"}, {"stream", true}, {"prompt", "Hi\n\nOne two three."}};
  http::request<http::string_body> chat{http::verb::post, kChatPath, 11};
  chat.set(http::field::host, "127.0.0.1");
  chat.set(http::field::authorization, "Bearer k");
  chat.body() = body.dump();
  chat.prepare_payload();
  http::request<http::string_body> models{http::verb::get, "/v1/models", 11};
  models.set(http::field::host, "127.0.0.1");
  models.set(http::field::authorization, "k");

  beast::flat_buffer buffer;
  http::write(stream, chat);
  http::response<http::string_body> streamed;
  http::read(stream, buffer, streamed);
  http::write(stream, models);
  http::response<http::string_body> listed;
  http::read(stream, buffer, listed);

  EXPECT_EQ(streamed[http::field::content_type], "text/event-stream");
  EXPECT_TRUE(streamed.chunked());
  const std::string& events = streamed.body();
  EXPECT_EQ(events.rfind(": aai local emulator\n\n", 0), 0U);
  EXPECT_NE(events.find(R"("delta":{"content":"One "})"), std::string::npos);
  EXPECT_NE(events.find(R"("finish_reason":"stop")"), std::string::npos);
  EXPECT_EQ(events.substr(events.size() - 14), "data: [DONE]\n\n");
  EXPECT_EQ(listed.result_int(), 200U);
}

TEST_F(GatewayTest, SurvivesClientLeavingMidStream) {
  ServerProcess& server = start();
  {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    std::string body = R"({"model":"gpt-5","stream":true,"prompt":")" + long_material() + "\"}";
    http::request<http::string_body> chat{http::verb::post, kChatPath, 11};
    chat.set(http::field::host, "127.0.0.1");
    chat.set(http::field::authorization, "k");
    chat.body() = body;
    chat.prepare_payload();
    http::write(stream, chat);
    http::response_parser<http::empty_body> header;
    beast::flat_buffer buffer;
    http::read_header(stream, buffer, header);
    EXPECT_EQ(header.get().result_int(), 200U);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  HttpResult after = server.request("GET", "/v1/models");

  EXPECT_EQ(after.status, 200U);
  EXPECT_NE(server.log().find("POST /v1/chat/completions 200"), std::string::npos);
  EXPECT_NE(server.log().find("not delivered"), std::string::npos) << server.log();
}

TEST_F(GatewayTest, InjectsFaultsAfterKeyCheck) {
  ServerProcess& server = start({"--faults", "/v1/chat/completions=429x1,/v2/transcript=503x1"});
  const std::string body = R"({"model":"gpt-5","prompt":"Hi"})";

  HttpResult no_key = server.request("POST", kChatPath, body, "");
  HttpResult injected = server.request("POST", kChatPath, body);
  HttpResult answered = server.request("POST", kChatPath, body);
  HttpResult rest = server.request("GET", "/v2/transcript");

  EXPECT_EQ(no_key.status, 401U);
  EXPECT_EQ(injected.status, 429U);
  EXPECT_EQ(error_message(injected),
            "HTTP 429 (Too Many Requests) injected by the emulator's --faults option.");
  EXPECT_EQ(answered.status, 200U);
  EXPECT_EQ(rest.status, 503U);
  EXPECT_EQ(json::parse(rest.body)["error"],
            "HTTP 503 (Service Unavailable) injected by the emulator's --faults option.");
}

TEST_F(GatewayTest, ExitsOnBadFaultSpec) {
  auto [status, output] =
      run_server_to_exit({"--port", "0", "--data-dir", data_dir_.string(), "--faults", "/v1=429"},
                         std::chrono::seconds(10));

  EXPECT_EQ(status, 2);
  EXPECT_NE(output.find("aai-local-server: error: --faults part \"/v1=429\" is not [METHOD "
                        "]PATH=RULE with RULE one of STATUSxCOUNT, STATUS@P%, reset@P% or "
                        "delay:MS, or transcripts=error@P%, as in /v2/transcript=503x2."),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace aai::local::testing
