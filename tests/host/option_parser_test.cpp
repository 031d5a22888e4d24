#include "option_parser.hpp"

#include "cli_error.hpp"
#include "global_option_table.hpp"
#include "global_options.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

CommandSpec greet_spec() {
  CommandSpec spec;
  spec.name = "greet";
  spec.summary = "Print a greeting.";
  spec.options = {
      {"count", 0, AAI_OPTION_INTEGER, "1", "N", {}, false, "How many"},
      {"ratio", 0, AAI_OPTION_NUMBER, std::nullopt, "", {}, false, "A ratio"},
      {"format", 'f', AAI_OPTION_STRING, "text", "", {"text", "json"}, false, "Format"},
      {"loud", 'l', AAI_OPTION_FLAG, std::nullopt, "", {}, false, "Loud"},
      {"punctuate", 0, AAI_OPTION_BOOLEAN, std::nullopt, "", {}, false, "Punctuate"},
      {"tag", 0, AAI_OPTION_STRING, std::nullopt, "TAG", {}, true, "Tag"},
      {"speakers-expected", 0, AAI_OPTION_INTEGER, std::nullopt, "", {}, false, "Speakers"},
  };
  spec.arguments = {{"NAME", "Who", true, false}, {"MORE", "More", false, true}};
  return spec;
}

std::string usage_message(const std::vector<std::string>& words) {
  try {
    parse_command_line(greet_spec(), words);
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    return error.what();
  }
  return "(no error)";
}

std::string usage_suggestion(const std::vector<std::string>& words) {
  try {
    parse_command_line(greet_spec(), words);
  } catch (const CliError& error) {
    return error.suggestion();
  }
  return "(no error)";
}

TEST(OptionParserTest, ParsesEveryOptionType) {
  auto parsed =
      parse_command_line(greet_spec(), {"ann", "bob", "--count", "3", "--ratio=0.5", "-f", "json",
                                        "-l", "--no-punctuate", "--tag", "a", "--tag", "b"});

  EXPECT_EQ(parsed.line.arguments, (std::vector<std::string>{"ann", "bob"}));
  EXPECT_EQ(parsed.line.options["count"], (std::vector<std::string>{"3"}));
  EXPECT_EQ(parsed.line.options["ratio"], (std::vector<std::string>{"0.5"}));
  EXPECT_EQ(parsed.line.options["format"], (std::vector<std::string>{"json"}));
  EXPECT_EQ(parsed.line.options["loud"], (std::vector<std::string>{"true"}));
  EXPECT_EQ(parsed.line.options["punctuate"], (std::vector<std::string>{"false"}));
  EXPECT_EQ(parsed.line.options["tag"], (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(parsed.help);
  EXPECT_FALSE(parsed.json);
}

TEST(OptionParserTest, FillsDefaultsAndLeavesOthersAbsent) {
  auto parsed = parse_command_line(greet_spec(), {"ann"});

  EXPECT_EQ(parsed.line.options["count"], (std::vector<std::string>{"1"}));
  EXPECT_EQ(parsed.line.options["format"], (std::vector<std::string>{"text"}));
  EXPECT_EQ(parsed.line.options.count("loud"), 0u);
  EXPECT_EQ(parsed.line.options.count("punctuate"), 0u);
  EXPECT_EQ(parsed.line.options.count("ratio"), 0u);
}

TEST(OptionParserTest, LastBooleanFormWins) {
  auto parsed = parse_command_line(greet_spec(), {"ann", "--no-punctuate", "--punctuate"});

  EXPECT_EQ(parsed.line.options["punctuate"], (std::vector<std::string>{"true"}));
}

TEST(OptionParserTest, AcceptsJsonAndHelpAfterCommand) {
  auto json = parse_command_line(greet_spec(), {"ann", "-j"});
  auto help = parse_command_line(greet_spec(), {"--help"});

  EXPECT_TRUE(json.json);
  EXPECT_TRUE(help.help);
}

TEST(OptionParserTest, TakesWordsAfterDoubleDashAsArguments) {
  auto parsed = parse_command_line(greet_spec(), {"--", "--loud"});

  EXPECT_EQ(parsed.line.arguments, (std::vector<std::string>{"--loud"}));
}

TEST(OptionParserTest, RejectsInvalidValuesWithExactMessages) {
  EXPECT_EQ(usage_message({"ann", "--speakers-expected", "abc"}),
            "Invalid value 'abc' for --speakers-expected: expected an integer.");
  EXPECT_EQ(usage_message({"ann", "--count", "1.5"}),
            "Invalid value '1.5' for --count: expected an integer.");
  EXPECT_EQ(usage_message({"ann", "--count", "99999999999999999999"}),
            "Invalid value '99999999999999999999' for --count: expected an integer.");
  EXPECT_EQ(usage_message({"ann", "--ratio", "half"}),
            "Invalid value 'half' for --ratio: expected a number.");
  EXPECT_EQ(usage_message({"ann", "--ratio", "nan"}),
            "Invalid value 'nan' for --ratio: expected a number.");
  EXPECT_EQ(usage_message({"ann", "--format", "xml"}),
            "Invalid value 'xml' for --format: expected one of text, json.");
}

TEST(OptionParserTest, RejectsMalformedCommandLinesWithExactMessages) {
  EXPECT_EQ(usage_message({"ann", "--format"}), "Missing value for --format.");
  EXPECT_EQ(usage_message({"ann", "-f"}), "Missing value for --format.");
  EXPECT_EQ(usage_message({"ann", "--loud=yes"}), "The option --loud does not take a value.");
  EXPECT_EQ(usage_message({"ann", "--count", "1", "--count", "2"}),
            "The option --count was given more than once.");
  EXPECT_EQ(usage_message({}), "Missing argument NAME.");
  EXPECT_EQ(usage_suggestion({}), "Run `aai greet --help` to see its usage.");
}

TEST(OptionParserTest, SuggestsCloseOptionForUnknownOne) {
  EXPECT_EQ(usage_message({"ann", "--lod"}), "Unknown option '--lod' for `aai greet`.");
  EXPECT_EQ(usage_suggestion({"ann", "--lod"}), "Did you mean '--loud'?");
  EXPECT_EQ(usage_suggestion({"ann", "--zzzzzz"}), "Run `aai greet --help` to see its usage.");
}

TEST(OptionParserTest, DoesNotGuessAbbreviatedOptions) {
  EXPECT_EQ(usage_message({"ann", "--cou", "2"}), "Unknown option '--cou' for `aai greet`.");
}

TEST(OptionParserTest, ExplainsGlobalOptionAfterCommand) {
  EXPECT_EQ(usage_message({"ann", "--env", "local"}),
            "'--env' is a global option, so it goes before the command name.");
  EXPECT_EQ(usage_suggestion({"ann", "--env", "local"}),
            "Put it first: `aai --env local greet ...`.");
  EXPECT_EQ(usage_suggestion({"ann", "-v"}), "Put it first: `aai -v greet ...`.");
}

TEST(OptionParserTest, RejectsExtraArgumentWithoutVariadic) {
  CommandSpec spec;
  spec.name = "one";
  spec.arguments = {{"ID", "The id", true, false}};

  try {
    parse_command_line(spec, {"a", "b"});
    FAIL() << "expected a usage error";
  } catch (const CliError& error) {
    EXPECT_STREQ(error.what(), "Unexpected argument 'b'.");
  }
}

TEST(GlobalOptionsTest, ParsesOptionsBeforeCommand) {
  auto options = parse_global_options(
      {"--env", "local", "-p", "work", "-vv", "-q", "-j", "transcribe", "--env", "x"});

  EXPECT_EQ(options.env, "local");
  EXPECT_EQ(options.profile, "work");
  EXPECT_EQ(options.verbosity, 2);
  EXPECT_TRUE(options.quiet);
  EXPECT_TRUE(options.json);
  EXPECT_EQ(options.command_words, (std::vector<std::string>{"transcribe", "--env", "x"}));
}

TEST(GlobalOptionsTest, AcceptsEveryTableRow) {
  for (const auto& option : kGlobalOptionTable) {
    std::vector<std::vector<std::string>> spellings = {{std::string("--") + option.long_name}};
    if (option.short_name != 0) {
      spellings.push_back({std::string("-") + option.short_name});
    }
    for (auto words : spellings) {
      if (option.value_name != nullptr) {
        words.push_back("work");
      }
      words.push_back("greet");

      EXPECT_EQ(parse_global_options(words).command_words, std::vector<std::string>{"greet"})
          << words.front();
    }
  }
}

TEST(GlobalOptionsTest, ValueClusterTakesNextWord) {
  auto options = parse_global_options({"-vp", "work", "greet"});

  EXPECT_EQ(options.verbosity, 1);
  EXPECT_EQ(options.profile, "work");
  EXPECT_EQ(options.command_words, std::vector<std::string>{"greet"});
}

TEST(GlobalOptionsTest, EnvOverridesSandboxWithWarning) {
  auto options = parse_global_options({"--sandbox", "--env", "local", "version"});

  EXPECT_TRUE(options.sandbox);
  EXPECT_EQ(options.env, "local");
  ASSERT_EQ(options.warnings.size(), 1u);
  EXPECT_EQ(options.warnings[0], "--env local overrides --sandbox.");
}

TEST(GlobalOptionsTest, RejectsInvalidProfileName) {
  try {
    parse_global_options({"-p", "my profile", "version"});
    FAIL() << "expected invalid_profile";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(error.type(), "invalid_profile");
    EXPECT_STREQ(error.what(), "Invalid profile name 'my profile'.");
  }
}

TEST(GlobalOptionsTest, RejectsUnknownGlobalOptionWithSuggestion) {
  try {
    parse_global_options({"--sandbx", "version"});
    FAIL() << "expected a usage error";
  } catch (const CliError& error) {
    EXPECT_STREQ(error.what(), "Unknown global option '--sandbx'.");
    EXPECT_EQ(error.suggestion(), "Did you mean '--sandbox'?");
  }
}

TEST(GlobalOptionsTest, ReportsMissingEnvValue) {
  try {
    parse_global_options({"--env"});
    FAIL() << "expected a usage error";
  } catch (const CliError& error) {
    EXPECT_STREQ(error.what(), "Missing value for --env.");
  }
}

}  // namespace
}  // namespace aai::host
