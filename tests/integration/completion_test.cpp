// `aai completion` scripts from the real binary, loaded into the real bash, zsh and fish and
// asked to complete command lines. Each script includes the SDK's C plugin, a third-party plugin
// found through AAI_PLUGIN_PATH, so its `greet` command must complete like a built-in one.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "harness.hpp"

namespace aai::testing {
namespace {

using Lines = std::vector<std::string>;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool has(const Lines& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::string quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

Lines split_lines(const std::string& text) {
  Lines lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

bool has_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// What a shell printed: stdout, and stderr, which a clean load leaves empty.
struct ShellResult {
  std::string out;
  std::string err;
};

// Types a command line and Tab into real zsh in a pseudo-terminal (zsh's zpty module), and prints
// the screen output once every expected word has appeared, or after 20 seconds. Arguments: the
// folder to put on fpath, the command line, then the expected words.
constexpr const char* kZshTabDriver = R"zsh(
zmodload zsh/zpty zsh/zselect || exit 3
local folder=$1 line=$2 output chunk word missing
shift 2
typeset -F SECONDS
local deadline=$((SECONDS + 20))
zpty completion 'zsh -f -i'
zpty -w completion "stty rows 200 columns 200; PS1='> '; LISTMAX=100000; fpath=(${(q)folder} \$fpath); autoload -Uz compinit && compinit -u -D; print READY\$((6*7))"
until [[ $output == *READY42* ]] || (( SECONDS > deadline )); do
  zpty -r -t completion chunk && output+=$chunk || zselect -t 5
done
if [[ $output != *READY42* ]]; then
  print -r -- "zsh did not start: $output"
  zpty -d completion
  exit 4
fi
output=
zpty -n -w completion "$line"$'\t'
while (( SECONDS < deadline )); do
  zpty -r -t completion chunk && output+=$chunk || zselect -t 5
  missing=0
  for word in "$@"; do
    [[ $output == *${~${(q)word}}* ]] || missing=1
  done
  (( missing )) || break
done
zpty -d completion
print -r -- "$output"
)zsh";

class CompletionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_.set_env("AAI_PLUGIN_PATH", (build_dir() / "tests" / "sdk" / "plugins").string());
    // A file in the folder where the shells run, for the completions of file names.
    work_.write("interview.wav", "");
  }

  // Saves the script for `shell` in the work folder under `name` and returns its path.
  std::filesystem::path generate(const std::string& shell, const std::string& name) {
    RunResult result = sandbox_.run({"completion", shell});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    return work_.write(name, result.out);
  }

  // Runs `command` through /bin/sh in the work folder with the sandbox's HOME.
  ShellResult run_shell(const std::string& command) const {
    auto err_path = work_.path() / "stderr.txt";
    std::string full = "cd " + quote(work_.path().string()) + " && PATH=" + quote(path_prefix_) +
                       "\"$PATH\" HOME=" + quote(sandbox_.home().string()) + " " + command + " 2>" +
                       quote(err_path.string());
    FILE* pipe = ::popen(full.c_str(), "r");
    if (pipe == nullptr) {
      return {"", "popen failed"};
    }
    std::string out;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
      out += buffer;
    }
    ::pclose(pipe);
    return {out, read_text(err_path)};
  }

  // Completes the last of `words` in bash as `complete -F` would, with the cursor at the end of
  // `line`, and returns COMPREPLY.
  Lines complete_bash(const std::vector<std::string>& words, const std::string& line) {
    std::string quoted_words;
    for (const auto& word : words) {
      quoted_words += " " + quote(word);
    }
    work_.write("driver.bash",
                "source ./aai.bash\n"
                "COMP_WORDS=(" +
                    quoted_words +
                    " )\n"
                    "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                    "COMP_LINE=" +
                    quote(line) +
                    "\n"
                    "COMP_POINT=${#COMP_LINE}\n"
                    "_aai aai \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD - 1]}\"\n"
                    "if ((${#COMPREPLY[@]})); then printf '%s\\n' \"${COMPREPLY[@]}\"; fi\n");
    ShellResult result = run_shell("bash --norc --noprofile ./driver.bash");
    EXPECT_EQ(result.err, "") << line;
    return split_lines(result.out);
  }

  // Completes `line` in bash, with its words split at spaces as bash splits a plain line.
  Lines complete_bash(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream stream(line);
    for (std::string word; stream >> word;) {
      words.push_back(word);
    }
    if (line.ends_with(" ")) {
      words.push_back("");
    }
    return complete_bash(words, line);
  }

  // Completes `line` in fish and returns the candidates without their descriptions.
  Lines complete_fish(const std::string& line) {
    Lines candidates;
    for (const auto& entry : complete_fish_described(line)) {
      candidates.push_back(entry.substr(0, entry.find('\t')));
    }
    return candidates;
  }

  // Completes `line` in fish and returns "candidate<TAB>description" lines.
  Lines complete_fish_described(const std::string& line) {
    ShellResult result =
        run_shell("fish --no-config -c " + quote("source ./aai.fish; complete -C " + quote(line)));
    EXPECT_EQ(result.err, "") << line;
    return split_lines(result.out);
  }

  // Types `line` and Tab into an interactive zsh that loads the script from a folder on fpath,
  // and returns the screen output.
  std::string complete_zsh(const std::string& line, const std::vector<std::string>& expected) {
    std::string command = "zsh -f ./driver.zsh " + quote(zsh_folder_.string()) + " " + quote(line);
    for (const auto& word : expected) {
      command += " " + quote(word);
    }
    return run_shell(command).out;
  }

  void install_zsh_script() {
    zsh_folder_ = work_.path() / "zfunc";
    std::filesystem::create_directories(zsh_folder_);
    std::filesystem::rename(generate("zsh", "aai.zsh"), zsh_folder_ / "_aai");
    work_.write("driver.zsh", kZshTabDriver);
  }

  Sandbox sandbox_;
  TempDir work_;
  std::filesystem::path zsh_folder_;
  // Folders put before PATH for the shells, ending in ':'.
  std::string path_prefix_;
};

TEST_F(CompletionTest, BashCompletesTopLevelCommands) {
  generate("bash", "aai.bash");

  Lines replies = complete_bash("aai ");

  for (const char* command : {"transcribe", "transcripts", "stream", "llm", "plugins", "config",
                              "completion", "help", "greet"}) {
    EXPECT_TRUE(has(replies, command)) << command;
  }
  EXPECT_FALSE(has(replies, "list")) << "a subcommand at the top level";
}

TEST_F(CompletionTest, BashCompletesGroupWordByWord) {
  generate("bash", "aai.bash");

  EXPECT_EQ(complete_bash("aai transcripts "), (Lines{"delete", "get", "list"}));
  EXPECT_EQ(complete_bash("aai transcripts l"), (Lines{"list"}));
  EXPECT_EQ(complete_bash("aai plugins "), (Lines{"install", "list", "remove", "verify"}));
  EXPECT_EQ(complete_bash("aai --env local -v transcripts "), (Lines{"delete", "get", "list"}));
  EXPECT_EQ(complete_bash("aai help transcripts "), (Lines{"delete", "get", "list"}));
}

TEST_F(CompletionTest, BashCompletesCommandOptions) {
  generate("bash", "aai.bash");

  Lines options = complete_bash("aai transcribe --");
  Lines limit = complete_bash("aai transcripts list --l");

  EXPECT_TRUE(has(options, "--speech-model"));
  EXPECT_TRUE(has(options, "--out"));
  EXPECT_TRUE(has(options, "--punctuate"));
  EXPECT_TRUE(has(options, "--no-punctuate"));
  EXPECT_TRUE(has(options, "--json"));
  EXPECT_FALSE(has(options, "--env")) << "global options go before the command name";
  EXPECT_EQ(limit, (Lines{"--limit"}));
}

TEST_F(CompletionTest, BashCompletesGlobalOptions) {
  generate("bash", "aai.bash");

  Lines options = complete_bash("aai --");
  Lines environments = complete_bash("aai --env ");

  EXPECT_TRUE(has(options, "--env"));
  EXPECT_TRUE(has(options, "--profile"));
  EXPECT_TRUE(has(options, "--json"));
  EXPECT_TRUE(has(options, "--verbose"));
  EXPECT_TRUE(has(environments, "local"));
  EXPECT_TRUE(has(environments, "production"));
  EXPECT_TRUE(has(environments, "sandbox000"));
  EXPECT_EQ(complete_bash("aai -p "), (Lines{"default"}));
}

TEST_F(CompletionTest, BashJoinsOptionValueAfterEquals) {
  generate("bash", "aai.bash");

  // Bash splits "--env=lo" into the words --env, = and lo, and replaces only the text after "=".
  EXPECT_EQ(complete_bash({"aai", "--env", "=", "lo"}, "aai --env=lo"), (Lines{"local"}));
  EXPECT_EQ(complete_bash({"aai", "--env", "=", "local", "transcripts", ""},
                          "aai --env=local transcripts "),
            (Lines{"delete", "get", "list"}));
}

TEST_F(CompletionTest, BashCompletesChoicesAndFiles) {
  generate("bash", "aai.bash");

  Lines models = complete_bash("aai transcribe --speech-model ");
  Lines sources = complete_bash("aai transcribe ");
  Lines outputs = complete_bash("aai transcribe interview.wav --out inter");

  EXPECT_TRUE(has(models, "best"));
  EXPECT_TRUE(has(models, "universal-3-5-pro"));
  EXPECT_EQ(complete_bash("aai transcribe -o s"), (Lines{"status", "srt"}));
  EXPECT_EQ(complete_bash("aai completion "), (Lines{"bash", "zsh", "fish"}));
  EXPECT_TRUE(has(sources, "interview.wav"));
  EXPECT_EQ(outputs, (Lines{"interview.wav"}));
  EXPECT_EQ(complete_bash("aai transcripts get "), Lines{}) << "an id is not a file";
}

TEST_F(CompletionTest, BashCompletesThirdPartyPlugin) {
  generate("bash", "aai.bash");

  EXPECT_EQ(complete_bash("aai gr"), (Lines{"greet"}));
  EXPECT_EQ(complete_bash("aai greet --"), (Lines{"--name", "--help", "--json"}));
  EXPECT_EQ(complete_bash("aai greet -"), (Lines{"--name", "-n", "--help", "-h", "--json", "-j"}));
}

TEST_F(CompletionTest, BashCompletionLoaderFindsInstalledScript) {
  const std::filesystem::path loader = "/usr/share/bash-completion/bash_completion";
  if (!std::filesystem::exists(loader)) {
    GTEST_SKIP() << "the bash-completion package is not installed";
  }
  // The install line of docs/completion.md, with the sandbox's HOME.
  auto folder = sandbox_.home() / ".local" / "share" / "bash-completion" / "completions";
  std::filesystem::create_directories(folder);
  std::filesystem::rename(generate("bash", "aai.bash"), folder / "aai");

  ShellResult result = run_shell(
      "env -u XDG_DATA_HOME -u BASH_COMPLETION_USER_DIR bash --norc --noprofile -c " +
      quote("source " + loader.string() + " && __load_completion aai && complete -p aai"));

  EXPECT_EQ(result.out, "complete -F _aai aai\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(CompletionTest, ZshLoadsFromFpathAndSourced) {
  if (!has_program("zsh")) {
    GTEST_SKIP() << "zsh is not installed";
  }
  install_zsh_script();

  ShellResult from_fpath =
      run_shell("zsh -f -c " + quote("fpath=(" + zsh_folder_.string() +
                                     " $fpath); autoload -Uz compinit && compinit -u -D && "
                                     "print -r -- $_comps[aai]"));
  ShellResult sourced = run_shell(
      "zsh -f -c " + quote("autoload -Uz compinit && compinit -u -D && source " +
                           (zsh_folder_ / "_aai").string() + " && print -r -- $_comps[aai]"));
  ShellResult without_compinit =
      run_shell("zsh -f -c " + quote("source " + (zsh_folder_ / "_aai").string()));

  EXPECT_EQ(from_fpath.out, "_aai\n");
  EXPECT_EQ(from_fpath.err, "");
  EXPECT_EQ(sourced.out, "_aai\n");
  EXPECT_EQ(sourced.err, "");
  EXPECT_EQ(without_compinit.err,
            "aai completion: run `autoload -Uz compinit && compinit` before loading this "
            "script.\n");
}

TEST_F(CompletionTest, ZshCompletesOnTab) {
  if (!has_program("zsh")) {
    GTEST_SKIP() << "zsh is not installed";
  }
  install_zsh_script();

  std::string group = complete_zsh("aai transcripts ", {"delete", "get", "list"});
  std::string options = complete_zsh("aai transcribe --", {"--speech-model", "--word-boost"});
  std::string environments = complete_zsh("aai --env ", {"local", "production", "sandbox000"});
  std::string single = complete_zsh("aai --env=lo", {"--env=local"});
  std::string plugin = complete_zsh("aai greet -", {"--name"});
  std::string quoted = complete_zsh("aai 'transcripts' ", {"delete", "get", "list"});
  std::string file = complete_zsh("aai transcribe --out inter", {"interview.wav"});

  EXPECT_TRUE(contains(group, "delete  -- Delete a transcript's text")) << group;
  EXPECT_TRUE(contains(group, "list    -- List recent transcripts")) << group;
  EXPECT_TRUE(contains(options, "--speech-model")) << options;
  EXPECT_TRUE(contains(options, "-- Summary model")) << options;
  EXPECT_TRUE(contains(environments, "sandbox000")) << environments;
  EXPECT_TRUE(contains(single, "aai --env=local")) << single;
  EXPECT_TRUE(contains(plugin, "Who to greet.")) << plugin;
  EXPECT_TRUE(contains(quoted, "get     -- Fetch a past transcript")) << quoted;
  EXPECT_TRUE(contains(file, "aai transcribe --out interview.wav")) << file;
}

TEST_F(CompletionTest, FishCompletesWithDescriptions) {
  if (!has_program("fish")) {
    GTEST_SKIP() << "fish is not installed";
  }
  generate("fish", "aai.fish");

  Lines group = complete_fish_described("aai transcripts ");
  Lines top = complete_fish("aai ");
  Lines options = complete_fish("aai transcribe --");

  ASSERT_EQ(group.size(), 3u);
  EXPECT_EQ(group[0], "delete\tDelete a transcript's text and audio from the service");
  EXPECT_EQ(group[2], "list\tList recent transcripts");
  EXPECT_TRUE(has(top, "transcribe"));
  EXPECT_TRUE(has(top, "stream"));
  EXPECT_TRUE(has(top, "llm"));
  EXPECT_TRUE(has(top, "plugins"));
  EXPECT_TRUE(has(top, "greet"));
  EXPECT_TRUE(has(options, "--speech-model"));
  EXPECT_TRUE(has(options, "--no-punctuate"));
  EXPECT_EQ(complete_fish("aai --env l"), (Lines{"local"}));
  EXPECT_EQ(complete_fish("aai --env=l"), (Lines{"--env=local"}));
  EXPECT_EQ(complete_fish("aai -vp default transcripts g"), (Lines{"get"}));
  EXPECT_EQ(complete_fish("aai help transcripts d"), (Lines{"delete"}));
  EXPECT_EQ(complete_fish("aai 'transcripts' g"), (Lines{"get"}));
  EXPECT_TRUE(has(complete_fish_described("aai greet -"), "--name\tWho to greet."));
  EXPECT_EQ(complete_fish("aai transcribe --out inter"), (Lines{"interview.wav"}));
  EXPECT_EQ(complete_fish("aai transcripts get "), Lines{}) << "an id is not a file";
}

TEST_F(CompletionTest, CompletingRunsNoAaiCode) {
  generate("bash", "aai.bash");
  generate("fish", "aai.fish");
  // An aai first on PATH that leaves a mark when anything runs it.
  auto marker = work_.path() / "aai-was-run";
  auto fake = work_.write("bin/aai", "#!/bin/sh\ntouch " + quote(marker.string()) + "\n");
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  path_prefix_ = (work_.path() / "bin").string() + ":";

  Lines bash = complete_bash("aai transcripts ");
  Lines fish = has_program("fish") ? complete_fish("aai transcripts ") : bash;

  EXPECT_EQ(bash, (Lines{"delete", "get", "list"}));
  EXPECT_EQ(fish, (Lines{"delete", "get", "list"}));
  if (has_program("zsh")) {
    install_zsh_script();
    EXPECT_TRUE(contains(complete_zsh("aai transcripts ", {"delete"}), "delete"));
  }
  EXPECT_FALSE(std::filesystem::exists(marker)) << "a completion ran the aai on PATH";
}

}  // namespace
}  // namespace aai::testing
