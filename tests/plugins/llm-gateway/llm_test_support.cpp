#include "llm_test_support.hpp"

#include <unistd.h>

#include "stdin_lines.hpp"

void LlmPluginTest::SetUp() {
  ASSERT_EQ(registrar_.register_plugin(aai_plugin_entry(), host_), AAI_STATUS_OK);
  host_.add_environment("production",
                        {{"api_base", "http://127.0.0.1:9"}, {"llm_gateway_base", kGatewayBase}});
  set_stdin("");
}

void LlmPluginTest::TearDown() {
  ::close(stdin_fd_);
  llm::input_fd() = STDIN_FILENO;
}

void LlmPluginTest::set_stdin(const std::string& text) {
  if (stdin_fd_ >= 0) {
    ::close(stdin_fd_);
  }
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  // Test inputs are far below the pipe's buffer size, so the write never blocks.
  ASSERT_EQ(::write(ends[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(ends[1]);
  stdin_fd_ = ends[0];
  llm::input_fd() = stdin_fd_;
}

void LlmPluginTest::respond_answer(const std::string& output) {
  nlohmann::json body = {
      {"model", "aai-local-extractive"},
      {"choices",
       {{{"index", 0},
         {"message", {{"role", "assistant"}, {"content", output}}},
         {"finish_reason", "stop"}}}},
      {"usage", {{"input_tokens", 10}, {"output_tokens", 3}, {"total_tokens", 13}}}};
  aai::testing::ScriptedResponse response;
  response.body = body.dump();
  response.headers["content-type"] = "application/json";
  host_.responses.push_back(std::move(response));
}

int LlmPluginTest::run(std::map<std::string, std::vector<std::string>> options,
                       std::vector<std::string> arguments) {
  aai::testing::FakeInvocation invocation(std::move(options), std::move(arguments));
  const int exit_code = invocation.run(registrar_.command("llm"), host_);
  failure_ = invocation.failure;
  return exit_code;
}

nlohmann::json LlmPluginTest::sent_body(size_t index) const {
  return nlohmann::json::parse(host_.requests.at(index).body);
}

std::string LlmPluginTest::sent_user(size_t index) const {
  return sent_body(index)["messages"].back()["content"];
}

std::vector<std::string> LlmPluginTest::warnings() const {
  std::vector<std::string> found;
  for (const auto& [kind, text] : host_.messages) {
    if (kind == AAI_MESSAGE_WARNING) {
      found.push_back(text);
    }
  }
  return found;
}
