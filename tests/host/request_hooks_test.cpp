#include "request_hooks.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

using testing::TestApplication;

Provider credentials(const std::string& name) {
  Provider provider;
  provider.role = AAI_PROVIDER_CREDENTIALS;
  provider.name = name;
  provider.plugin_name = name;
  provider.plugin_file = "/lib/aai/plugins/" + name + ".so";
  return provider;
}

std::string selection_error(Application& app) {
  try {
    app.credential_provider();
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(error.type(), "invalid_config");
    return std::string(error.what()) + " | " + error.suggestion();
  }
  return "(no error)";
}

TEST(ProviderSelectionTest, NoProviderSelectsNothing) {
  TestApplication test;

  EXPECT_EQ(test.app().credential_provider(), nullptr);
}

TEST(ProviderSelectionTest, OnlyProviderNeedsNoChoice) {
  TestApplication test;
  test.app().providers().add(credentials("auth-stytch"));

  EXPECT_EQ(test.app().credential_provider()->name, "auth-stytch");
}

TEST(ProviderSelectionTest, SeveralProvidersWithoutChoiceFail) {
  TestApplication test;
  test.app().providers().add(credentials("auth-stytch"));
  test.app().providers().add(credentials("auth-command"));

  EXPECT_EQ(selection_error(test.app()),
            "Several plugins provide aai.credentials: auth-stytch, auth-command. | Pick one with "
            "`aai config set core.credential_provider NAME`.");
}

TEST(ProviderSelectionTest, CoreKeyWinsOverProvidersSection) {
  TestApplication test;
  test.app().providers().add(credentials("auth-stytch"));
  test.app().providers().add(credentials("auth-command"));
  test.app().config().set("providers", "aai.credentials", "auth-stytch");
  test.app().config().set("core", "credential_provider", "auth-command");

  EXPECT_EQ(test.app().credential_provider()->name, "auth-command");
}

TEST(ProviderSelectionTest, ProvidersSectionStillWorks) {
  TestApplication test;
  test.app().providers().add(credentials("auth-stytch"));
  test.app().providers().add(credentials("auth-command"));
  test.app().config().set("providers", "aai.credentials", "auth-stytch");

  EXPECT_EQ(test.app().credential_provider()->name, "auth-stytch");
}

TEST(ProviderSelectionTest, UnknownChoiceNamesKeyAndInstalled) {
  TestApplication test;
  test.app().providers().add(credentials("auth-stytch"));
  test.app().providers().add(credentials("auth-command"));
  test.app().config().set("core", "credential_provider", "stytch");

  EXPECT_EQ(selection_error(test.app()),
            "core.credential_provider is 'stytch', but no plugin provides aai.credentials under "
            "that name; installed: auth-stytch, auth-command. | Pick one with `aai config set "
            "core.credential_provider NAME`.");
}

TEST(ProviderSelectionTest, UnknownOlderChoiceNamesOlderKey) {
  TestApplication test;
  test.app().providers().add(credentials("auth-stytch"));
  test.app().config().set("providers", "aai.credentials", "stytch");

  EXPECT_EQ(selection_error(test.app()),
            "providers.aai.credentials is 'stytch', but no plugin provides aai.credentials under "
            "that name; installed: auth-stytch. | Pick one with `aai config set "
            "providers.aai.credentials NAME`.");
}

TEST(ProviderSelectionTest, RegistryWithoutProvidersForRole) {
  ProviderRegistry registry;

  try {
    registry.select("aai.other", ProviderChoice{"x", "providers.aai.other"}, "providers.aai.other");
    FAIL() << "no error";
  } catch (const CliError& error) {
    EXPECT_STREQ(error.what(), "providers.aai.other is 'x', but no plugin provides aai.other.");
    EXPECT_EQ(error.suggestion(), "Remove it with `aai config unset providers.aai.other`.");
  }
}

}  // namespace
}  // namespace aai::host
