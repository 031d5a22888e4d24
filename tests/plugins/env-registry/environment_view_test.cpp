#include "environment_view.hpp"

#include <gtest/gtest.h>
#include <aai/plugin.hpp>

namespace {

nlohmann::json sample_environments() {
  return nlohmann::json::parse(R"([
    {"name":"production","summary":"Public","plugin":"env-registry",
     "fields":{"api_base":"https://api.example.test"}},
    {"name":"local","summary":"Emulator","plugin":"local","origin":"plugin local",
     "fields":{"api_base":"http://127.0.0.1:8765"}}])");
}

TEST(EnvironmentViewTest, MarksActiveEnvironmentInTable) {
  std::string table = env_registry::render_environment_table(sample_environments(), "local");

  EXPECT_EQ(table,
            "   NAME        API BASE                  PLUGIN        SUMMARY\n"
            "   production  https://api.example.test  env-registry  Public\n"
            "*  local       http://127.0.0.1:8765     local         Emulator\n");
}

TEST(EnvironmentViewTest, FindsEnvironmentByName) {
  nlohmann::json environments = sample_environments();

  EXPECT_EQ(env_registry::find_environment(environments, "local")["plugin"], "local");
}

TEST(EnvironmentViewTest, RejectsUnknownNameListingKnownOnes) {
  nlohmann::json environments = sample_environments();

  try {
    env_registry::find_environment(environments, "staging");
    FAIL() << "expected an error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(error.type(), "invalid_environment");
    EXPECT_STREQ(error.what(),
                 "Unknown environment 'staging'. Known environments: production, local.");
    EXPECT_EQ(error.suggestion(),
              "Run `aai env list` to see every environment and the plugin that adds it.");
  }
}

TEST(EnvironmentViewTest, RendersDetailsWithEveryField) {
  nlohmann::json details =
      env_registry::environment_details_json(sample_environments()[1], "AAI_ENV", true);

  EXPECT_EQ(env_registry::render_environment_details(details),
            "name: local\nsource: AAI_ENV\nactive: yes\nplugin: local\norigin: plugin local\n"
            "summary: Emulator\nfields:\n  api_base: http://127.0.0.1:8765\n");
}

TEST(EnvironmentViewTest, DetailsJsonCarriesOrigin) {
  nlohmann::json details =
      env_registry::environment_details_json(sample_environments()[1], "argument", false);

  EXPECT_EQ(details["origin"], "plugin local");
  EXPECT_EQ(details["plugin"], "local");
  EXPECT_EQ(details["source"], "argument");
}

TEST(EnvironmentViewTest, DetailsOfAnOlderHostHaveEmptyOrigin) {
  nlohmann::json details =
      env_registry::environment_details_json(sample_environments()[0], "default", true);

  EXPECT_EQ(details["origin"], "");
}

}  // namespace
