#include <aai/plugin.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_host.hpp"

using aai::testing::FakeHost;
using aai::testing::FakeInvocation;
using aai::testing::FakeRegistrar;

namespace {

// Registers the plugin through its real descriptor and hands the environments it added to the
// fake host, as the real host would.
class EnvRegistryPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(registrar_.register_plugin(aai_plugin_entry(), host_), AAI_STATUS_OK);
    host_.environments = registrar_.environments;
  }

  FakeHost host_;
  FakeRegistrar registrar_;
};

TEST_F(EnvRegistryPluginTest, RegistersProductionAndSandbox) {
  ASSERT_EQ(registrar_.environments.size(), 2u);
  EXPECT_EQ(registrar_.environments[0].name, "production");
  EXPECT_EQ(registrar_.environments[1].name, "sandbox000");
}

TEST_F(EnvRegistryPluginTest, RegistersEveryDocumentedField) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"api_base", "https://api.sandbox000.assemblyai-labs.com"},
      {"streaming_base", "wss://streaming.sandbox000.assemblyai-labs.com"},
      {"llm_gateway_base", "https://llm-gateway.sandbox000.assemblyai-labs.com/v1"},
      {"ams_base", "https://ams.sandbox000.assemblyai-labs.com"},
      {"stytch_domain", "https://test.stytch.com"},
      {"stytch_public_token", "public-token-test-a161155e-7e9b-4dd1-9d43-493c899b4117"},
      {"signup_url", "https://dashboard-assemblyai.vercel.app/dashboard/login"}};

  EXPECT_EQ(registrar_.environments[1].fields, expected);
  EXPECT_EQ(registrar_.environments[0].fields[0].second, "https://api.assemblyai.com");
  EXPECT_EQ(registrar_.environments[0].fields[3].second,
            "https://ams.internal.assemblyai-labs.com");
}

TEST_F(EnvRegistryPluginTest, ListsEnvironmentsAsJsonArray) {
  host_.json = true;
  FakeInvocation invocation({}, {});

  int exit_code = invocation.run(registrar_.command("env list"), host_);

  ASSERT_EQ(exit_code, 0);
  nlohmann::json list = nlohmann::json::parse(host_.stdout_text);
  ASSERT_TRUE(list.is_array());
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1]["fields"]["stytch_domain"], "https://test.stytch.com");
}

TEST_F(EnvRegistryPluginTest, ListsEnvironmentsAsTable) {
  host_.active_environment = "sandbox000";
  FakeInvocation invocation({}, {});

  ASSERT_EQ(invocation.run(registrar_.command("env list"), host_), 0);

  EXPECT_NE(host_.stdout_text.find("\n   production  https://api.assemblyai.com "),
            std::string::npos);
  EXPECT_NE(host_.stdout_text.find("\n*  sandbox000  https://api.sandbox000.assemblyai-labs.com "),
            std::string::npos);
}

TEST_F(EnvRegistryPluginTest, ShowsActiveEnvironmentWithSource) {
  host_.json = true;
  host_.active_source = "--sandbox";
  host_.active_environment = "sandbox000";
  FakeInvocation invocation({}, {});

  ASSERT_EQ(invocation.run(registrar_.command("env show"), host_), 0);

  nlohmann::json details = nlohmann::json::parse(host_.stdout_text);
  EXPECT_EQ(details["name"], "sandbox000");
  EXPECT_EQ(details["source"], "--sandbox");
  EXPECT_EQ(details["active"], true);
  EXPECT_EQ(details["fields"].size(), 7u);
}

TEST_F(EnvRegistryPluginTest, ShowsNamedEnvironment) {
  host_.json = true;
  FakeInvocation invocation({}, {"sandbox000"});

  ASSERT_EQ(invocation.run(registrar_.command("env show"), host_), 0);

  nlohmann::json details = nlohmann::json::parse(host_.stdout_text);
  EXPECT_EQ(details["name"], "sandbox000");
  EXPECT_EQ(details["source"], "argument");
  EXPECT_EQ(details["active"], false);
}

TEST_F(EnvRegistryPluginTest, FailsShowForUnknownName) {
  FakeInvocation invocation({}, {"staging"});

  int exit_code = invocation.run(registrar_.command("env show"), host_);

  EXPECT_EQ(exit_code, 2);
  ASSERT_TRUE(invocation.failure.has_value());
  EXPECT_EQ(invocation.failure->type, "invalid_environment");
  EXPECT_EQ(invocation.failure->message,
            "Unknown environment 'staging'. Known environments: production, sandbox000.");
  EXPECT_TRUE(host_.stdout_text.empty());
}

}  // namespace
