#include "builtin_commands.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

using testing::TestApplication;

TEST(ConfigCommandsTest, SetsSecretStoreChoices) {
  for (const std::string choice : {"auto", "keyring", "file"}) {
    TestApplication set({"config", "set", "core.secret_store", choice});
    ASSERT_EQ(set.run(), 0) << set.err();

    EXPECT_EQ(set.err(), "Set core.secret_store to '" + choice + "'.\n");
    EXPECT_EQ(set.app().config().get("core", "secret_store"), choice);
  }
}

TEST(ConfigCommandsTest, RejectsUnknownSecretStore) {
  TestApplication test({"config", "set", "core.secret_store", "vault"});

  EXPECT_EQ(test.run(), 2);
  EXPECT_EQ(test.err(),
            "Error: Invalid value 'vault' for core.secret_store: expected auto, keyring or file.\n"
            "Suggestion: Run `aai config set core.secret_store auto`.\n");
  EXPECT_EQ(test.app().config().get("core", "secret_store"), std::nullopt);
}

TEST(ConfigCommandsTest, SetsGetsAndUnsetsCredentialProvider) {
  TestApplication set({"config", "set", "core.credential_provider", "auth-command"});
  ASSERT_EQ(set.run(), 0) << set.err();
  EXPECT_EQ(set.err(), "Set core.credential_provider to 'auth-command'.\n");
  EXPECT_EQ(set.app().config().get("core", "credential_provider"), "auth-command");

  TestApplication unset({"config", "unset", "core.credential_provider"});
  unset.app().config().set("core", "credential_provider", "auth-command");
  ASSERT_EQ(unset.run(), 0) << unset.err();
  EXPECT_EQ(unset.err(), "Removed core.credential_provider.\n");
  EXPECT_EQ(unset.app().config().get("core", "credential_provider"), std::nullopt);
}

TEST(ConfigCommandsTest, GetsCoreKeys) {
  TestApplication test({"config", "get", "core.secret_store"});
  test.app().config().set("core", "secret_store", "file");

  EXPECT_EQ(test.run(), 0);
  EXPECT_EQ(test.out(), "file\n");
}

TEST(ConfigCommandsTest, VersionNamesPluginAbi) {
  TestApplication text({"version"});
  TestApplication json({"version", "--json"});

  EXPECT_EQ(text.run(), 0);
  EXPECT_EQ(json.run(), 0);
  EXPECT_EQ(text.out(), std::string("aai ") + host_version() + " (plugin ABI 1.5.0)\n");
  EXPECT_EQ(json.out(),
            std::string("{\"version\":\"") + host_version() + "\",\"plugin_abi\":\"1.5.0\"}\n");
}

}  // namespace
}  // namespace aai::host
