// Environments registered through aai_registrar_t: add_environment_spec (ABI 1.4), its origin,
// and which registration wins when a replaceable one meets another of the same name.
#include "registrar.hpp"

#include "service_tables.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>

#include <gtest/gtest.h>

namespace aai::host {
namespace {

using testing::TestApplication;

const aai_field_t kAcmeFields[] = {{"api_base", "https://api.acme.example"}};

aai_environment_spec_t acme_spec(const char* origin, bool replaceable) {
  aai_environment_spec_t spec{};
  spec.struct_size = sizeof spec;
  spec.name = "acme";
  spec.summary = "ACME";
  spec.fields = kAcmeFields;
  spec.field_count = 1;
  spec.origin = origin;
  spec.replaceable = replaceable;
  return spec;
}

class RegistrarEnvironmentTest : public ::testing::Test {
 protected:
  RegistrarEnvironmentTest() : test({"-v"}) {}

  // Registers one environment as plugin `plugin_name` from `file` and commits it.
  void register_spec(const std::string& plugin_name, const std::string& file,
                     const aai_environment_spec_t& spec) {
    Registration registration;
    registration.host = &test.app().create_plugin_host(plugin_name);
    registration.file = file;
    aai_registrar_t registrar = make_registrar(registration);
    ASSERT_EQ(registrar.add_environment_spec(&registrar, &spec), AAI_STATUS_OK)
        << registration.rejection;
    commit_registration(test.app(), registration);
  }

  void register_plain(const std::string& plugin_name, const std::string& file,
                      const char* api_base) {
    const aai_field_t fields[] = {{"api_base", api_base}};
    Registration registration;
    registration.host = &test.app().create_plugin_host(plugin_name);
    registration.file = file;
    aai_registrar_t registrar = make_registrar(registration);
    ASSERT_EQ(registrar.add_environment(&registrar, "acme", "ACME", fields, 1), AAI_STATUS_OK);
    commit_registration(test.app(), registration);
  }

  nlohmann::json list() {
    const aai_host_t* host = &test.app().create_plugin_host("reader").raw;
    auto* environments =
        static_cast<const aai_environment_service_t*>(get_service(host, AAI_SERVICE_ENVIRONMENT));
    return nlohmann::json::parse(environments->list_json(host));
  }

  TestApplication test;
};

TEST_F(RegistrarEnvironmentTest, RegistrarOffersTheSpecCall) {
  Registration registration;
  aai_registrar_t registrar = make_registrar(registration);

  EXPECT_GE(registrar.struct_size, offsetof(aai_registrar_t, add_environment_spec) +
                                       sizeof registrar.add_environment_spec);
  EXPECT_NE(registrar.add_environment_spec, nullptr);
}

TEST_F(RegistrarEnvironmentTest, SpecKeepsOriginInListJson) {
  register_spec("env-registry", "/p/env-registry.so",
                acme_spec("/etc/aai/environments.d/acme.ini", true));

  nlohmann::json environments = list();

  ASSERT_EQ(environments.size(), 1u);
  EXPECT_EQ(environments[0]["plugin"], "env-registry");
  EXPECT_EQ(environments[0]["origin"], "/etc/aai/environments.d/acme.ini");
  EXPECT_EQ(environments[0]["fields"]["api_base"], "https://api.acme.example");
}

TEST_F(RegistrarEnvironmentTest, MissingOriginReadsAsThePlugin) {
  register_spec("acme-env", "/p/acme-env.so", acme_spec(nullptr, false));

  nlohmann::json environments = list();

  ASSERT_EQ(environments.size(), 1u);
  EXPECT_EQ(environments[0]["origin"], "plugin acme-env");
}

TEST_F(RegistrarEnvironmentTest, PluginWinsWhenLoadedAfterFiles) {
  register_spec("env-registry", "/p/env-registry.so",
                acme_spec("/etc/aai/environments.d/acme.ini", true));
  register_plain("acme-env", "/p/acme-env.so", "https://plugin.acme.example");

  nlohmann::json environments = list();

  ASSERT_EQ(environments.size(), 1u);
  EXPECT_EQ(environments[0]["plugin"], "acme-env");
  EXPECT_EQ(environments[0]["origin"], "plugin acme-env");
  EXPECT_EQ(environments[0]["fields"]["api_base"], "https://plugin.acme.example");
  EXPECT_EQ(test.err(),
            "[aai] environment 'acme' from plugin acme-env (plugin acme-env, /p/acme-env.so) "
            "replaces 'acme' from /etc/aai/environments.d/acme.ini (plugin env-registry, "
            "/p/env-registry.so)\n");
}

TEST_F(RegistrarEnvironmentTest, PluginWinsWhenLoadedBeforeFiles) {
  register_plain("acme-env", "/p/acme-env.so", "https://plugin.acme.example");
  register_spec("env-registry", "/p/env-registry.so",
                acme_spec("/etc/aai/environments.d/acme.ini", true));

  nlohmann::json environments = list();

  ASSERT_EQ(environments.size(), 1u);
  EXPECT_EQ(environments[0]["plugin"], "acme-env");
  EXPECT_EQ(environments[0]["fields"]["api_base"], "https://plugin.acme.example");
  EXPECT_EQ(test.err(),
            "[aai] environment 'acme' from plugin acme-env (plugin acme-env, /p/acme-env.so) "
            "replaces 'acme' from /etc/aai/environments.d/acme.ini (plugin env-registry, "
            "/p/env-registry.so)\n");
}

TEST_F(RegistrarEnvironmentTest, TwoPluginsStayAConflict) {
  register_plain("acme-env", "/p/acme-env.so", "https://first.acme.example");
  register_plain("other-env", "/p/other-env.so", "https://second.acme.example");

  nlohmann::json environments = list();

  ASSERT_EQ(environments.size(), 1u);
  EXPECT_EQ(environments[0]["fields"]["api_base"], "https://first.acme.example");
  EXPECT_EQ(test.err(),
            "Warning: the plugins /p/acme-env.so and /p/other-env.so both register the "
            "environment 'acme'; the first one is kept.\n");
}

TEST_F(RegistrarEnvironmentTest, SpecWithoutOriginMembersIsNotReplaceable) {
  aai_environment_spec_t spec = acme_spec("ignored", true);
  spec.struct_size = offsetof(aai_environment_spec_t, field_count) + sizeof spec.field_count;
  register_spec("acme-env", "/p/acme-env.so", spec);
  register_spec("env-registry", "/p/env-registry.so", acme_spec("built-in", true));

  nlohmann::json environments = list();

  ASSERT_EQ(environments.size(), 1u);
  EXPECT_EQ(environments[0]["plugin"], "acme-env");
  EXPECT_EQ(environments[0]["origin"], "plugin acme-env");
}

TEST_F(RegistrarEnvironmentTest, IncompleteSpecIsRejected) {
  aai_environment_spec_t spec = acme_spec(nullptr, false);
  spec.struct_size = offsetof(aai_environment_spec_t, fields);
  Registration registration;
  registration.host = &test.app().create_plugin_host("acme-env");
  aai_registrar_t registrar = make_registrar(registration);

  EXPECT_EQ(registrar.add_environment_spec(&registrar, &spec), AAI_STATUS_ERROR);
  EXPECT_EQ(registration.rejection, "incomplete environment spec");
  EXPECT_EQ(registrar.add_environment_spec(&registrar, nullptr), AAI_STATUS_ERROR);
}

}  // namespace
}  // namespace aai::host
