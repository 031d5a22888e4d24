#include <aai/plugin.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_host.hpp"

using aai::testing::FakeHost;
using aai::testing::FakeInvocation;
using aai::testing::FakeRegistrar;

namespace {

namespace fs = std::filesystem;

// Registers the plugin through its real descriptor and hands the environments it added to the
// fake host, as the real host would. The system folder points nowhere, so the machine's
// /etc/aai cannot change the results. The fake host's config file is /fake/config.ini, so the
// user's folder is /fake/environments.d, which does not exist either.
class EnvRegistryPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("AAI_SYSTEM_CONFIG_DIR", "/nonexistent/aai-test-etc", 1);
    ASSERT_EQ(registrar_.register_plugin(aai_plugin_entry(), host_), AAI_STATUS_OK);
    host_.environments = registrar_.environments;
  }
  void TearDown() override { ::unsetenv("AAI_SYSTEM_CONFIG_DIR"); }

  FakeHost host_;
  FakeRegistrar registrar_;
};

TEST_F(EnvRegistryPluginTest, RegistersBuiltInAndCompiledInEnvironments) {
  ASSERT_EQ(registrar_.environments.size(), 3u);
  EXPECT_EQ(registrar_.environments[0].name, "production");
  EXPECT_EQ(registrar_.environments[1].name, "sandbox000");
  EXPECT_EQ(registrar_.environments[2].name, "compiled-acme");
  EXPECT_EQ(registrar_.environments[2].summary, "ACME, compiled in");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"api_base", "https://api.acme.example"},
      {"streaming_base", "wss://streaming.acme.example"},
      {"region", "eu"}};
  EXPECT_EQ(registrar_.environments[2].fields, expected);
  EXPECT_TRUE(host_.messages.empty());
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
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list[1]["fields"]["stytch_domain"], "https://test.stytch.com");
}

TEST_F(EnvRegistryPluginTest, ListsEnvironmentsAsTable) {
  host_.active_environment = "sandbox000";
  FakeInvocation invocation({}, {});

  ASSERT_EQ(invocation.run(registrar_.command("env list"), host_), 0);

  // The NAME column is as wide as "compiled-acme", the compiled-in fixture environment.
  EXPECT_NE(host_.stdout_text.find("\n   production     https://api.assemblyai.com "),
            std::string::npos);
  EXPECT_NE(
      host_.stdout_text.find("\n*  sandbox000     https://api.sandbox000.assemblyai-labs.com "),
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
            "Unknown environment 'staging'. Known environments: production, sandbox000, "
            "compiled-acme.");
  EXPECT_TRUE(host_.stdout_text.empty());
}

// A registrar of ABI 1.4 that records the specs add_environment_spec receives.
struct RecordedSpec {
  std::string name;
  std::string origin;
  bool replaceable = false;
  size_t field_count = 0;
};
std::vector<RecordedSpec> recorded_specs;

aai_status_t record_spec(const aai_registrar_t*, const aai_environment_spec_t* spec) {
  recorded_specs.push_back({spec->name, spec->origin != nullptr ? spec->origin : "",
                            spec->replaceable, spec->field_count});
  return AAI_STATUS_OK;
}

TEST(EnvRegistryRegistrationTest, RegistersReplaceableSpecsWithOrigins) {
  ::setenv("AAI_SYSTEM_CONFIG_DIR", "/nonexistent/aai-test-etc", 1);
  FakeHost host;
  FakeRegistrar fake;
  aai_registrar_t registrar = *fake.raw();
  registrar.add_environment_spec = &record_spec;
  recorded_specs.clear();

  ASSERT_EQ(aai_plugin_entry()->register_plugin(host.raw(), &registrar), AAI_STATUS_OK);
  ::unsetenv("AAI_SYSTEM_CONFIG_DIR");

  ASSERT_EQ(recorded_specs.size(), 3u);
  EXPECT_EQ(recorded_specs[0].name, "production");
  EXPECT_EQ(recorded_specs[0].origin, "built-in");
  EXPECT_TRUE(recorded_specs[0].replaceable);
  EXPECT_EQ(recorded_specs[0].field_count, 7u);
  EXPECT_EQ(recorded_specs[2].name, "compiled-acme");
  EXPECT_EQ(recorded_specs[2].origin, "compiled in from compiled.ini");
  EXPECT_TRUE(recorded_specs[2].replaceable);
  // The fallback to add_environment is not used when the registrar has the 1.4 call.
  EXPECT_TRUE(fake.environments.empty());
}

TEST(EnvRegistryRegistrationTest, OlderRegistrarGetsPlainEnvironments) {
  ::setenv("AAI_SYSTEM_CONFIG_DIR", "/nonexistent/aai-test-etc", 1);
  FakeHost host;
  FakeRegistrar fake;
  aai_registrar_t registrar = *fake.raw();
  // A 1.3 host's registrar ends before add_environment_spec.
  registrar.struct_size = offsetof(aai_registrar_t, add_environment_spec);
  registrar.add_environment_spec = &record_spec;
  recorded_specs.clear();

  ASSERT_EQ(aai_plugin_entry()->register_plugin(host.raw(), &registrar), AAI_STATUS_OK);
  ::unsetenv("AAI_SYSTEM_CONFIG_DIR");

  EXPECT_TRUE(recorded_specs.empty());
  ASSERT_EQ(fake.environments.size(), 3u);
  EXPECT_EQ(fake.environments[2].name, "compiled-acme");
}

TEST(EnvRegistryRegistrationTest, WarnsAboutBadSystemFileAndLoadsTheRest) {
  std::string pattern = (fs::temp_directory_path() / "aai-env-etc-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const fs::path root = pattern;
  fs::create_directories(root / "aai" / "environments.d");
  std::ofstream(root / "aai" / "environments.d" / "acme.ini")
      << "[acme]\nsummary = ACME\napi_base = http://api.acme.example\n"
         "[beta]\napi_base = https://beta.example\n";
  ::setenv("AAI_SYSTEM_CONFIG_DIR", root.c_str(), 1);
  FakeHost host;
  FakeRegistrar registrar;

  ASSERT_EQ(registrar.register_plugin(aai_plugin_entry(), host), AAI_STATUS_OK);
  ::unsetenv("AAI_SYSTEM_CONFIG_DIR");
  fs::remove_all(root);

  ASSERT_EQ(registrar.environments.size(), 4u);
  EXPECT_EQ(registrar.environments[3].name, "beta");
  ASSERT_EQ(host.messages.size(), 1u);
  EXPECT_EQ(host.messages[0].first, AAI_MESSAGE_WARNING);
  EXPECT_EQ(host.messages[0].second,
            "skipped environment 'acme' in " +
                (root / "aai" / "environments.d" / "acme.ini").string() +
                " line 3: api_base 'http://api.acme.example' must use https (only loopback hosts "
                "may use http)");
}

}  // namespace
