// The completion model, the bash, zsh and fish generators, and the `aai completion` command.
#include "completion_model.hpp"
#include "completion_scripts.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace aai::host {
namespace {

using testing::TestApplication;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

OptionSpec make_option(const std::string& name, aai_option_type_t type, char short_name = 0,
                       const std::string& value_name = "", std::vector<std::string> choices = {}) {
  OptionSpec option;
  option.name = name;
  option.type = type;
  option.short_name = short_name;
  option.value_name = value_name;
  option.choices = std::move(choices);
  option.help = "Help for " + name;
  return option;
}

Command make_command(const std::string& name, const std::string& summary,
                     std::vector<OptionSpec> options = {}, std::vector<ArgumentSpec> arguments = {},
                     const std::string& plugin_name = "fake") {
  Command command;
  command.spec = {name, summary, "", std::move(options), std::move(arguments)};
  command.plugin_name = plugin_name;
  command.run = [](const ParsedCommandLine&) { return 0; };
  return command;
}

// A small registry: a command with every kind of option and a variadic argument, a group of two
// commands, and the built-in help and completion commands.
CommandRegistry make_registry() {
  CommandRegistry registry;
  registry.add(make_command(
      "greet", "Say 'hi': twice",
      {make_option("count", AAI_OPTION_INTEGER, 0, "N"),
       make_option("format", AAI_OPTION_STRING, 'f', "", {"text", "json"}),
       make_option("loud", AAI_OPTION_FLAG, 'l'), make_option("punctuate", AAI_OPTION_BOOLEAN),
       make_option("out", AAI_OPTION_STRING, 'o', "FILE"),
       make_option("data-dir", AAI_OPTION_STRING, 0, "DIR"),
       make_option("settings", AAI_OPTION_STRING, 0, "SETTINGS_FILE")},
      {{"NAME", "Who to greet", true, false}, {"FILES", "More files", false, true}}));
  registry.add(make_command("things list", "List the things."));
  registry.add(
      make_command("things add", "Add a thing.", {}, {{"THING", "The thing", true, false}}));
  registry.add(
      make_command("help", "Print help.", {}, {{"COMMAND", "The command", false, true}}, ""));
  registry.add(
      make_command("completion", "Print a script.", {}, {{"SHELL", "The shell", true, false}}, ""));
  return registry;
}

CompletionModel make_model() {
  CompletionModel model =
      build_completion_model(make_registry(), {"fixture", "local"}, {"default", "work"});
  model.origin = "aai 9.9.9 with the plugins fake";
  return model;
}

const CompletionCommand& find_command(const CompletionModel& model, const std::string& name) {
  auto found = std::find_if(model.commands.begin(), model.commands.end(),
                            [&](const CompletionCommand& command) { return command.name == name; });
  if (found == model.commands.end()) {
    throw std::runtime_error("no command " + name + " in the model");
  }
  return *found;
}

const CompletionOption& find_option(const std::vector<CompletionOption>& options,
                                    const std::string& name) {
  auto found = std::find_if(options.begin(), options.end(),
                            [&](const CompletionOption& option) { return option.name == name; });
  if (found == options.end()) {
    throw std::runtime_error("no option --" + name + " in the model");
  }
  return *found;
}

std::vector<std::string> child_words(const CompletionModel& model, const std::string& parent) {
  std::vector<std::string> words;
  for (const auto& child : model.children.at(parent)) {
    words.push_back(child.word);
  }
  return words;
}

using Words = std::vector<std::string>;

TEST(CompletionModelTest, TreeListsCommandsAndGroups) {
  CompletionModel model = make_model();

  EXPECT_EQ(child_words(model, ""), (Words{"completion", "greet", "help", "things"}));
  EXPECT_EQ(child_words(model, "things"), (Words{"add", "list"}));
  EXPECT_EQ(model.children.at("")[1].summary, "Say 'hi': twice");
  EXPECT_EQ(model.children.at("")[3].summary, "Commands: add, list");
  EXPECT_EQ(model.children.at("things")[1].summary, "List the things.");
  EXPECT_FALSE(model.children.contains("greet"));
  ASSERT_EQ(model.commands.size(), 5u);
  EXPECT_EQ(model.commands[0].name, "completion");
  EXPECT_EQ(model.commands[4].name, "things list");
  EXPECT_TRUE(model.left_out.empty());
}

TEST(CompletionModelTest, OptionKindsFollowSpecs) {
  CompletionModel model = make_model();
  const CompletionCommand& greet = find_command(model, "greet");

  EXPECT_EQ(find_option(greet.options, "count").value.kind, ValueCompletion::text);
  EXPECT_EQ(find_option(greet.options, "format").value.kind, ValueCompletion::words);
  EXPECT_EQ(find_option(greet.options, "format").value.words, (Words{"text", "json"}));
  EXPECT_EQ(find_option(greet.options, "format").short_name, 'f');
  EXPECT_EQ(find_option(greet.options, "loud").value.kind, ValueCompletion::none);
  EXPECT_EQ(find_option(greet.options, "punctuate").value.kind, ValueCompletion::none);
  EXPECT_EQ(find_option(greet.options, "no-punctuate").value.kind, ValueCompletion::none);
  EXPECT_EQ(find_option(greet.options, "out").value.kind, ValueCompletion::files);
  EXPECT_EQ(find_option(greet.options, "data-dir").value.kind, ValueCompletion::directories);
  EXPECT_EQ(find_option(greet.options, "settings").value.kind, ValueCompletion::files);
  EXPECT_EQ(find_option(greet.options, "help").short_name, 'h');
  EXPECT_EQ(find_option(greet.options, "json").short_name, 'j');
}

TEST(CompletionModelTest, ArgumentKindsFollowSpecs) {
  CompletionModel model = make_model();
  const CompletionCommand& greet = find_command(model, "greet");
  const CompletionCommand& help = find_command(model, "help");
  const CompletionCommand& completion = find_command(model, "completion");

  ASSERT_EQ(greet.arguments.size(), 2u);
  EXPECT_EQ(greet.arguments[0].kind, ValueCompletion::text);
  EXPECT_EQ(greet.arguments[1].kind, ValueCompletion::files);
  EXPECT_TRUE(greet.last_argument_variadic);
  ASSERT_EQ(help.arguments.size(), 1u);
  EXPECT_EQ(help.arguments[0].kind, ValueCompletion::commands);
  ASSERT_EQ(completion.arguments.size(), 1u);
  EXPECT_EQ(completion.arguments[0].kind, ValueCompletion::words);
  EXPECT_EQ(completion.arguments[0].words, (Words{"bash", "zsh", "fish"}));
  EXPECT_FALSE(completion.last_argument_variadic);
}

TEST(CompletionModelTest, PluginHelpArgumentStaysText) {
  CommandRegistry registry;
  registry.add(make_command("help", "A plugin's help.", {}, {{"TOPIC", "Topic", true, false}}));

  CompletionModel model = build_completion_model(registry, {}, {});

  EXPECT_EQ(find_command(model, "help").arguments[0].kind, ValueCompletion::text);
}

TEST(CompletionModelTest, GlobalOptionsCompleteNames) {
  CompletionModel model = make_model();

  const CompletionOption& env = find_option(model.global_options, "env");
  const CompletionOption& profile = find_option(model.global_options, "profile");
  EXPECT_EQ(env.value.kind, ValueCompletion::words);
  EXPECT_EQ(env.value.words, (Words{"fixture", "local"}));
  EXPECT_EQ(profile.short_name, 'p');
  EXPECT_EQ(profile.value.words, (Words{"default", "work"}));
  for (const char* name : {"sandbox", "json", "quiet", "verbose", "version", "help"}) {
    EXPECT_EQ(find_option(model.global_options, name).value.kind, ValueCompletion::none) << name;
  }
}

TEST(CompletionModelTest, LeavesOutValuesNeedingQuotes) {
  CommandRegistry registry;
  registry.add(make_command(
      "pick", "Pick one.",
      {make_option("mode", AAI_OPTION_STRING, 0, "", {"fast", "two words", "it's", "$(x)"})}));

  CompletionModel model = build_completion_model(registry, {"ok", "bad;env"}, {});

  EXPECT_EQ(find_option(find_command(model, "pick").options, "mode").value.words, (Words{"fast"}));
  EXPECT_EQ(find_option(model.global_options, "env").value.words, (Words{"ok"}));
  ASSERT_EQ(model.left_out.size(), 4u);
  EXPECT_EQ(model.left_out[0],
            "Left the value 'bad;env' of --env out of the completion script, because the shell "
            "would need it quoted.");
  EXPECT_EQ(model.left_out[1],
            "Left the value 'two words' of `aai pick --mode` out of the completion script, "
            "because the shell would need it quoted.");
  EXPECT_EQ(model.left_out[2],
            "Left the value 'it's' of `aai pick --mode` out of the completion script, because the "
            "shell would need it quoted.");
  EXPECT_EQ(model.left_out[3],
            "Left the value '$(x)' of `aai pick --mode` out of the completion script, because the "
            "shell would need it quoted.");
}

TEST(CompletionModelTest, LeavesOutInvalidNames) {
  CommandRegistry registry;
  registry.add(make_command("bad;name", "Bad."));
  registry.add(make_command("ok", "Fine.", {make_option("Bad Option", AAI_OPTION_FLAG)}));

  CompletionModel model = build_completion_model(registry, {}, {});

  ASSERT_EQ(model.commands.size(), 1u);
  EXPECT_EQ(model.commands[0].name, "ok");
  EXPECT_FALSE(model.children.at("").empty());
  EXPECT_EQ(child_words(model, ""), (Words{"ok"}));
  ASSERT_EQ(model.left_out.size(), 2u);
  EXPECT_EQ(model.left_out[0],
            "Left the command 'bad;name' out of the completion script, because its name is not "
            "made of plain words.");
  EXPECT_EQ(model.left_out[1],
            "Left the option `aai ok --Bad Option` out of the completion script, because its name "
            "is not a plain word.");
  EXPECT_THROW(find_option(model.commands[0].options, "Bad Option"), std::runtime_error);
}

TEST(CompletionModelTest, PlainWords) {
  for (const char* word : {"text", "universal-3-5-pro", "bullets_verbose", "a.b,c+d@e/f", "X9"}) {
    EXPECT_TRUE(is_plain_word(word)) << word;
  }
  for (const char* word :
       {"",     "two words", "it's",        "a\"b", "$HOME", "`x`", "a;b",  "a|b",   "a&b",
        "*",    "a?",        "[a]",         "~x",   "a=b",   "a:b", "a\\b", "{a,b}", "(a)",
        "a\tb", "a\nb",      "caf\xc3\xa9", "a#b",  "a!b",   "a<b", "a>b",  "a%b"}) {
    EXPECT_FALSE(is_plain_word(word)) << word;
  }
}

TEST(CompletionModelTest, DescriptionKeepsFirstLine) {
  EXPECT_EQ(completion_description("  One line. \nSecond line."), "One line.");
  EXPECT_EQ(completion_description("Tab\there\x01."), "Tab here .");
  EXPECT_EQ(completion_description("\n"), "");
  EXPECT_EQ(completion_description(""), "");
}

TEST(CompletionScriptTest, QuotesForEachShell) {
  EXPECT_EQ(quote_posix("plain"), "'plain'");
  EXPECT_EQ(quote_posix("it's"), "'it'\\''s'");
  EXPECT_EQ(quote_posix("$(x) `y` \\"), "'$(x) `y` \\'");
  EXPECT_EQ(quote_fish("plain"), "'plain'");
  EXPECT_EQ(quote_fish("it's"), "'it\\'s'");
  EXPECT_EQ(quote_fish("a\\b $(x)"), "'a\\\\b $(x)'");
}

TEST(CompletionScriptTest, BashKeyLines) {
  std::string script = generate_bash_script(make_model());

  EXPECT_TRUE(
      script.starts_with("# bash completion for aai, generated by `aai completion bash`\n"
                         "# from aai 9.9.9 with the plugins fake.\n"))
      << script.substr(0, 200);
  EXPECT_TRUE(contains(script, "\ncomplete -F _aai aai\n"));
  EXPECT_TRUE(contains(script, "    'things list') return 0 ;;\n"));
  EXPECT_TRUE(contains(script, "_aai_is_node() {\n  case $1 in\n    'things') return 0 ;;\n"));
  EXPECT_TRUE(
      contains(script, "    'things')\n      _aai_words=(\n        'add'\n        'list'\n"));
  EXPECT_TRUE(contains(script,
                       "    'greet|--format' | 'greet|-f')\n      _aai_kind=values\n"
                       "      _aai_words=(\n        'text'\n        'json'\n      )\n"));
  EXPECT_TRUE(contains(script, "    'greet|--out' | 'greet|-o') _aai_kind=files ;;\n"));
  EXPECT_TRUE(contains(script, "    'greet|--data-dir') _aai_kind=directories ;;\n"));
  EXPECT_TRUE(contains(script, "    'greet|--count') _aai_kind=text ;;\n"));
  EXPECT_FALSE(contains(script, "'greet|--loud'"));
  EXPECT_TRUE(contains(script,
                       "    '|--env')\n      _aai_kind=values\n"
                       "      _aai_words=(\n        'fixture'\n        'local'\n"));
  EXPECT_TRUE(contains(script, "    '|--profile' | '|-p')\n"));
  EXPECT_TRUE(
      contains(script, "    'greet|0') _aai_kind=text ;;\n    'greet|'*) _aai_kind=files ;;\n"));
  EXPECT_TRUE(contains(script, "    'help|'*) _aai_kind=commands ;;\n"));
  EXPECT_TRUE(contains(script, "        '--no-punctuate'\n"));
  EXPECT_FALSE(contains(script, "Say 'hi'")) << "bash shows no descriptions";
}

TEST(CompletionScriptTest, ZshKeyLines) {
  std::string script = generate_zsh_script(make_model());

  EXPECT_TRUE(script.starts_with("#compdef aai\n# zsh completion for aai"))
      << script.substr(0, 200);
  EXPECT_TRUE(contains(script, "        'greet:Say '\\''hi'\\'': twice'\n"));
  EXPECT_TRUE(contains(script, "        'things:Commands: add, list'\n"));
  EXPECT_TRUE(contains(script, "        'list:List the things.'\n"));
  EXPECT_TRUE(
      contains(script, "        '--format:Help for format'\n        '-f:Help for format'\n"));
  EXPECT_TRUE(contains(script, "        '--no-punctuate:Turn off --punctuate'\n"));
  EXPECT_TRUE(contains(script, "      _aai_words=(\n        'text'\n        'json'\n      )\n"));
  EXPECT_TRUE(contains(script, "\n  compdef _aai aai\n"));
  EXPECT_TRUE(contains(script, "    'greet|'*) _aai_kind=files ;;\n"));
}

TEST(CompletionScriptTest, FishKeyLines) {
  std::string script = generate_fish_script(make_model());

  EXPECT_TRUE(script.starts_with("# fish completion for aai, generated by `aai completion fish`\n"))
      << script.substr(0, 200);
  EXPECT_TRUE(contains(script, "\ncomplete -c aai -e\ncomplete -c aai -f -a '(__aai_complete)'\n"));
  EXPECT_TRUE(contains(script, "                'greet' 'Say \\'hi\\': twice'"));
  EXPECT_TRUE(contains(script, "                'things' 'Commands: add, list'"));
  EXPECT_TRUE(contains(script,
                       "        case 'greet|--format' 'greet|-f'\n            echo values\n"
                       "            printf '%s\\n' 'text' 'json'\n"));
  EXPECT_TRUE(contains(script, "        case 'greet|--out' 'greet|-o'\n            echo files\n"));
  EXPECT_TRUE(contains(script,
                       "        case 'greet|0'\n            echo text\n"
                       "        case 'greet|*'\n            echo files\n"));
  EXPECT_TRUE(contains(script, "        case 'help|*'\n            echo commands\n"));
  EXPECT_TRUE(contains(script,
                       "        case '|--env'\n            echo values\n"
                       "            printf '%s\\n' 'fixture' 'local'\n"));
}

// Saves `script` and `driver` in `dir`, runs `shell_command ./driver` there and returns what it
// printed on stdout and stderr.
std::string run_shell(const std::string& shell_command, const std::string& script,
                      const std::string& driver, const testing::TempDir& dir) {
  testing::write_text(dir.path() / "script", script);
  testing::write_text(dir.path() / "driver", driver);
  std::string command = "cd '" + dir.path().string() + "' && " + shell_command + " ./driver 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return "popen failed";
  }
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    output += buffer;
  }
  ::pclose(pipe);
  return output;
}

bool has_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

size_t count_entries(const std::filesystem::path& folder) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(folder),
                                           std::filesystem::directory_iterator()));
}

const char* kHostileSummary = "It's $(touch summary) `touch tick2` \\' %s %d";
const char* kHostileHelp = "Quote ' double \" back \\ $(touch dollar) `touch tick` ; touch semi";

// A registry whose summary and option help try to break out of each shell's quotes, and would
// create files if they did.
CompletionModel make_hostile_model() {
  CommandRegistry registry;
  OptionSpec option = make_option("mode", AAI_OPTION_STRING);
  option.help = kHostileHelp;
  registry.add(make_command("run", kHostileSummary, {option}));
  return build_completion_model(registry, {}, {});
}

TEST(CompletionScriptTest, BashIgnoresHostileDescriptions) {
  if (!has_program("bash")) {
    GTEST_SKIP() << "bash is not installed";
  }
  testing::TempDir dir;

  std::string output =
      run_shell("bash --norc --noprofile", generate_bash_script(make_hostile_model()),
                "source ./script\n"
                "_aai_children ''\n"
                "printf '%s\\n' \"${_aai_words[@]}\"\n"
                "_aai_options run\n"
                "printf '%s\\n' \"${_aai_words[@]}\"\n",
                dir);

  EXPECT_EQ(output, "run\n--mode\n--help\n-h\n--json\n-j\n");
  EXPECT_EQ(count_entries(dir.path()), 2u) << "the script ran a command from a description";
}

TEST(CompletionScriptTest, ZshQuotesHostileDescriptions) {
  if (!has_program("zsh")) {
    GTEST_SKIP() << "zsh is not installed";
  }
  testing::TempDir dir;

  std::string output = run_shell("zsh -f", generate_zsh_script(make_hostile_model()),
                                 "source ./script 2>/dev/null\n"
                                 "_aai_children ''\n"
                                 "print -rl -- $_aai_words\n"
                                 "_aai_options run\n"
                                 "print -rl -- $_aai_words[1]\n",
                                 dir);

  EXPECT_EQ(output, std::string("run:") + kHostileSummary + "\n--mode:" + kHostileHelp + "\n");
  EXPECT_EQ(count_entries(dir.path()), 2u) << "the script ran a command from a description";
}

TEST(CompletionScriptTest, FishQuotesHostileDescriptions) {
  if (!has_program("fish")) {
    GTEST_SKIP() << "fish is not installed";
  }
  testing::TempDir dir;

  std::string output = run_shell("fish --no-config", generate_fish_script(make_hostile_model()),
                                 "source ./script\n"
                                 "__aai_children ''\n"
                                 "__aai_options run | head -n 1\n",
                                 dir);

  EXPECT_EQ(output, std::string("run\t") + kHostileSummary + "\n--mode\t" + kHostileHelp + "\n");
  EXPECT_EQ(count_entries(dir.path()), 2u) << "the script ran a command from a description";
}

TEST(CompletionCommandTest, UnknownShellIsUsageError) {
  TestApplication test({"completion", "tcsh"});

  EXPECT_EQ(test.run(), 2);
  EXPECT_EQ(test.out(), "");
  EXPECT_EQ(test.err(),
            "Error: Unknown shell 'tcsh': expected bash, zsh or fish.\n"
            "Suggestion: Run `aai completion bash`, `aai completion zsh` or `aai completion "
            "fish`.\n");
}

TEST(CompletionCommandTest, MistypedShellSuggestsName) {
  TestApplication test({"completion", "Bash"});

  EXPECT_EQ(test.run(), 2);
  EXPECT_EQ(test.err(),
            "Error: Unknown shell 'Bash': expected bash, zsh or fish.\n"
            "Suggestion: Did you mean 'bash'?\n");
}

TEST(CompletionCommandTest, MissingShellIsUsageError) {
  TestApplication test({"completion"});

  EXPECT_EQ(test.run(), 2);
  EXPECT_EQ(test.out(), "");
  EXPECT_EQ(test.err(),
            "Error: Missing argument SHELL.\n"
            "Suggestion: Run `aai completion --help` to see its usage.\n");
}

TEST(CompletionCommandTest, HelpPrintsInstallSteps) {
  TestApplication test({"help", "completion"});

  EXPECT_EQ(test.run(), 0);
  std::string help = test.out();
  EXPECT_TRUE(help.starts_with("Usage: aai completion [OPTIONS] SHELL\n")) << help;
  EXPECT_TRUE(
      contains(help, "  aai completion bash > ~/.local/share/bash-completion/completions/aai\n"));
  EXPECT_TRUE(contains(help, "  source <(aai completion bash)\n"));
  EXPECT_TRUE(contains(help, "  mkdir -p ~/.zfunc && aai completion zsh > ~/.zfunc/_aai\n"));
  EXPECT_TRUE(contains(help, "  fpath=(~/.zfunc $fpath)\n"));
  EXPECT_TRUE(contains(help, "  aai completion fish > ~/.config/fish/completions/aai.fish\n"));
  EXPECT_TRUE(contains(help, "  SHELL  The shell to complete in: bash, zsh or fish.\n"));
}

TEST(CompletionCommandTest, ScriptIncludesPluginCommands) {
  TestApplication test({"completion", "bash"});
  test.load_fixtures({"fixture_good.so"});

  EXPECT_EQ(test.run(), 0);
  std::string script = test.out();
  EXPECT_TRUE(contains(script, "with the plugins fixture-good.\n")) << script.substr(0, 300);
  EXPECT_TRUE(contains(script, "    'greet|--format' | 'greet|-f')\n"));
  EXPECT_TRUE(contains(script, "    'things add') return 0 ;;\n"));
  EXPECT_TRUE(contains(script,
                       "    '|--env')\n      _aai_kind=values\n"
                       "      _aai_words=(\n        'fixture'\n      )\n"));
  EXPECT_TRUE(contains(script, "    'completion|0')\n      _aai_kind=values\n"));
  EXPECT_EQ(test.err(), "");
}

TEST(CompletionCommandTest, ProfilesComeFromConfig) {
  TestApplication test({"completion", "fish"});
  auto config = test.dir().path() / "config" / "aai" / "config.ini";
  std::filesystem::create_directories(config.parent_path());
  testing::write_text(config,
                      "[core]\nactive_profile = team\n[profile.work]\nenv = local\n"
                      "[profile.bad name]\nenv = local\n");

  EXPECT_EQ(test.run(), 0);
  EXPECT_TRUE(contains(test.out(),
                       "        case '|--profile' '|-p'\n            echo values\n"
                       "            printf '%s\\n' 'default' 'team' 'work'\n"))
      << test.out();
  EXPECT_EQ(test.err(), "");
}

TEST(CompletionCommandTest, InvalidConfigLeavesDefaultProfile) {
  TestApplication test({"completion", "zsh"});
  auto config = test.dir().path() / "config" / "aai" / "config.ini";
  std::filesystem::create_directories(config.parent_path());
  testing::write_text(config, "[profile.work\n");

  EXPECT_EQ(test.run(), 0);
  EXPECT_TRUE(contains(test.out(),
                       "    '|--profile' | '|-p')\n      _aai_kind=values\n"
                       "      _aai_words=(\n        'default'\n      )\n"))
      << test.out();
  EXPECT_EQ(test.err(), "Warning: The config file " + config.string() +
                            " is invalid at line 1. The completion script offers only the "
                            "profile 'default'.\n");
}

}  // namespace
}  // namespace aai::host
