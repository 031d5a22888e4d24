#include "environment_file.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace env_registry {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

const char* const kPath = "/etc/aai/environments.d/acme.ini";

VariableLookup variables(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto found = values.find(name);
    return found != values.end() ? std::optional<std::string>(found->second) : std::nullopt;
  };
}

ParsedFile parse(const std::string& text, VariableLookup lookup = variables({})) {
  return parse_environment_file(text, {kPath, kPath, std::move(lookup)});
}

std::vector<std::string> warnings(const ParsedFile& parsed) {
  std::vector<std::string> lines;
  for (const auto& issue : parsed.issues) {
    lines.push_back(issue.warning);
  }
  return lines;
}

TEST(EnvironmentFileTest, ReadsOneEnvironmentPerSection) {
  ParsedFile parsed = parse(
      "; ACME's deployments\n"
      "[acme]\n"
      "summary = ACME's private deployment\n"
      "api_base = https://api.acme.example\n"
      "streaming_base = wss://streaming.acme.example\n"
      "region = eu   ; kept for plugins\n"
      "\n"
      "# Staging\n"
      "[acme-staging]\r\n"
      "api_base: https://staging.acme.example\r\n");

  EXPECT_TRUE(parsed.issues.empty());
  ASSERT_EQ(parsed.environments.size(), 2u);
  const EnvironmentDefinition& acme = parsed.environments[0];
  EXPECT_EQ(acme.name, "acme");
  EXPECT_EQ(acme.summary, "ACME's private deployment");
  EXPECT_EQ(acme.origin, kPath);
  EXPECT_EQ(acme.fields, (Fields{{"api_base", "https://api.acme.example"},
                                 {"streaming_base", "wss://streaming.acme.example"},
                                 {"region", "eu"}}));
  EXPECT_EQ(parsed.environments[1].name, "acme-staging");
  EXPECT_EQ(parsed.environments[1].fields, (Fields{{"api_base", "https://staging.acme.example"}}));
}

TEST(EnvironmentFileTest, SkipsBadEntryAndKeepsTheRest) {
  ParsedFile parsed = parse(
      "[good]\n"
      "api_base = https://good.example\n"
      "[acme]\n"
      "summary = ACME\n"
      "api_base = http://api.acme.example\n"
      "[also-good]\n"
      "api_base = https://also.example\n");

  ASSERT_EQ(parsed.environments.size(), 2u);
  EXPECT_EQ(parsed.environments[0].name, "good");
  EXPECT_EQ(parsed.environments[1].name, "also-good");
  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{
                "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 5: "
                "api_base 'http://api.acme.example' must use https (only loopback hosts may use "
                "http)"});
}

TEST(EnvironmentFileTest, ReportsEachKindOfBadEntry) {
  struct Case {
    std::string text;
    std::string warning;
  };
  const std::vector<Case> cases = {
      {"[acme]\nsummary = no endpoints\n",
       "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 1: api_base is "
       "missing"},
      {"[acme]\n",
       "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 1: api_base is "
       "missing"},
      {"\n[Acme]\napi_base = https://a.example\n",
       "skipped environment 'Acme' in /etc/aai/environments.d/acme.ini line 2: the name must "
       "contain only lower-case letters, digits and '-', and must not start with '-'"},
      {"[acme]\napi_base = https://a.example\nRegion = eu\n",
       "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 3: the key 'Region' "
       "must start with a lower-case letter and contain only lower-case letters, digits and "
       "'_'"},
      {"[acme]\napi_base = https://a.example\napi_base = https://b.example\n",
       "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 3: 'api_base' is "
       "set twice, on lines 2 and 3"},
      {"[acme]\napi_base = https://a.example\n  https://b.example\n",
       "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 3: 'api_base' is "
       "set twice, on lines 2 and 3 (an indented line continues the key above it)"},
      {"[acme]\napi_base = https://a.example\nlogin_state = yes\n",
       "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 3: login_state 'yes' "
       "must be 'query' or left out"},
      {"[acme]\napi_base = https://a.example\nstreaming_base = https://s.example\n",
       "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 3: streaming_base "
       "'https://s.example' must use wss (only loopback hosts may use ws)"},
      {"[acme]\napi_base = https://a.example/\n",
       "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 2: api_base "
       "'https://a.example/' must not end with '/'"},
      {"[" + std::string(50, 'a') + "]\napi_base = https://a.example\n",
       "skipped environment '" + std::string(50, 'a') +
           "' in /etc/aai/environments.d/acme.ini line 1: the name is longer than 49 "
           "characters, which inih cannot read"},
  };
  for (const auto& test_case : cases) {
    ParsedFile parsed = parse(test_case.text);

    EXPECT_TRUE(parsed.environments.empty()) << test_case.text;
    EXPECT_EQ(warnings(parsed), std::vector<std::string>{test_case.warning}) << test_case.text;
  }
}

TEST(EnvironmentFileTest, KeepsFirstOfRepeatedSection) {
  ParsedFile parsed = parse(
      "[acme]\n"
      "api_base = https://first.example\n"
      "[other]\n"
      "api_base = https://other.example\n"
      "[acme]\n"
      "api_base = https://second.example\n");

  ASSERT_EQ(parsed.environments.size(), 2u);
  EXPECT_EQ(parsed.environments[0].fields, (Fields{{"api_base", "https://first.example"}}));
  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{"skipped environment 'acme' in "
                                     "/etc/aai/environments.d/acme.ini line 5: [acme] already "
                                     "appears on line 1 of this file"});
}

TEST(EnvironmentFileTest, SkipsKeyBeforeFirstSection) {
  ParsedFile parsed = parse("api_base = https://a.example\n[acme]\napi_base = https://b.example\n");

  ASSERT_EQ(parsed.environments.size(), 1u);
  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{"skipped key 'api_base' in /etc/aai/environments.d/acme.ini "
                                     "line 1: it comes before the first [name] section"});
}

TEST(EnvironmentFileTest, UnparsableFileLoadsNothing) {
  ParsedFile parsed = parse(
      "[good]\n"
      "api_base = https://good.example\n"
      "this line has no equals sign\n"
      "[later]\n"
      "api_base = https://later.example\n");

  EXPECT_TRUE(parsed.environments.empty());
  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{"skipped /etc/aai/environments.d/acme.ini: line 3 is not "
                                     "[name], key = value or a comment, so no environment from "
                                     "this file is used"});
}

TEST(EnvironmentFileTest, UnclosedSectionIsUnparsable) {
  ParsedFile parsed = parse("[acme\napi_base = https://good.example\n");

  EXPECT_TRUE(parsed.environments.empty());
  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{"skipped /etc/aai/environments.d/acme.ini: line 1 is not "
                                     "[name], key = value or a comment, so no environment from "
                                     "this file is used"});
}

TEST(EnvironmentFileTest, LineLongerThanInihReadsLoadsNothing) {
  ParsedFile parsed =
      parse("[acme]\napi_base = https://a.example\nnote = " + std::string(200, 'x') + "\n");

  EXPECT_TRUE(parsed.environments.empty());
  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{"skipped /etc/aai/environments.d/acme.ini: line 3 is longer "
                                     "than 199 characters, which inih cannot read, so no "
                                     "environment from this file is used"});
}

TEST(EnvironmentFileTest, LineOfExactlyInihsLimitIsRead) {
  std::string value(199 - std::string("note = ").size(), 'x');
  ParsedFile parsed = parse("[acme]\napi_base = https://a.example\nnote = " + value + "\n");

  ASSERT_EQ(parsed.environments.size(), 1u);
  EXPECT_EQ(parsed.environments[0].fields.back().second, value);
}

TEST(EnvironmentFileTest, BinaryFileLoadsNothing) {
  ParsedFile parsed = parse(std::string("[acme]\napi_base = https://a.example\n\0", 38));

  EXPECT_TRUE(parsed.environments.empty());
  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{"skipped /etc/aai/environments.d/acme.ini: it contains a "
                                     "NUL byte, so it is not a text file"});
}

TEST(EnvironmentFileTest, ByteOrderMarkIsIgnored) {
  ParsedFile parsed = parse("\xEF\xBB\xBF[acme]\napi_base = https://a.example\n");

  ASSERT_EQ(parsed.environments.size(), 1u);
  EXPECT_EQ(parsed.environments[0].name, "acme");
}

TEST(EnvironmentFileTest, EmptyFileHasNoEnvironments) {
  ParsedFile parsed = parse("");

  EXPECT_TRUE(parsed.environments.empty());
  EXPECT_TRUE(parsed.issues.empty());
}

TEST(EnvironmentFileTest, ExpandsVariables) {
  ParsedFile parsed = parse(
      "[acme]\n"
      "summary = ACME in ${REGION}\n"
      "api_base = http://127.0.0.1:${PORT}\n"
      "price = $5\n",
      variables({{"PORT", "9000"}, {"REGION", "eu"}}));

  ASSERT_EQ(parsed.environments.size(), 1u);
  EXPECT_EQ(parsed.environments[0].summary, "ACME in eu");
  EXPECT_EQ(parsed.environments[0].fields,
            (Fields{{"api_base", "http://127.0.0.1:9000"}, {"price", "$5"}}));
}

TEST(EnvironmentFileTest, ChecksValuesAfterExpansion) {
  ParsedFile parsed =
      parse("[acme]\napi_base = http://${HOST}\n", variables({{"HOST", "api.acme.example"}}));

  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{"skipped environment 'acme' in "
                                     "/etc/aai/environments.d/acme.ini line 2: api_base "
                                     "'http://api.acme.example' must use https (only loopback "
                                     "hosts may use http)"});
}

TEST(EnvironmentFileTest, UnsetOrMalformedVariableSkipsEntry) {
  ParsedFile unset = parse("[acme]\napi_base = https://${ACME_HOST}\n");
  ParsedFile empty =
      parse("[acme]\napi_base = https://${ACME_HOST}\n", variables({{"ACME_HOST", ""}}));
  ParsedFile malformed = parse("[acme]\napi_base = https://${ACME-HOST}\n");
  ParsedFile unclosed = parse("[acme]\napi_base = https://${ACME_HOST\n");

  const std::string unset_warning =
      "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 2: api_base refers "
      "to ${ACME_HOST}, which is not set";
  EXPECT_EQ(warnings(unset), std::vector<std::string>{unset_warning});
  EXPECT_EQ(warnings(empty), std::vector<std::string>{unset_warning});
  EXPECT_EQ(warnings(malformed),
            std::vector<std::string>{"skipped environment 'acme' in "
                                     "/etc/aai/environments.d/acme.ini line 2: api_base "
                                     "'https://${ACME-HOST}' contains an invalid variable "
                                     "reference"});
  EXPECT_EQ(warnings(unclosed),
            std::vector<std::string>{"skipped environment 'acme' in "
                                     "/etc/aai/environments.d/acme.ini line 2: api_base "
                                     "'https://${ACME_HOST' contains an invalid variable "
                                     "reference"});
}

TEST(EnvironmentFileTest, WithoutLookupKeepsReferencesUnchecked) {
  ParsedFile parsed = parse_environment_file("[acme]\napi_base = ${SCHEME}://api.acme.example\n",
                                             {"acme.ini", "compiled in", {}});

  EXPECT_TRUE(parsed.issues.empty());
  ASSERT_EQ(parsed.environments.size(), 1u);
  EXPECT_EQ(parsed.environments[0].fields, (Fields{{"api_base", "${SCHEME}://api.acme.example"}}));
}

TEST(EnvironmentFileTest, WithoutLookupStillChecksReferenceSyntax) {
  ParsedFile parsed = parse_environment_file("[acme]\napi_base = https://${1HOST}\n",
                                             {"acme.ini", "compiled in", {}});

  EXPECT_EQ(warnings(parsed),
            std::vector<std::string>{"skipped environment 'acme' in acme.ini line 2: api_base "
                                     "'https://${1HOST}' contains an invalid variable "
                                     "reference"});
}

}  // namespace
}  // namespace env_registry
