#include "application.hpp"

#include "plugin_loader.hpp"
#include "signals.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace aai::host {
namespace {

using testing::TestApplication;

struct RunResult {
  int exit_code;
  std::string out;
  std::string err;
};

RunResult run_with_good_plugin(const std::vector<std::string>& args) {
  TestApplication test(args);
  test.load_fixtures({"fixture_good.so"});
  int exit_code = test.run();
  return {exit_code, test.out(), test.err()};
}

TEST(ApplicationTest, RunsPluginCommandWithParsedOptions) {
  auto result = run_with_good_plugin(
      {"greet", "ann", "bob", "--count", "2", "--no-punctuate", "--tag", "x", "--tag", "y"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "hello ann bob count=2 format=text punctuate=false tag=x tag=y\n");
  EXPECT_EQ(result.err, "");
}

TEST(ApplicationTest, MatchesLongestNestedName) {
  auto result = run_with_good_plugin({"things", "list"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "thing-1\n");
}

TEST(ApplicationTest, GroupAlonePrintsSubcommandsAndExitsTwo) {
  auto result = run_with_good_plugin({"things"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "Usage: aai things COMMAND [ARGS]...\n\nCommands:\n"
            "  things add   Add a thing.\n"
            "  things list  List the things.\n\n"
            "Run `aai things COMMAND --help` for a command's options.\n");
}

TEST(ApplicationTest, UnknownCommandSuggestsCloseName) {
  auto result = run_with_good_plugin({"gret"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "Error: Unknown command 'gret'.\nSuggestion: Did you mean 'greet'?\n");
}

TEST(ApplicationTest, UnknownSubcommandSuggestsSibling) {
  auto result = run_with_good_plugin({"things", "lst"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: Unknown command 'things lst'.\nSuggestion: Did you mean 'things list'?\n");
}

TEST(ApplicationTest, PluginFailureKeepsTypeSuggestionAndDetails) {
  auto text = run_with_good_plugin({"fail"});
  auto json = run_with_good_plugin({"fail", "--json"});

  EXPECT_EQ(text.exit_code, 1);
  EXPECT_EQ(text.err,
            "Error: The fixture failed on purpose.\nSuggestion: Do not run `aai fail`.\n");
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.err,
            "{\"error\":{\"type\":\"fixture_failure\",\"message\":\"The fixture failed on "
            "purpose.\",\"suggestion\":\"Do not run `aai fail`.\",\"fixture_id\":\"f-1\"}}\n");
}

TEST(ApplicationTest, UsageErrorInJsonMode) {
  auto result = run_with_good_plugin({"-j", "greet", "ann", "--count", "x"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "{\"error\":{\"type\":\"usage_error\",\"message\":\"Invalid value 'x' for --count: "
            "expected an integer.\"}}\n");
}

TEST(ApplicationTest, PrintsBareVersion) {
  TestApplication test({"-V"});

  EXPECT_EQ(test.run(), 0);
  EXPECT_EQ(test.out(), std::string(host_version()) + "\n");
}

TEST(ApplicationTest, UnknownEnvironmentFailsWhenResolved) {
  TestApplication test({"--env", "foo"});
  test.load_fixtures({"fixture_good.so"});

  try {
    test.app().environment_selection();
    FAIL() << "expected invalid_environment";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_STREQ(error.what(), "Unknown environment 'foo'.");
    EXPECT_EQ(error.suggestion(), "Known environments: fixture. Run `aai env list` for details.");
  }
}

TEST(ApplicationTest, ProfileEnvSelectsEnvironment) {
  ::unsetenv("AAI_ENV");
  TestApplication test({"-p", "work"});
  test.load_fixtures({"fixture_good.so"});
  test.app().config().set("profile.work", "env", "fixture");

  const auto& selection = test.app().environment_selection();

  EXPECT_EQ(selection.name, "fixture");
  EXPECT_EQ(selection.source, "profile");
}

TEST(ApplicationTest, ConfigSetEnvChecksRegisteredEnvironments) {
  TestApplication test({"config", "set", "env", "nowhere"});
  test.load_fixtures({"fixture_good.so"});

  EXPECT_EQ(test.run(), 2);
  EXPECT_EQ(test.err(),
            "Error: Unknown environment 'nowhere'.\nSuggestion: Known environments: fixture. Run "
            "`aai env list` for details.\n");
}

TEST(ApplicationTest, ConfigSetThenGetRoundTrips) {
  TestApplication set({"config", "set", "profile.default.env", "fixture"});
  set.load_fixtures({"fixture_good.so"});
  ASSERT_EQ(set.run(), 0);
  std::string path = set.app().config().path().string();
  Application get(parse_global_options({"-j", "config", "get", "profile.default.env"}), path,
                  std::cerr, 1);

  EXPECT_EQ(set.err(), "Set profile.default.env to 'fixture'.\n");
  EXPECT_EQ(get.config().get("profile.default", "env"), "fixture");
}

TEST(ApplicationTest, ConfigPathWorksWithCorruptFile) {
  TestApplication test({"config", "path"});
  auto path = test.app().config().path();
  std::filesystem::create_directories(path.parent_path());
  testing::write_text(path, "[core\n");

  EXPECT_EQ(test.run(), 0);
  EXPECT_EQ(test.out(), path.string() + "\n");
}

TEST(ApplicationTest, ConfigGetReportsCorruptFile) {
  TestApplication test({"config", "get", "env", "-j"});
  auto path = test.app().config().path();
  std::filesystem::create_directories(path.parent_path());
  testing::write_text(path, "[core]\nok = 1\n[broken\n");

  EXPECT_EQ(test.run(), 2);
  EXPECT_EQ(test.err(), "{\"error\":{\"type\":\"invalid_config\",\"message\":\"The config file " +
                            path.string() +
                            " is invalid at line 3.\",\"suggestion\":\"Fix that line or remove "
                            "the file; aai does not change a file it cannot read.\"}}\n");
}

TEST(ApplicationTest, PluginsListShowsSkippedFiles) {
  TestApplication test({"plugins", "list", "--json"});
  test.load_fixtures({"fixture_good.so", "fixture_no_entry.so"});
  auto folder = test.dir().path() / "plugins";

  EXPECT_EQ(test.run(), 0);
  EXPECT_EQ(test.out(),
            "{\"plugins\":[{\"name\":\"fixture-good\",\"version\":\"1.2.3\",\"abi\":\"1.5.0\","
            "\"summary\":\"Fixture commands for the host tests\",\"file\":\"" +
                (folder / "10-fixture_good.so").string() +
                "\",\"commands\":[\"greet\",\"things list\",\"things add\",\"fail\",\"where\"],"
                "\"providers\":[],"
                "\"manifest\":{\"name\":\"fixture-good\",\"version\":\"1.2.3\",\"abi\":\"1.3\","
                "\"summary\":\"Fixture commands for the host tests\","
                "\"commands\":[\"greet\",\"things list\",\"things add\",\"fail\",\"where\"],"
                "\"needs\":[\"network\"]}}],"
                "\"skipped\":[{\"file\":\"" +
                (folder / "11-fixture_no_entry.so").string() +
                "\",\"reason\":\"no aai_plugin_entry symbol\",\"manifest\":null}]}\n");
}

TEST(ApplicationTest, PluginsListShowsManifestOfEveryFile) {
  namespace fs = std::filesystem;
  TestApplication test({"plugins", "list"});
  fs::path folder = test.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  testing::copy_plugin(testing::fixture("fixture_bad_manifest.so"), folder / "a.so");
  testing::copy_plugin(testing::fixture("fixture_good.so"), folder / "b.so");
  fs::permissions(folder / "b.so", fs::perms::group_write | fs::perms::others_write,
                  fs::perm_options::add);
  testing::copy_plugin(testing::fixture("fixture_no_entry.so"), folder / "c.so");
  std::string a = (folder / "a.so").string();
  std::string b = (folder / "b.so").string();
  std::string c = (folder / "c.so").string();
  std::string writable =
      "it is writable by group or others (mode 0777); run `chmod go-w " + b + "`";

  load_plugins(test.app(), {folder});
  int exit_code = test.run();

  std::string expected =
      "fixture-bad-manifest 0.0.1 (ABI " +
      (std::to_string(AAI_ABI_VERSION_MAJOR) + "." + std::to_string(AAI_ABI_VERSION_MINOR)) +
      ".0)\n";
  expected += "  Variant fixture\n";
  expected += "  file: " + a + "\n";
  expected += "  commands: greet\n";
  expected += "  manifest: invalid (it has no \"version\" member)\n";
  expected += "\nSkipped files:\n";
  expected += "  " + b + ": " + writable + "\n";
  expected += "    manifest: fixture-good 1.2.3 (ABI 1.3)\n";
  expected += "      commands: greet, things list, things add, fail, where\n";
  expected += "      needs: network\n";
  expected += "  " + c + ": no aai_plugin_entry symbol\n";
  expected += "    manifest: none\n";
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(test.out(), expected);
  EXPECT_EQ(test.err(), "Warning: skipped plugin " + b + ": " + writable +
                            "\nWarning: skipped plugin " + c + ": no aai_plugin_entry symbol\n");
}

TEST(ApplicationTest, SkippedPluginsCommandNamesTheReason) {
  namespace fs = std::filesystem;
  TestApplication test({"-q", "things"});
  fs::path folder = test.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  testing::copy_plugin(testing::fixture("fixture_good.so"), folder / "good.so");
  fs::permissions(folder / "good.so", fs::perms::group_write | fs::perms::others_write,
                  fs::perm_options::add);
  std::string file = (folder / "good.so").string();

  load_plugins(test.app(), {folder});
  int exit_code = test.run();

  EXPECT_EQ(exit_code, 1);
  EXPECT_EQ(test.err(),
            "Error: The command 'things' comes from the plugin " + file +
                ", which was skipped: it is writable by group or others (mode 0777); run "
                "`chmod go-w " +
                file +
                "`.\nSuggestion: Fix the plugin file as the reason says; `aai plugins list` shows "
                "every skipped file.\n");
}

TEST(ApplicationTest, UnknownCommandStaysUnknownBesideSkippedPlugin) {
  namespace fs = std::filesystem;
  TestApplication test({"-q", "nosuch"});
  fs::path folder = test.dir().path() / "plugins";
  testing::create_plugin_folder(folder);
  testing::copy_plugin(testing::fixture("fixture_no_entry.so"), folder / "c.so");

  load_plugins(test.app(), {folder});
  int exit_code = test.run();

  EXPECT_EQ(exit_code, 2);
  EXPECT_EQ(test.err(),
            "Error: Unknown command 'nosuch'.\nSuggestion: Run `aai --help` to list the "
            "commands.\n");
}

TEST(ApplicationTest, PluginsListJsonReportsInvalidManifest) {
  TestApplication test({"--json", "plugins", "list"});
  test.load_fixtures({"fixture_bad_manifest.so"});

  EXPECT_EQ(test.run(), 0);
  EXPECT_TRUE(test.out().ends_with(
      "\"manifest\":{\"error\":\"it has no \\\"version\\\" member\"}}],\"skipped\":[]}\n"))
      << test.out();
}

TEST(ApplicationTest, HelpForGroupAndCommand) {
  auto group = run_with_good_plugin({"help", "things"});
  auto command = run_with_good_plugin({"things", "add", "--help"});

  EXPECT_EQ(group.exit_code, 0);
  EXPECT_TRUE(group.out.starts_with("Usage: aai things COMMAND [ARGS]...\n"));
  EXPECT_EQ(command.exit_code, 0);
  EXPECT_TRUE(command.out.starts_with("Usage: aai things add [OPTIONS] THING\n"));
}

TEST(ApplicationTest, GroupAloneInJsonModeListsCommands) {
  auto result = run_with_good_plugin({"-j", "things"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "{\"error\":{\"type\":\"usage_error\",\"message\":\"`aai things` needs a "
            "subcommand.\",\"suggestion\":\"Run `aai things --help` to list "
            "them.\",\"commands\":[\"things add\",\"things list\"]}}\n");
}

TEST(ApplicationTest, VerboseDebugLogsLoadedPlugins) {
  TestApplication test({"-vv"});

  test.load_fixtures({"fixture_good.so"});

  std::string file = (test.dir().path() / "plugins" / "10-fixture_good.so").string();
  EXPECT_EQ(test.err(), "[aai] loaded plugin fixture-good 1.2.3 from " + file + "\n");
}

TEST(ApplicationTest, UnknownEnvironmentOutranksPluginError) {
  auto result = run_with_good_plugin({"--env", "foo", "where"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "Error: Unknown environment 'foo'.\nSuggestion: Known environments: fixture. Run "
            "`aai env list` for details.\n");
}

TEST(ApplicationTest, PluginReadsActiveEnvironment) {
  auto result = run_with_good_plugin({"--env", "fixture", "where"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "fixture\n");
}

}  // namespace
}  // namespace aai::host
