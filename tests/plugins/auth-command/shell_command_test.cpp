#include "shell_command.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

using auth_command::run_shell_command;
using auth_command::ShellCommand;
using auth_command::ShellResult;
using Outcome = auth_command::ShellResult::Outcome;

namespace {

using namespace std::chrono_literals;

ShellCommand shell(std::string command_line) {
  ShellCommand command;
  command.command_line = std::move(command_line);
  command.timeout = 10s;
  return command;
}

// Returns whether `pid` still runs. A zombie waiting for its parent to reap it counts as ended.
bool is_running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) {
    return false;
  }
  const size_t state = line.rfind(')') + 2;
  return state < line.size() && line[state] != 'Z' && line[state] != 'X';
}

class ShellCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/aai-shell-command-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    folder_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::filesystem::path folder_;
};

TEST_F(ShellCommandTest, CapturesStdoutAndExitStatus) {
  const ShellResult result = run_shell_command(shell("printf 'out\\n'; exit 3"));

  EXPECT_EQ(result.outcome, Outcome::kExited);
  EXPECT_EQ(result.status, 3);
  EXPECT_EQ(result.output, "out\n");
}

TEST_F(ShellCommandTest, GivesEmptyStdin) {
  const ShellResult result = run_shell_command(shell("cat; echo done"));

  EXPECT_EQ(result.outcome, Outcome::kExited);
  EXPECT_EQ(result.output, "done\n");
}

TEST_F(ShellCommandTest, ReplacesInheritedVariables) {
  setenv("AAI_SHELL_TEST_KEPT", "kept", 1);
  setenv("AAI_ENV", "inherited", 1);
  ShellCommand command = shell("printf '%s %s' \"$AAI_SHELL_TEST_KEPT\" \"$AAI_ENV\"");
  command.extra_environment = {{"AAI_ENV", "added"}};

  const ShellResult result = run_shell_command(command);
  unsetenv("AAI_SHELL_TEST_KEPT");
  unsetenv("AAI_ENV");

  EXPECT_EQ(result.output, "kept added");
}

TEST_F(ShellCommandTest, ReportsTerminatingSignal) {
  const ShellResult result = run_shell_command(shell("kill -TERM $$"));

  EXPECT_EQ(result.outcome, Outcome::kSignaled);
  EXPECT_EQ(result.status, SIGTERM);
}

TEST_F(ShellCommandTest, WaitsForExitAfterStdoutCloses) {
  const ShellResult result = run_shell_command(shell("echo early; exec >&-; sleep 0.2; exit 5"));

  EXPECT_EQ(result.outcome, Outcome::kExited);
  EXPECT_EQ(result.status, 5);
  EXPECT_EQ(result.output, "early\n");
}

TEST_F(ShellCommandTest, KillsProcessGroupOnTimeout) {
  const std::filesystem::path pid_file = folder_ / "pid";
  ShellCommand command =
      shell("sleep 30 & echo $! > '" + pid_file.string() + "'; echo partial; wait");
  command.timeout = 300ms;

  const auto started = std::chrono::steady_clock::now();
  const ShellResult result = run_shell_command(command);
  const auto elapsed = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(result.outcome, Outcome::kTimedOut);
  EXPECT_EQ(result.output, "");
  EXPECT_LT(elapsed, 5s);
  std::ifstream pid_stream(pid_file);
  pid_t background_pid = 0;
  ASSERT_TRUE(pid_stream >> background_pid);
  for (int i = 0; i < 100 && is_running(background_pid); ++i) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_FALSE(is_running(background_pid));
}

TEST_F(ShellCommandTest, StopsAtOutputCap) {
  ShellCommand command = shell("yes");
  command.max_output_bytes = 1000;

  const ShellResult result = run_shell_command(command);

  EXPECT_EQ(result.outcome, Outcome::kOutputTooLarge);
  EXPECT_EQ(result.output, "");
}

TEST_F(ShellCommandTest, AcceptsOutputAtCap) {
  ShellCommand command = shell("head -c 1000 /dev/zero | tr '\\0' a");
  command.max_output_bytes = 1000;

  const ShellResult result = run_shell_command(command);

  EXPECT_EQ(result.outcome, Outcome::kExited);
  EXPECT_EQ(result.output, std::string(1000, 'a'));
}

TEST_F(ShellCommandTest, StopsWhenInterrupted) {
  ShellCommand command = shell("sleep 30");
  int checks = 0;
  command.is_interrupted = [&checks] { return ++checks >= 3; };

  const auto started = std::chrono::steady_clock::now();
  const ShellResult result = run_shell_command(command);

  EXPECT_EQ(result.outcome, Outcome::kInterrupted);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

}  // namespace
