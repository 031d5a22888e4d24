// How the host reports a plugin command that fails, from a fixture written against the raw C ABI.
#include "plugin_command.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

using testing::TestApplication;

struct RunResult {
  int exit_code;
  std::string out;
  std::string err;
};

RunResult run_failing_command(const std::vector<std::string>& args) {
  TestApplication test(args);
  test.load_fixtures({"fixture_command_errors.so"});
  int exit_code = test.run();
  return {exit_code, test.out(), test.err()};
}

TEST(PluginCommandTest, ExceptionFromRunIsInternalError) {
  auto text = run_failing_command({"raise-error"});
  auto json = run_failing_command({"--json", "raise-error"});

  EXPECT_EQ(text.exit_code, 1);
  EXPECT_EQ(text.err,
            "Error: The plugin 'fixture-command-errors' raised an exception in `aai raise-error`: "
            "kaboom\nSuggestion: Report this to the plugin's authors.\n");
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.err,
            "{\"error\":{\"type\":\"internal_error\",\"message\":\"The plugin "
            "'fixture-command-errors' raised an exception in `aai raise-error`: kaboom\","
            "\"suggestion\":\"Report this to the plugin's authors.\"}}\n");
}

TEST(PluginCommandTest, NonStandardExceptionIsInternalError) {
  auto result = run_failing_command({"raise-other"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "Error: The plugin 'fixture-command-errors' raised an unknown exception in `aai "
            "raise-other`.\nSuggestion: Report this to the plugin's authors.\n");
}

TEST(PluginCommandTest, FailKeepsExitCodeAndMessage) {
  auto text = run_failing_command({"fail-with-reason"});
  auto json = run_failing_command({"-j", "fail-with-reason"});

  EXPECT_EQ(text.exit_code, 4);
  EXPECT_EQ(text.out, "");
  EXPECT_EQ(text.err,
            "Error: The fixture denied access.\nSuggestion: Sign in to the fixture "
            "first.\n");
  EXPECT_EQ(json.exit_code, 4);
  EXPECT_EQ(json.err,
            "{\"error\":{\"type\":\"fixture_denied\",\"message\":\"The fixture denied access.\","
            "\"suggestion\":\"Sign in to the fixture first.\",\"fixture_id\":\"d-1\"}}\n");
}

TEST(PluginCommandTest, FailureWithoutReasonNamesPlugin) {
  auto result = run_failing_command({"fail-silently"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "Error: The plugin 'fixture-command-errors' failed `aai fail-silently` with exit "
            "code 1 without saying why.\nSuggestion: Run again with -v for its log, or report "
            "this to the plugin's authors.\n");
}

}  // namespace
}  // namespace aai::host
