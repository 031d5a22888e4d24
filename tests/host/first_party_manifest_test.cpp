// Checks that each first-party plugin's manifest declares what the plugin really registers.
#include "help_text.hpp"
#include "plugin_loader.hpp"
#include "plugin_manifest.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace aai::host {
namespace {

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

TEST(FirstPartyManifestTest, ListsExactlyTheRegisteredCommands) {
  testing::TestApplication test;

  load_plugins(test.app(), {AAI_TEST_PLUGIN_DIR});

  EXPECT_EQ(test.err(), "");
  std::set<std::string> names;
  for (const auto& plugin : test.app().catalog().loaded) {
    names.insert(plugin.name);
    auto reading = read_plugin_manifest(plugin.file);
    ASSERT_EQ(reading.state, ManifestReading::State::valid)
        << plugin.name << ": " << (reading.problem.empty() ? "no manifest" : reading.problem);
    const PluginManifest& manifest = reading.manifest;
    EXPECT_EQ(manifest.name, plugin.name);
    EXPECT_EQ(manifest.version, plugin.version) << plugin.name;
    EXPECT_EQ(manifest.abi, std::to_string(plugin.abi_version.major) + "." +
                                std::to_string(plugin.abi_version.minor))
        << plugin.name;
    EXPECT_EQ(manifest.summary, plugin.summary) << plugin.name;
    EXPECT_EQ(sorted(manifest.commands), sorted(plugin.commands)) << plugin.name;
    for (const auto& name : plugin.commands) {
      std::vector<std::string> words;
      std::istringstream stream(name);
      for (std::string word; stream >> word;) {
        words.push_back(word);
      }
      auto match = test.app().commands().find(words);
      ASSERT_TRUE(match.has_value()) << name;
      auto summary = manifest.summaries.find(name);
      ASSERT_NE(summary, manifest.summaries.end()) << plugin.name << " has no summary of " << name;
      EXPECT_EQ(summary->second, match->command->spec.summary) << name;
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"auth-command", "auth-stytch", "env-registry",
                                          "llm-gateway", "local", "streaming", "transcribe"}));
}

TEST(FirstPartyManifestTest, MainHelpFromManifestsMatchesLoadedPlugins) {
  testing::TestApplication loaded;
  testing::TestApplication described;
  PluginLoadRules rules;
  rules.describe_from_manifests = true;

  load_plugins(loaded.app(), {AAI_TEST_PLUGIN_DIR}, PluginLoadRules{});
  load_plugins(described.app(), {AAI_TEST_PLUGIN_DIR}, rules);

  EXPECT_EQ(described.err(), "");
  for (const auto& plugin : described.app().catalog().loaded) {
    EXPECT_TRUE(plugin.described_by_manifest) << plugin.name << " was loaded";
  }
  EXPECT_EQ(format_main_help(described.app().commands(), described.app().catalog()),
            format_main_help(loaded.app().commands(), loaded.app().catalog()));
}

}  // namespace
}  // namespace aai::host
