// Checks that each first-party plugin's manifest declares what the plugin really registers.
#include "plugin_loader.hpp"
#include "plugin_manifest.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

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
  }
  EXPECT_EQ(names, (std::set<std::string>{"auth-command", "auth-stytch", "env-registry",
                                          "llm-gateway", "local", "streaming", "transcribe"}));
}

}  // namespace
}  // namespace aai::host
