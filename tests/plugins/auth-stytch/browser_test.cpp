#include "browser.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace auth_stytch {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const char kUrl[] = "http://127.0.0.1:9/v1/start?a=1&b=%2F";

// Sets BROWSER for one test and puts back the previous value afterwards. Also provides a
// folder for scripts and their output.
class BrowserLauncherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* previous = std::getenv("BROWSER")) {
      previous_browser_ = previous;
    }
    char folder_template[] = "/tmp/aai-browser-test-XXXXXX";
    ASSERT_NE(mkdtemp(folder_template), nullptr);
    folder_ = folder_template;
  }

  void TearDown() override {
    if (previous_browser_) {
      setenv("BROWSER", previous_browser_->c_str(), 1);
    } else {
      unsetenv("BROWSER");
    }
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  static void set_browser(const std::string& value) { setenv("BROWSER", value.c_str(), 1); }

  // Writes an executable shell script with `body` and returns its path.
  std::string write_script(const std::string& name, const std::string& body) {
    const fs::path path = folder_ / name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    fs::permissions(path, fs::perms::owner_all);
    return path.string();
  }

  // A script that writes its arguments, one a line, to arguments.txt. It renames a finished
  // file into place so the test never reads half of it.
  std::string write_recording_script() {
    const std::string output = (folder_ / "arguments.txt").string();
    return write_script("record.sh", "printf '%s\\n' \"$@\" > '" + output + ".part'\nmv '" +
                                         output + ".part' '" + output + "'\n");
  }

  // Waits up to 5 seconds for `name` in the folder and returns its contents.
  std::string read_output(const std::string& name) {
    const fs::path path = folder_ / name;
    const auto deadline = Clock::now() + 5s;
    while (!fs::exists(path) && Clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    std::ifstream stream(path);
    std::ostringstream contents;
    contents << stream.rdbuf();
    return contents.str();
  }

  fs::path folder_;

 private:
  std::optional<std::string> previous_browser_;
};

TEST_F(BrowserLauncherTest, AppendsUrlWithoutPlaceholder) {
  set_browser(write_recording_script() + " --new-window");
  auto browser = make_system_browser();

  ASSERT_TRUE(browser->open(kUrl));

  EXPECT_EQ(read_output("arguments.txt"), "--new-window\n" + std::string(kUrl) + "\n");
}

TEST_F(BrowserLauncherTest, ReplacesPlaceholderWithUrl) {
  set_browser(write_recording_script() + "  --open=%s  last");
  auto browser = make_system_browser();

  ASSERT_TRUE(browser->open(kUrl));

  EXPECT_EQ(read_output("arguments.txt"), "--open=" + std::string(kUrl) + "\nlast\n");
}

TEST_F(BrowserLauncherTest, FallsBackToNextEntry) {
  set_browser((folder_ / "missing-browser").string() + " %s:" + write_recording_script());
  auto browser = make_system_browser();

  ASSERT_TRUE(browser->open(kUrl));

  EXPECT_EQ(read_output("arguments.txt"), std::string(kUrl) + "\n");
}

TEST_F(BrowserLauncherTest, ReturnsFalseWhenNoEntryStarts) {
  set_browser((folder_ / "missing-a").string() + "::" + (folder_ / "missing-b").string());
  auto browser = make_system_browser();

  EXPECT_FALSE(browser->open(kUrl));
  EXPECT_FALSE(browser->failed());
}

TEST_F(BrowserLauncherTest, ConnectsStdinAndStdoutToDevNull) {
  const std::string output = (folder_ / "streams.txt").string();
  // /proc/self rather than /proc/$$: in a chroot whose /proc belongs to another PID namespace,
  // $$ names a different process there. fd 3 keeps the script's stdout visible to readlink,
  // whose own stdout is the command substitution's pipe.
  set_browser(write_script("streams.sh",
                           "exec 3>&1\n"
                           "input=$(readlink /proc/self/fd/0)\n"
                           "output=$(readlink /proc/self/fd/3)\n"
                           "printf '%s\\n%s\\n' \"$input\" \"$output\" > '" +
                               output + ".part'\nmv '" + output + ".part' '" + output + "'\n"));
  auto browser = make_system_browser();

  ASSERT_TRUE(browser->open(kUrl));

  EXPECT_EQ(read_output("streams.txt"), "/dev/null\n/dev/null\n");
}

TEST_F(BrowserLauncherTest, ReportsFailureOfExitedCommand) {
  set_browser("false");
  auto browser = make_system_browser();
  ASSERT_TRUE(browser->open(kUrl));

  const auto deadline = Clock::now() + 5s;
  bool failed = false;
  while (!failed && Clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    failed = browser->failed();
  }

  EXPECT_TRUE(failed);
}

TEST_F(BrowserLauncherTest, ReportsNoFailureWhileCommandRuns) {
  set_browser(write_script("slow.sh", "sleep 1\n"));
  auto browser = make_system_browser();
  ASSERT_TRUE(browser->open(kUrl));

  std::this_thread::sleep_for(300ms);

  EXPECT_FALSE(browser->failed());
}

TEST_F(BrowserLauncherTest, ReportsNoFailureOfSuccessfulCommand) {
  set_browser("true");
  auto browser = make_system_browser();
  ASSERT_TRUE(browser->open(kUrl));

  std::this_thread::sleep_for(300ms);

  EXPECT_FALSE(browser->failed());
}

}  // namespace
}  // namespace auth_stytch
