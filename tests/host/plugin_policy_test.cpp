#include "plugin_policy.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const fs::path kFile = "/etc/aai/plugins.ini";
const std::string kDigest(64, 'a');

std::string problem_of(const std::string& text) {
  PolicyReading reading = parse_plugin_policy(text, kFile);
  EXPECT_EQ(reading.state, PolicyReading::State::invalid) << text;
  return reading.problem;
}

TEST(PluginPolicyPathTest, DefaultsToEtcAai) {
  EXPECT_EQ(plugin_policy_path(nullptr), fs::path("/etc/aai/plugins.ini"));
  EXPECT_EQ(plugin_policy_path(""), fs::path("/etc/aai/plugins.ini"));
  EXPECT_EQ(plugin_policy_path("/opt/aai/etc"), fs::path("/opt/aai/etc/plugins.ini"));
}

TEST(PluginPolicyParseTest, ReadsAllKeys) {
  std::string text =
      "; Plugins for the support team\n"
      "[policy]\n"
      "set_by = IT Operations <it@example.com>\n"
      "allow = transcribe, streaming,\n"
      "  llm-gateway\n"
      "allow_sha256 = " +
      std::string(64, 'A') + "\n";

  PolicyReading reading = parse_plugin_policy(text, kFile);

  EXPECT_EQ(reading.state, PolicyReading::State::in_force);
  EXPECT_EQ(reading.file, kFile);
  EXPECT_EQ(reading.policy.set_by, "IT Operations <it@example.com>");
  EXPECT_EQ(reading.policy.allowed_names,
            (std::vector<std::string>{"transcribe", "streaming", "llm-gateway"}));
  EXPECT_EQ(reading.policy.allowed_sha256, std::vector<std::string>{kDigest});
}

TEST(PluginPolicyParseTest, RepeatedKeysAndSectionsAddUp) {
  std::string text =
      "[policy]\nallow = a\n[policy]\nallow = b, c\nallow_sha256 = " + kDigest + "\n";

  PolicyReading reading = parse_plugin_policy(text, kFile);

  EXPECT_EQ(reading.state, PolicyReading::State::in_force);
  EXPECT_EQ(reading.policy.allowed_names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(reading.policy.set_by.empty());
}

TEST(PluginPolicyParseTest, EmptyAllowIsInForceAndAllowsNothing) {
  PolicyReading reading = parse_plugin_policy("[policy]\nallow =\n", kFile);

  EXPECT_EQ(reading.state, PolicyReading::State::in_force);
  EXPECT_TRUE(reading.policy.allowed_names.empty());
  EXPECT_TRUE(reading.policy.allowed_sha256.empty());
}

TEST(PluginPolicyParseTest, FileWithoutAllowKeysIsNoPolicy) {
  EXPECT_EQ(parse_plugin_policy("", kFile).state, PolicyReading::State::none);
  EXPECT_EQ(parse_plugin_policy("[policy]\nset_by = IT\n", kFile).state,
            PolicyReading::State::none);
}

TEST(PluginPolicyParseTest, NamesTheLineAndProblem) {
  struct Case {
    std::string text;
    std::string problem;
  };
  std::vector<Case> cases = {
      {"[policy]\nallow = a\nalow = b\n",
       "line 3: unknown key 'alow' in [policy]; expected set_by, allow or allow_sha256"},
      {"[polcy]\nallow = a\n", "line 2: unknown section [polcy]; only [policy] is read"},
      {"allow = a\n", "line 1: 'allow' is outside the [policy] section"},
      {"[policy]\nallow = transcribe, Bad_Name\n",
       "line 2: invalid plugin name 'Bad_Name' in allow: use lower-case letters, digits and '-'"},
      {"[policy]\n\nallow_sha256 = abc\n",
       "line 3: invalid SHA-256 'abc' in allow_sha256: expected 64 hexadecimal digits"},
      {"[policy]\nset_by = a\nset_by = b\n", "line 3: set_by is given twice"},
      {"[policy]\nallow\n", "line 2: expected [policy] or KEY = VALUE"},
      {"[policy\nallow = a\n", "line 1: expected [policy] or KEY = VALUE"},
      {"[policy]\nallow = a\nallow_sha256 = " + std::string(190, 'a') + "\n",
       "line 3 is longer than 199 characters; continue a long list on an indented line"},
  };
  for (const auto& bad : cases) {
    EXPECT_EQ(problem_of(bad.text), bad.problem) << bad.text;
  }
}

TEST(PluginPolicyParseTest, ReportsFirstProblemWhenSyntaxComesFirst) {
  EXPECT_EQ(problem_of("[policy]\nnonsense\nalow = b\n"),
            "line 2: expected [policy] or KEY = VALUE");
  EXPECT_EQ(problem_of("[policy]\nalow = b\nnonsense\n"),
            "line 2: unknown key 'alow' in [policy]; expected set_by, allow or allow_sha256");
}

TEST(PluginPolicyReadTest, MissingFileIsNoPolicy) {
  TempDir dir;

  PolicyReading reading = read_plugin_policy(dir.path() / "plugins.ini");

  EXPECT_EQ(reading.state, PolicyReading::State::none);
  EXPECT_EQ(reading.file, dir.path() / "plugins.ini");
}

TEST(PluginPolicyReadTest, UnreadableFileIsInvalid) {
  TempDir dir;
  fs::create_directories(dir.path() / "plugins.ini");

  PolicyReading reading = read_plugin_policy(dir.path() / "plugins.ini");

  EXPECT_EQ(reading.state, PolicyReading::State::invalid);
  EXPECT_EQ(reading.problem, "could not read it: Is a directory");
}

TEST(PluginPolicyReadTest, ReadsFile) {
  TempDir dir;
  testing::write_text(dir.path() / "plugins.ini", "[policy]\nallow = transcribe\n");

  PolicyReading reading = read_plugin_policy(dir.path() / "plugins.ini");

  EXPECT_EQ(reading.state, PolicyReading::State::in_force);
  EXPECT_EQ(reading.policy.allowed_names, std::vector<std::string>{"transcribe"});
}

TEST(PluginPolicyDecideTest, AllowsByNameWithoutHashing) {
  PluginPolicy policy;
  policy.allowed_names = {"transcribe"};
  policy.allowed_sha256 = {kDigest};
  auto no_hash = []() -> std::string { throw std::logic_error("hashed"); };

  EXPECT_EQ(decide_by_policy(policy, std::string("transcribe"), no_hash),
            PolicyVerdict::allowed_by_name);
}

TEST(PluginPolicyDecideTest, AllowsByHash) {
  PluginPolicy policy;
  policy.allowed_names = {"transcribe"};
  policy.allowed_sha256 = {kDigest};
  auto digest = [] { return kDigest; };
  auto other = [] { return std::string(64, 'b'); };

  EXPECT_EQ(decide_by_policy(policy, std::string("hello"), digest),
            PolicyVerdict::allowed_by_sha256);
  EXPECT_EQ(decide_by_policy(policy, std::string("hello"), other), PolicyVerdict::not_allowed);
}

TEST(PluginPolicyDecideTest, PluginWithoutManifestOnlyByHash) {
  PluginPolicy policy;
  policy.allowed_names = {"transcribe"};
  auto no_hash = []() -> std::string { throw std::logic_error("hashed"); };

  EXPECT_EQ(decide_by_policy(policy, std::nullopt, no_hash), PolicyVerdict::not_allowed);
  policy.allowed_sha256 = {kDigest};
  EXPECT_EQ(decide_by_policy(policy, std::nullopt, [] { return kDigest; }),
            PolicyVerdict::allowed_by_sha256);
}

TEST(PluginPolicyReasonTest, NamesFileAndAuthor) {
  PolicyReading reading =
      parse_plugin_policy("[policy]\nset_by = IT <it@example.com>\nallow =\n", kFile);
  PolicyReading anonymous = parse_plugin_policy("[policy]\nallow =\n", kFile);
  PolicyReading invalid = parse_plugin_policy("[policy]\nalow =\n", kFile);

  EXPECT_EQ(not_allowed_reason(reading),
            "it is not allowed by the plugin policy in /etc/aai/plugins.ini, set by IT "
            "<it@example.com>");
  EXPECT_EQ(not_allowed_reason(anonymous),
            "it is not allowed by the plugin policy in /etc/aai/plugins.ini");
  EXPECT_EQ(invalid_policy_reason(invalid, "/usr/lib/aai/plugins"),
            "the plugin policy /etc/aai/plugins.ini is invalid, so only the plugins in "
            "/usr/lib/aai/plugins load");
}

}  // namespace
}  // namespace aai::host
