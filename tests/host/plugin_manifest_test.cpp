#include "plugin_manifest.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace aai::host {
namespace {

// The host's own ABI as "MAJOR.MINOR", which its messages give as the example of a valid value.
const std::string kHostAbi =
    std::to_string(AAI_ABI_VERSION_MAJOR) + "." + std::to_string(AAI_ABI_VERSION_MINOR);

using testing::fixture;

// Returns a manifest whose members other than "manifest" and "summary" are the given JSON texts.
std::string manifest_with(const std::string& name, const std::string& version,
                          const std::string& abi, const std::string& commands,
                          const std::string& needs) {
  return R"({"manifest": 1, "name": )" + name + R"(, "version": )" + version + R"(, "abi": )" +
         abi + R"(, "summary": "Greets people.", "commands": )" + commands + R"(, "needs": )" +
         needs + "}";
}

std::string parse_problem(const std::string& text) {
  try {
    parse_manifest(text);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(ManifestParseTest, ReadsEveryMember) {
  auto manifest =
      parse_manifest(manifest_with(R"("hello")", R"("1.0.0")", R"("1.3")",
                                   R"(["hello", "hello world"])", R"(["network", "credentials"])"));

  EXPECT_EQ(manifest.name, "hello");
  EXPECT_EQ(manifest.version, "1.0.0");
  EXPECT_EQ(manifest.abi, "1.3");
  EXPECT_EQ(manifest.summary, "Greets people.");
  EXPECT_EQ(manifest.commands, (std::vector<std::string>{"hello", "hello world"}));
  EXPECT_EQ(manifest.needs, (std::vector<std::string>{"network", "credentials"}));
}

TEST(ManifestParseTest, IgnoresUnknownMembersAndAcceptsEmptyLists) {
  auto manifest = parse_manifest(
      R"({"manifest": 1, "name": "quiet", "version": "2", "abi": "1.0", "summary": "",
          "commands": [], "needs": [], "homepage": "http://127.0.0.1/"})");

  EXPECT_EQ(manifest.name, "quiet");
  EXPECT_TRUE(manifest.commands.empty());
  EXPECT_TRUE(manifest.needs.empty());
}

TEST(ManifestParseTest, RejectsBadTextWithReason) {
  struct Case {
    std::string text;
    std::string reason;
  };
  std::vector<Case> cases = {
      {"", "the manifest text is empty"},
      {"{\"manifest\": 1,",
       "it is not valid JSON: parse error at line 1, column 16: syntax error "
       "while parsing object key - unexpected end of input; expected string "
       "literal"},
      {"[1]", "it must be a JSON object, not array"},
      {"{}", "it has no \"manifest\" member"},
      {R"({"manifest": 2})",
       "it uses manifest format 2, but this aai reads format 1 only; update aai"},
      {R"({"manifest": 0})", "\"manifest\" must be 1, not 0"},
      {R"({"manifest": "1"})", "\"manifest\" must be 1, not \"1\""},
      {R"({"manifest": 1.5})", "\"manifest\" must be 1, not 1.5"},
      {R"({"manifest": 1})", "it has no \"name\" member"},
      {manifest_with("7", R"("1")", R"("1.3")", "[]", "[]"),
       "\"name\" must be a string, not number"},
      {manifest_with(R"("Hello")", R"("1")", R"("1.3")", "[]", "[]"),
       "invalid \"name\" 'Hello': use lower-case letters, digits and '-'"},
      {manifest_with(R"("a\u001b[2Jb")", R"("1")", R"("1.3")", "[]", "[]"),
       "invalid \"name\" 'a\\x1b[2Jb': use lower-case letters, digits and '-'"},
      {manifest_with(R"("hello")", R"("")", R"("1.3")", "[]", "[]"), "\"version\" is empty"},
      {manifest_with(R"("hello")", R"("1\n2")", R"("1.3")", "[]", "[]"),
       "\"version\" contains a control character"},
      {manifest_with(R"("hello")", R"("1")", "1.3", "[]", "[]"),
       "\"abi\" must be a string, not number"},
      {manifest_with(R"("hello")", R"("1")", R"("1")", "[]", "[]"),
       "invalid \"abi\" '1': expected MAJOR.MINOR, such as " + kHostAbi},
      {manifest_with(R"("hello")", R"("1")", R"("1.3.0")", "[]", "[]"),
       "invalid \"abi\" '1.3.0': expected MAJOR.MINOR, such as " + kHostAbi},
      {manifest_with(R"("hello")", R"("1")", R"("1.3")", R"("hello")", "[]"),
       "\"commands\" must be an array, not string"},
      {manifest_with(R"("hello")", R"("1")", R"("1.3")", "[1]", "[]"),
       "\"commands\" must contain only strings, not number"},
      {manifest_with(R"("hello")", R"("1")", R"("1.3")", R"(["Bad Name"])", "[]"),
       "invalid command name 'Bad Name' in \"commands\": use lower-case words separated by "
       "single spaces"},
      {manifest_with(R"("hello")", R"("1")", R"("1.3")", R"(["a  b"])", "[]"),
       "invalid command name 'a  b' in \"commands\": use lower-case words separated by single "
       "spaces"},
      {manifest_with(R"("hello")", R"("1")", R"("1.3")", R"(["hello", "hello"])", "[]"),
       "\"commands\" lists 'hello' twice"},
      {manifest_with(R"("hello")", R"("1")", R"("1.3")", "[]", "{}"),
       "\"needs\" must be an array, not object"},
      {manifest_with(R"("hello")", R"("1")", R"("1.3")", "[]", R"(["disk"])"),
       "unknown need 'disk' in \"needs\": expected network or credentials"},
      {manifest_with(R"("hello")", R"("1")", R"("1.3")", "[]", R"(["network", "network"])"),
       "\"needs\" lists 'network' twice"},
  };
  for (const auto& bad : cases) {
    EXPECT_EQ(parse_problem(bad.text), bad.reason) << bad.text;
  }
}

// Returns a manifest of the commands "hello" and "hello world" with the given "summaries" text.
std::string manifest_with_summaries(const std::string& summaries) {
  return R"({"manifest": 1, "name": "hello", "version": "1", "abi": "1.3", "summary": "Greets.",
             "commands": ["hello", "hello world"], "needs": [], "summaries": )" +
         summaries + "}";
}

TEST(ManifestParseTest, ReadsCommandSummaries) {
  auto all = parse_manifest(
      manifest_with_summaries(R"({"hello": "Say hello", "hello world": "Greet everyone"})"));
  auto some = parse_manifest(manifest_with_summaries(R"({"hello": "Say hello"})"));
  auto none = parse_manifest(manifest_with("\"hello\"", "\"1\"", "\"1.3\"", "[]", "[]"));

  EXPECT_EQ(all.summaries.at("hello world"), "Greet everyone");
  EXPECT_TRUE(all.summarises_every_command());
  EXPECT_FALSE(some.summarises_every_command());
  EXPECT_TRUE(none.summaries.empty());
}

TEST(ManifestParseTest, RejectsBadSummariesWithReason) {
  EXPECT_EQ(parse_problem(manifest_with_summaries("[]")),
            "\"summaries\" must be an object, not array");
  EXPECT_EQ(parse_problem(manifest_with_summaries(R"({"goodbye": "Say goodbye"})")),
            "\"summaries\" names 'goodbye', which \"commands\" does not list");
  EXPECT_EQ(parse_problem(manifest_with_summaries(R"({"hello": ""})")),
            "the summary of 'hello' in \"summaries\" must be a non-empty string");
  EXPECT_EQ(parse_problem(manifest_with_summaries(R"({"hello": 7})")),
            "the summary of 'hello' in \"summaries\" must be a non-empty string");
  EXPECT_EQ(parse_problem(manifest_with_summaries(R"({"hello": "a\u001b[2Jb"})")),
            "the summary of 'hello' in \"summaries\" contains a control character");
}

TEST(ManifestParseTest, RequiresSummary) {
  EXPECT_EQ(parse_problem(R"({"manifest": 1, "name": "a", "version": "1", "abi": "1.3"})"),
            "it has no \"summary\" member");
}

TEST(ManifestSectionTest, TakesTextUpToFirstNul) {
  using namespace std::string_literals;

  EXPECT_EQ(manifest_text_of_section("{}"), "{}");
  EXPECT_EQ(manifest_text_of_section("{}\0"s), "{}");
  EXPECT_EQ(manifest_text_of_section("{}\0\0\0\0"s), "{}");
  EXPECT_THROW(manifest_text_of_section("{}\0{}\0"s), std::invalid_argument);
}

TEST(ManifestReadTest, ReadsFixtureWithoutLoadingIt) {
  auto reading = read_plugin_manifest(fixture("fixture_good.so"));

  ASSERT_EQ(reading.state, ManifestReading::State::valid) << reading.problem;
  EXPECT_EQ(reading.manifest.name, "fixture-good");
  EXPECT_EQ(reading.manifest.version, "1.2.3");
  EXPECT_EQ(reading.manifest.abi, "1.3");
  EXPECT_EQ(reading.manifest.commands,
            (std::vector<std::string>{"greet", "things list", "things add", "fail", "where"}));
  EXPECT_EQ(reading.manifest.needs, (std::vector<std::string>{"network"}));
}

TEST(ManifestReadTest, ReportsAbsentAndInvalidManifests) {
  testing::TempDir dir;
  testing::write_text(dir.path() / "junk.so", "not a library");

  auto none = read_plugin_manifest(fixture("fixture_no_entry.so"));
  auto junk = read_plugin_manifest(dir.path() / "junk.so");
  auto missing = read_plugin_manifest(dir.path() / "missing.so");
  auto bad = read_plugin_manifest(fixture("fixture_bad_manifest.so"));
  auto twice = read_plugin_manifest(fixture("fixture_two_manifests.so"));

  EXPECT_EQ(none.state, ManifestReading::State::absent);
  EXPECT_EQ(junk.state, ManifestReading::State::absent);
  EXPECT_EQ(missing.state, ManifestReading::State::invalid);
  EXPECT_EQ(missing.problem, "could not open the file: No such file or directory");
  EXPECT_EQ(bad.state, ManifestReading::State::invalid);
  EXPECT_EQ(bad.problem, "it has no \"version\" member");
  EXPECT_EQ(twice.state, ManifestReading::State::invalid);
  EXPECT_EQ(twice.problem,
            "the .aai_manifest section contains more than one text; use AAI_PLUGIN_MANIFEST once "
            "per plugin");
}

}  // namespace
}  // namespace aai::host
