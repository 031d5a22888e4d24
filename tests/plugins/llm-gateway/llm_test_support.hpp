// A fixture that registers the llm-gateway plugin on a fake host and feeds it standard input
// through a pipe.
#pragma once

#include <aai/plugin.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_host.hpp"

class LlmPluginTest : public ::testing::Test {
 protected:
  static constexpr const char* kGatewayBase = "http://127.0.0.1:9/v1";

  void SetUp() override;
  void TearDown() override;

  /// Makes standard input a pipe that delivers `text` and then ends.
  void set_stdin(const std::string& text);

  /// Scripts a whole 200 answer whose text is `output`.
  void respond_answer(const std::string& output);

  /// Runs `aai llm` with these options and arguments.
  int run(std::map<std::string, std::vector<std::string>> options,
          std::vector<std::string> arguments);

  /// The body of the request with this index, parsed.
  nlohmann::json sent_body(size_t index = 0) const;

  /// The user message of the request with this index.
  std::string sent_user(size_t index = 0) const;

  /// Every warning the command printed, in order.
  std::vector<std::string> warnings() const;

  aai::testing::FakeHost host_;
  aai::testing::FakeRegistrar registrar_;
  std::optional<aai::testing::RecordedFailure> failure_;
  int stdin_fd_ = -1;
};
