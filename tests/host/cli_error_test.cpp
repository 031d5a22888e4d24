#include "cli_error.hpp"

#include "output.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include <unistd.h>

namespace aai::host {
namespace {

TEST(CliErrorTest, FormatsTextWithSuggestion) {
  CliError error(2, "usage_error", "Unknown command 'x'.", "Run `aai --help`.");

  EXPECT_EQ(format_error_text(error),
            "Error: Unknown command 'x'.\nSuggestion: Run `aai --help`.\n");
}

TEST(CliErrorTest, FormatsTextWithoutSuggestion) {
  CliError error(1, "api_error", "The request failed.");

  EXPECT_EQ(format_error_text(error), "Error: The request failed.\n");
}

TEST(CliErrorTest, FormatsJsonOnOneLine) {
  CliError error(4, "not_authenticated", "Your API key was rejected.",
                 "Check the key, or run `aai login` to get a new one.");

  EXPECT_EQ(format_error_json(error),
            "{\"error\":{\"type\":\"not_authenticated\",\"message\":\"Your API key was "
            "rejected.\",\"suggestion\":\"Check the key, or run `aai login` to get a new "
            "one.\"}}\n");
}

TEST(CliErrorTest, OmitsAbsentSuggestionAndAddsDetails) {
  CliError error(1, "api_error", "Transcript failed.", "", R"({"transcript_id":"t-1"})");

  EXPECT_EQ(format_error_json(error),
            "{\"error\":{\"type\":\"api_error\",\"message\":\"Transcript "
            "failed.\",\"transcript_id\":\"t-1\"}}\n");
}

TEST(CliErrorTest, IgnoresDetailsThatAreNotAnObject) {
  CliError error(1, "api_error", "Failed.", "", "[1,2]");

  EXPECT_EQ(format_error_json(error),
            "{\"error\":{\"type\":\"api_error\",\"message\":\"Failed.\"}}\n");
}

TEST(CliErrorTest, DetailsCannotReplaceTypeOrMessage) {
  CliError error(1, "api_error", "Failed.", "", R"({"type":"other","message":"x"})");

  EXPECT_EQ(format_error_json(error),
            "{\"error\":{\"type\":\"api_error\",\"message\":\"Failed.\"}}\n");
}

TEST(OutputTest, PrintsWarningsAsTextOrJson) {
  std::ostringstream text_stream;
  std::ostringstream json_stream;
  Output text(-1, text_stream, false, false);
  Output json(-1, json_stream, true, false);

  text.warning("skipped plugin /x/junk.so: not an ELF shared library");
  json.warning("careful");

  EXPECT_EQ(text_stream.str(), "Warning: skipped plugin /x/junk.so: not an ELF shared library\n");
  EXPECT_EQ(json_stream.str(), "{\"warning\":\"careful\"}\n");
}

TEST(OutputTest, QuietHidesMessagesButNotErrors) {
  std::ostringstream stream;
  Output output(-1, stream, false, true);

  output.message(AAI_MESSAGE_NOTE, "Saved.");
  output.error(CliError(1, "api_error", "Failed."));

  EXPECT_EQ(stream.str(), "Error: Failed.\n");
}

TEST(OutputTest, ReportsClosedStdout) {
  std::signal(SIGPIPE, SIG_IGN);  // as install_signal_handlers does in aai
  std::ostringstream stream;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  ::close(pipe_fds[0]);
  Output output(pipe_fds[1], stream, false, false);

  bool first = output.write("data\n");
  bool second = output.write("more\n");
  ::close(pipe_fds[1]);

  EXPECT_FALSE(first);
  EXPECT_FALSE(second);
  EXPECT_TRUE(output.is_stdout_closed());
}

}  // namespace
}  // namespace aai::host
