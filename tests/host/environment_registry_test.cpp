#include "environment_registry.hpp"

#include "cli_error.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

Environment environment(const std::string& name) {
  Environment result;
  result.name = name;
  result.summary = name + " summary";
  result.plugin_name = "env-registry";
  result.plugin_file = "/p/env.so";
  result.fields = {{"api_base", "http://h"}};
  return result;
}

TEST(EnvironmentSelectionTest, FollowsPrecedence) {
  EXPECT_EQ(select_environment("local", true, "x", "y", "production").name, "local");
  EXPECT_EQ(select_environment("local", true, "x", "y", "production").source, "--env");
  EXPECT_EQ(select_environment(std::nullopt, true, "x", "y", "production").name, "sandbox000");
  EXPECT_EQ(select_environment(std::nullopt, true, "x", "y", "production").source, "--sandbox");
  EXPECT_EQ(select_environment(std::nullopt, false, "x", "y", "production").name, "x");
  EXPECT_EQ(select_environment(std::nullopt, false, "x", "y", "production").source, "AAI_ENV");
  EXPECT_EQ(select_environment(std::nullopt, false, nullptr, "y", "production").name, "y");
  EXPECT_EQ(select_environment(std::nullopt, false, nullptr, "y", "production").source, "profile");
  EXPECT_EQ(select_environment(std::nullopt, false, nullptr, std::nullopt, "production").name,
            "production");
  EXPECT_EQ(select_environment(std::nullopt, false, nullptr, std::nullopt, "production").source,
            "default");
}

TEST(EnvironmentSelectionTest, TreatsEmptyValuesAsUnset) {
  auto selection = select_environment(std::string(), false, "", std::string(), "production");

  EXPECT_EQ(selection.name, "production");
  EXPECT_EQ(selection.source, "default");
}

TEST(EnvironmentSelectionTest, FallsBackToTheBuildDefault) {
  auto selection = select_environment(std::nullopt, false, nullptr, std::nullopt, "acme");

  EXPECT_EQ(selection.name, "acme");
  EXPECT_EQ(selection.source, "default");
}

TEST(EnvironmentRegistryTest, KeepsFirstOfDuplicateNames) {
  EnvironmentRegistry registry;
  registry.add(environment("production"));
  Environment second = environment("production");
  second.plugin_file = "/p/other.so";

  EnvironmentAddResult result = registry.add(second);

  EXPECT_EQ(result.outcome, EnvironmentAddResult::Outcome::kConflict);
  ASSERT_TRUE(result.earlier.has_value());
  EXPECT_EQ(result.earlier->plugin_file, "/p/env.so");
  ASSERT_EQ(registry.all().size(), 1u);
  EXPECT_EQ(registry.all()[0].plugin_file, "/p/env.so");
}

Environment from_file(const std::string& name, const std::string& api_base) {
  Environment file_based = environment(name);
  file_based.fields = {{"api_base", api_base}};
  file_based.origin = "/etc/aai/environments.d/" + name + ".ini";
  file_based.replaceable = true;
  return file_based;
}

Environment from_plugin(const std::string& name, const std::string& api_base) {
  Environment registered = environment(name);
  registered.plugin_name = "acme-env";
  registered.plugin_file = "/p/acme-env.so";
  registered.fields = {{"api_base", api_base}};
  registered.origin = "plugin acme-env";
  return registered;
}

TEST(EnvironmentRegistryTest, PluginReplacesEarlierReplaceableOne) {
  EnvironmentRegistry registry;
  registry.add(environment("production"));
  registry.add(from_file("acme", "https://file.acme.example"));

  EnvironmentAddResult result = registry.add(from_plugin("acme", "https://plugin.acme.example"));

  EXPECT_EQ(result.outcome, EnvironmentAddResult::Outcome::kReplaced);
  ASSERT_TRUE(result.earlier.has_value());
  EXPECT_EQ(result.earlier->origin, "/etc/aai/environments.d/acme.ini");
  ASSERT_EQ(registry.all().size(), 2u);
  EXPECT_EQ(registry.all()[1].name, "acme");
  EXPECT_EQ(registry.all()[1].origin, "plugin acme-env");
  EXPECT_EQ(*registry.all()[1].field("api_base"), "https://plugin.acme.example");
}

TEST(EnvironmentRegistryTest, PluginStaysWhenReplaceableOneComesLater) {
  EnvironmentRegistry registry;
  registry.add(from_plugin("acme", "https://plugin.acme.example"));

  EnvironmentAddResult result = registry.add(from_file("acme", "https://file.acme.example"));

  EXPECT_EQ(result.outcome, EnvironmentAddResult::Outcome::kKeptEarlier);
  ASSERT_TRUE(result.earlier.has_value());
  EXPECT_EQ(result.earlier->origin, "plugin acme-env");
  ASSERT_EQ(registry.all().size(), 1u);
  EXPECT_EQ(registry.all()[0].origin, "plugin acme-env");
  EXPECT_EQ(*registry.all()[0].field("api_base"), "https://plugin.acme.example");
}

TEST(EnvironmentRegistryTest, LaterReplaceableReplacesEarlierReplaceable) {
  EnvironmentRegistry registry;
  registry.add(from_file("acme", "https://first.acme.example"));
  Environment second = from_file("acme", "https://second.acme.example");
  second.origin = "/home/me/.config/aai/environments.d/acme.ini";

  EnvironmentAddResult result = registry.add(second);

  EXPECT_EQ(result.outcome, EnvironmentAddResult::Outcome::kReplaced);
  ASSERT_EQ(registry.all().size(), 1u);
  EXPECT_EQ(*registry.all()[0].field("api_base"), "https://second.acme.example");
}

TEST(EnvironmentRegistryTest, UnknownNameListsKnownOnes) {
  EnvironmentRegistry registry;
  registry.add(environment("production"));
  registry.add(environment("sandbox000"));
  registry.add(environment("local"));

  try {
    registry.require("foo");
    FAIL() << "expected invalid_environment";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(error.type(), "invalid_environment");
    EXPECT_STREQ(error.what(), "Unknown environment 'foo'.");
    EXPECT_EQ(error.suggestion(),
              "Known environments: production, sandbox000, local. Run `aai env list` for "
              "details.");
  }
}

TEST(EnvironmentRegistryTest, ListsAsJson) {
  EnvironmentRegistry registry;
  Environment local = environment("local");
  local.origin = "built-in";
  registry.add(local);

  EXPECT_EQ(registry.to_json(),
            R"([{"name":"local","summary":"local summary","plugin":"env-registry",)"
            R"("origin":"built-in","fields":{"api_base":"http://h"}}])");
}

}  // namespace
}  // namespace aai::host
