// Registers the transcribe plugin through its real descriptor and replaces the polling sleep.
#pragma once

#include <aai/plugin.h>
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "fake_host.hpp"
#include "poll_policy.hpp"

class TranscribePluginTest : public ::testing::Test {
 protected:
  static constexpr const char* kApiBase = "http://127.0.0.1:9";
  static constexpr const char* kLlmGatewayBase = "http://127.0.0.1:9/v1";

  void SetUp() override {
    ASSERT_EQ(registrar_.register_plugin(aai_plugin_entry(), host_), AAI_STATUS_OK);
    host_.add_environment("production",
                          {{"api_base", kApiBase}, {"llm_gateway_base", kLlmGatewayBase}});
    transcribe::poll_sleep() = [this](std::chrono::milliseconds delay,
                                      const std::function<bool()>& is_interrupted) {
      delays_.push_back(delay.count());
      return !is_interrupted();
    };
  }
  void TearDown() override { transcribe::poll_sleep() = &transcribe::sleep_unless_interrupted; }

  int run(const std::string& command, aai::testing::FakeInvocation& invocation) {
    return invocation.run(registrar_.command(command), host_);
  }

  aai::testing::FakeHost host_;
  aai::testing::FakeRegistrar registrar_;
  std::vector<long long> delays_;
};
