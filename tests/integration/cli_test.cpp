// The real aai binary: plugins, help, installation and the emulator started on demand.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness.hpp"

namespace aai::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Returns a loopback port that was free a moment ago.
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

TEST(CliTest, HelpListsCommandsFromPlugins) {
  Sandbox sandbox;

  auto result = sandbox.run({"--help"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (const char* command :
       {"transcribe", "transcripts list", "transcripts get", "transcripts delete", "env list",
        "env show", "local serve", "plugins list", "config get"}) {
    EXPECT_TRUE(contains(result.out, command)) << command << " missing from:\n" << result.out;
  }
}

TEST(CliTest, NoCommandPrintsHelp) {
  Sandbox sandbox;

  auto result = sandbox.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(contains(result.out, "transcribe")) << result.out;
}

TEST(CliTest, VersionIsBare) {
  Sandbox sandbox;

  auto result = sandbox.run({"--version"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, std::string(AAI_TEST_VERSION) + "\n");
}

TEST(CliTest, UnknownCommandSuggestsNearest) {
  Sandbox sandbox;

  auto result = sandbox.run({"transcrbe", "x.wav"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err, "transcrbe")) << result.err;
  EXPECT_TRUE(contains(result.err, "transcribe")) << result.err;
}

TEST(CliTest, JunkPluginIsSkippedWithOneWarning) {
  Sandbox sandbox;
  TempDir plugins;
  auto junk = plugins.write("junk.so", "this is not a shared library\n");
  sandbox.set_env("AAI_PLUGIN_PATH", plugins.path().string());

  auto help = sandbox.run({"--help"});
  auto listing = sandbox.run({"plugins", "list"});

  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "transcribe"));
  EXPECT_TRUE(contains(help.err, junk.string())) << help.err;
  EXPECT_EQ(std::count(help.err.begin(), help.err.end(), '\n'), 1) << help.err;
  EXPECT_TRUE(contains(listing.out, junk.string())) << listing.out;
}

TEST(CliTest, PluginWrittenInCLoadsFromPluginPath) {
  Sandbox sandbox;
  sandbox.set_env("AAI_PLUGIN_PATH", (build_dir() / "tests/sdk/plugins").string());

  auto greeting = sandbox.run({"greet", "--name", "Ada"});
  auto empty = sandbox.run({"greet", "--name", ""});

  EXPECT_EQ(greeting.exit_code, 0) << greeting.err;
  EXPECT_EQ(greeting.out, "hello, Ada\n");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_EQ(empty.err, "Error: The name is empty.\nSuggestion: Pass a name with --name.\n");
}

TEST(CliTest, GlobalOptionAfterCommandIsAUsageError) {
  Sandbox sandbox;

  auto result = sandbox.run({"env", "list", "--env", "local"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err, "--env")) << result.err;
}

TEST(CliTest, UnknownEnvironmentListsKnownOnes) {
  Sandbox sandbox;

  auto result = sandbox.run({"--env", "moon", "env", "show"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err, "'moon'")) << result.err;
  EXPECT_TRUE(contains(result.err, "production")) << result.err;
  EXPECT_TRUE(contains(result.err, "local")) << result.err;
}

TEST(CliTest, CorruptConfigIsReportedAndKept) {
  Sandbox sandbox;
  std::filesystem::create_directories(sandbox.config_file().parent_path());
  const std::string corrupt = "[core]\nactive_profile = default\nthis line is not ini\n";
  std::ofstream(sandbox.config_file()) << corrupt;

  auto result = sandbox.run({"--json", "config", "set", "env", "local"});

  EXPECT_EQ(result.exit_code, 2);
  auto error = nlohmann::json::parse(result.err)["error"];
  EXPECT_EQ(error["type"], "invalid_config");
  EXPECT_TRUE(contains(error["message"], sandbox.config_file().string())) << result.err;
  EXPECT_TRUE(contains(error["message"], "line 3")) << result.err;
  std::ifstream in(sandbox.config_file());
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, corrupt);
}

// Installs into a fresh prefix, then removes one plugin file: its commands go, the rest stay.
TEST(CliTest, InstalledCopyWorksAndPluginsAreRemovable) {
  TempDir prefix;
  std::string install = std::string(AAI_TEST_CMAKE_COMMAND) + " --install " + build_dir().string() +
                        " --prefix " + prefix.path().string() + " >/dev/null";
  ASSERT_EQ(std::system(install.c_str()), 0);
  auto aai = prefix.path() / "bin/aai";
  auto plugin_dir = prefix.path() / "lib/aai/plugins";
  ASSERT_TRUE(std::filesystem::exists(plugin_dir / "transcribe.so"));
  Sandbox sandbox;

  auto before = sandbox.run({"--help"}, {}, aai);
  std::filesystem::remove(plugin_dir / "transcribe.so");
  auto after = sandbox.run({"--help"}, {}, aai);
  auto removed_command = sandbox.run({"transcribe", "x.wav"}, {}, aai);
  auto env = sandbox.run({"env", "list"}, {}, aai);

  EXPECT_EQ(before.exit_code, 0) << before.err;
  EXPECT_TRUE(contains(before.out, "transcripts list"));
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.err, "");
  EXPECT_FALSE(contains(after.out, "transcripts list")) << after.out;
  EXPECT_TRUE(contains(after.out, "env list"));
  EXPECT_EQ(removed_command.exit_code, 2);
  EXPECT_EQ(env.exit_code, 0) << env.err;
  EXPECT_TRUE(contains(env.out, "production"));
}

TEST(CliTest, LocalServeRunsTheEmulatorInTheForeground) {
  Sandbox sandbox;
  TempDir data;

  auto result = sandbox.run(
      {"local", "serve", "--port", "0", "--idle-timeout", "1", "--data-dir", data.path().string()});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("listening on http://127.0.0.1:", 0), 0u) << result.out;
}

TEST(CliTest, InvalidLocalPortIsAUsageError) {
  Sandbox sandbox;
  sandbox.set_env("AAI_LOCAL_PORT", "99999");
  sandbox.set_env("ASSEMBLYAI_API_KEY", "any-key");

  auto result = sandbox.run({"--env", "local", "transcripts", "list"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: AAI_LOCAL_PORT must be 1..65535, not \"99999\".\n"
            "Suggestion: Set AAI_LOCAL_PORT to a free TCP port, or unset it to use 8765.\n");
}

// With nothing listening on the local port, the first request starts the emulator.
TEST(CliTest, LocalEnvironmentStartsTheEmulatorOnDemand) {
  Sandbox sandbox;
  sandbox.set_env("AAI_LOCAL_PORT", std::to_string(free_port()));
  sandbox.set_env("ASSEMBLYAI_API_KEY", "any-key");

  auto first = sandbox.run({"--env", "local", "transcripts", "list"});
  auto second = sandbox.run({"--env", "local", "transcripts", "list"});
  int stopped = kill_processes_mentioning(sandbox.home().string());

  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(contains(first.err, "Started the local emulator")) << first.err;
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err, "");
  EXPECT_GE(stopped, 1);
}

}  // namespace
}  // namespace aai::testing
