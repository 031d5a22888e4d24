#include "environment_registry.hpp"

#include "cli_error.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

Environment environment(const std::string& name) {
  return {name, name + " summary", "env-registry", "/p/env.so", {{"api_base", "http://h"}}};
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

  const Environment* existing = registry.add(second);

  ASSERT_NE(existing, nullptr);
  EXPECT_EQ(existing->plugin_file, "/p/env.so");
  EXPECT_EQ(registry.all().size(), 1u);
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
  registry.add(environment("local"));

  EXPECT_EQ(registry.to_json(),
            R"([{"name":"local","summary":"local summary","plugin":"env-registry",)"
            R"("fields":{"api_base":"http://h"}}])");
}

}  // namespace
}  // namespace aai::host
