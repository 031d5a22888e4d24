#include "help_text.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace aai::host {
namespace {

using testing::TestApplication;

// Compares with a golden file. With AAI_UPDATE_GOLDEN=1 in the environment the file is rewritten
// instead, so a deliberate help change is one test run plus a review of the diff.
void expect_golden(const std::string& name, const std::string& actual) {
  auto path = std::filesystem::path(AAI_TEST_GOLDEN_DIR) / name;
  const char* update = std::getenv("AAI_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    testing::write_text(path, actual);
  }
  EXPECT_EQ(actual, testing::read_text(path)) << "golden file " << path;
}

TEST(HelpTextTest, MainHelpWithoutPlugins) {
  TestApplication test({"--help"});

  EXPECT_EQ(test.run(), 0);
  expect_golden("main_help_without_plugins.txt", test.out());
}

TEST(HelpTextTest, MainHelpGroupsCommandsByPlugin) {
  TestApplication test;
  test.load_fixtures({"fixture_good.so"});

  EXPECT_EQ(test.run(), 0);
  expect_golden("main_help_with_plugin.txt", test.out());
}

TEST(HelpTextTest, CommandHelpFromOptionSpecs) {
  TestApplication test({"greet", "--help"});
  test.load_fixtures({"fixture_good.so"});

  EXPECT_EQ(test.run(), 0);
  expect_golden("greet_help.txt", test.out());
}

TEST(HelpTextTest, BuiltInCommandHelp) {
  TestApplication test({"help", "config", "set"});

  EXPECT_EQ(test.run(), 0);
  expect_golden("config_set_help.txt", test.out());
}

}  // namespace
}  // namespace aai::host
