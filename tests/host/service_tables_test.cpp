#include "service_tables.hpp"

#include "secrets/file_secret_backend.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::TestApplication;

Environment environment_named(const std::string& name) {
  Environment environment;
  environment.name = name;
  environment.fields = {{"api_base", "https://api." + name + ".example"}};
  return environment;
}

class ServiceTablesTest : public ::testing::Test {
 protected:
  explicit ServiceTablesTest(const std::vector<std::string>& args = {}) : test(args) {
    host = &test.app().create_plugin_host("fixture").raw;
    test.app().environments().add(environment_named("production"));
    test.app().environments().add(environment_named("sandbox000"));
    environments =
        static_cast<const aai_environment_service_t*>(get_service(host, AAI_SERVICE_ENVIRONMENT));
    secrets = static_cast<const aai_secrets_service_t*>(get_service(host, AAI_SERVICE_SECRETS));
    use_file_secrets();
  }

  // Keeps secrets in the test's folder, as when no Secret Service responds.
  void use_file_secrets() {
    fs::path data = test.dir().path() / "data" / "aai";
    SecretBackendSources sources;
    sources.is_session_bus_reachable = [] { return false; };
    sources.open_keyring = []() -> std::unique_ptr<SecretBackend> {
      throw SecretStoreError("not in tests");
    };
    sources.open_file = [data]() -> std::unique_ptr<SecretBackend> {
      return std::make_unique<FileSecretBackend>(data / "secrets.json");
    };
    test.app().set_secret_store(std::make_unique<SecretStore>(test.app().config(), test.app().log(),
                                                              test.app().output(), data, sources));
  }

  std::string last_error() {
    const char* message = nullptr;
    const char* suggestion = nullptr;
    secrets->last_error(host, &message, &suggestion);
    return std::string(message) + " | " + suggestion;
  }

  TestApplication test;
  const aai_host_t* host = nullptr;
  const aai_environment_service_t* environments = nullptr;
  const aai_secrets_service_t* secrets = nullptr;
};

class ServiceTablesWithEnvOptionTest : public ServiceTablesTest {
 protected:
  ServiceTablesWithEnvOptionTest() : ServiceTablesTest({"--env", "sandbox000", "version"}) {}
};

TEST_F(ServiceTablesTest, OffersEnvironmentSelectInVersionOneOne) {
  ASSERT_NE(environments, nullptr);
  EXPECT_EQ(environments->struct_size, sizeof(aai_environment_service_t));
  EXPECT_NE(environments->select, nullptr);
  ASSERT_NE(secrets, nullptr);
  EXPECT_EQ(secrets->struct_size, sizeof(aai_secrets_service_t));
}

TEST_F(ServiceTablesTest, SelectSwitchesActiveEnvironment) {
  EXPECT_STREQ(environments->active(host), "production");
  EXPECT_STREQ(environments->active_source(host), "default");

  EXPECT_EQ(environments->select(host, "sandbox000"), AAI_STATUS_OK);

  EXPECT_STREQ(environments->active(host), "sandbox000");
  EXPECT_STREQ(environments->active_source(host), "command");
  EXPECT_STREQ(environments->get(host, nullptr, "api_base"), "https://api.sandbox000.example");
}

TEST_F(ServiceTablesTest, SelectRejectsUnknownName) {
  EXPECT_EQ(environments->select(host, "nowhere"), AAI_STATUS_ERROR);
  EXPECT_EQ(environments->select(host, nullptr), AAI_STATUS_ERROR);

  EXPECT_STREQ(environments->active(host), "production");
}

TEST_F(ServiceTablesWithEnvOptionTest, SelectOfEnvOptionKeepsItsSource) {
  EXPECT_EQ(environments->select(host, "production"), AAI_STATUS_OK);
  EXPECT_STREQ(environments->active_source(host), "command");

  EXPECT_EQ(environments->select(host, "sandbox000"), AAI_STATUS_OK);
  EXPECT_STREQ(environments->active_source(host), "--env");
}

TEST_F(ServiceTablesTest, SecretsRoundTripThroughFile) {
  char* value = reinterpret_cast<char*>(1);
  bool removed = true;

  ASSERT_EQ(secrets->lookup(host, "assemblyai-cli", "default", &value), AAI_STATUS_OK);
  EXPECT_EQ(value, nullptr);
  ASSERT_EQ(
      secrets->store(host, "assemblyai-cli", "default", "AssemblyAI API key (default)", "key-1234"),
      AAI_STATUS_OK);
  ASSERT_EQ(secrets->lookup(host, "assemblyai-cli", "default", &value), AAI_STATUS_OK);
  ASSERT_NE(value, nullptr);
  EXPECT_STREQ(value, "key-1234");
  secrets->release(host, value);
  secrets->release(host, nullptr);
  ASSERT_EQ(secrets->remove(host, "assemblyai-cli", "default", &removed), AAI_STATUS_OK);
  EXPECT_TRUE(removed);
  ASSERT_EQ(secrets->remove(host, "assemblyai-cli", "default", &removed), AAI_STATUS_OK);
  EXPECT_FALSE(removed);
  EXPECT_EQ(last_error(), " | ");
}

TEST_F(ServiceTablesTest, SecretsDescribeFileAndAnnounceIt) {
  fs::path file = test.dir().path() / "data" / "aai" / "secrets.json";

  ASSERT_EQ(secrets->store(host, "s", "a", "label", "key-1234"), AAI_STATUS_OK);

  EXPECT_EQ(std::string(secrets->describe(host)), "the file " + file.string());
  EXPECT_EQ(test.err(), "Keeping secrets in " + file.string() +
                            " (readable only by you): no Secret Service answered.\n");
  EXPECT_EQ(test.app().log().mask("key-1234"), "[redacted]");
}

TEST_F(ServiceTablesTest, SecretsRejectMissingNames) {
  char* value = nullptr;

  EXPECT_EQ(secrets->lookup(host, "", "default", &value), AAI_STATUS_ERROR);
  EXPECT_EQ(last_error(), "A secret needs a non-empty service and account name. | ");
  EXPECT_EQ(secrets->store(host, "s", nullptr, "label", "v"), AAI_STATUS_ERROR);
  EXPECT_EQ(secrets->store(host, "s", "a", "label", nullptr), AAI_STATUS_ERROR);
  EXPECT_EQ(last_error(), "A secret needs a value; use remove to delete one. | ");
}

TEST_F(ServiceTablesTest, SecretsReportInvalidStoreChoice) {
  test.app().config().set("core", "secret_store", "vault");
  char* value = nullptr;

  EXPECT_EQ(secrets->lookup(host, "s", "a", &value), AAI_STATUS_ERROR);
  EXPECT_EQ(last_error(),
            "Invalid value 'vault' for core.secret_store: expected auto, keyring or file. | Run "
            "`aai config set core.secret_store auto`.");
  EXPECT_STREQ(secrets->describe(host), "");
}

TEST_F(ServiceTablesTest, SecretsReportUnreadableFile) {
  fs::path file = test.dir().path() / "data" / "aai" / "secrets.json";
  fs::create_directories(file.parent_path());
  testing::write_text(file, "{}");
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  char* value = nullptr;

  EXPECT_EQ(secrets->lookup(host, "s", "a", &value), AAI_STATUS_ERROR);
  EXPECT_EQ(last_error(), "The secrets file " + file.string() +
                              " has mode 0604, so other users can read it. | Run `chmod 600 " +
                              file.string() + "`, then try again.");
}

}  // namespace
}  // namespace aai::host
