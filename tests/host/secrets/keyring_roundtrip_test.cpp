// Runs the real libsecret path against a private GNOME Keyring on a private session bus.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <cstdlib>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::TempDir;

bool is_installed(const std::string& program) {
  std::string command = "command -v " + program + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

struct ShellResult {
  int exit_code = -1;
  std::string out;
};

ShellResult run_shell(const std::string& command) {
  ShellResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  size_t count = 0;
  while ((count = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), count);
  }
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(KeyringRoundTripTest, StoresReadsAndRemovesInSecretService) {
  for (const char* program : {"dbus-run-session", "gnome-keyring-daemon", "secret-tool"}) {
    if (!is_installed(program)) {
      GTEST_SKIP() << program << " is not installed; scripts/install-deps.sh installs it.";
    }
  }
  TempDir home;
  fs::path data = home.path() / "data";
  fs::path errors = home.path() / "helper-stderr";
  // The steps write to a file of their own: a keyring daemon that D-Bus activates prints its
  // variables on the session's stdout, at a moment that depends on timing.
  fs::path results = home.path() / "helper-stdout";
  std::string helper = AAI_TEST_KEYRING_HELPER;
  // Each step is a new process, as separate aai commands would be. secret-tool reads the item
  // by the attribute names Python's keyring library uses, to show both CLIs share entries.
  std::string script =
      "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
      "h=\"$0\"; e=\"$1\"; r=\"$2\"; { "
      "\"$h\" describe 2>>\"$e\"; "
      "\"$h\" lookup aai-keyring-test default 2>>\"$e\"; "
      "\"$h\" store aai-keyring-test default s3cret-value-42 2>>\"$e\"; "
      "\"$h\" store aai-keyring-test default s3cret-value-43 2>>\"$e\"; "
      "\"$h\" lookup aai-keyring-test default 2>>\"$e\"; "
      "secret-tool lookup service aai-keyring-test username default; echo; "
      "\"$h\" remove aai-keyring-test default 2>>\"$e\"; "
      "\"$h\" lookup aai-keyring-test default 2>>\"$e\"; "
      "\"$h\" remove aai-keyring-test default 2>>\"$e\"; } >\"$r\"";
  std::string command = "env -u DBUS_SESSION_BUS_ADDRESS -u XDG_RUNTIME_DIR HOME='" +
                        home.path().string() + "' XDG_DATA_HOME='" + data.string() +
                        "' XDG_CONFIG_HOME='" + (home.path() / "config").string() +
                        "' timeout 120 dbus-run-session -- sh -c '" + script + "' '" + helper +
                        "' '" + errors.string() + "' '" + results.string() + "' 2>/dev/null";

  ShellResult result = run_shell(command);

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(read_text(results),
            "the Secret Service keyring\n"
            "(none)\n"
            "stored\n"
            "stored\n"
            "s3cret-value-43\n"
            "s3cret-value-43\n"
            "removed\n"
            "(none)\n"
            "not stored\n");
  EXPECT_EQ(read_text(errors), "Keeping secrets in the Secret Service keyring.\n");
  EXPECT_EQ(read_text(data / "aai" / "secret-store"), "keyring\n");
  EXPECT_FALSE(fs::exists(data / "aai" / "secrets.json"));
}

}  // namespace
}  // namespace aai::host
