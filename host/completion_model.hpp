// The completion model: the command tree, each command's options and arguments, and the kind of
// completion for each value, read from the command registry when `aai completion` runs.
#pragma once

#include "command_registry.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aai::host {

/// Kind of completion for a value: an option's value or a positional argument.
enum class ValueCompletion {
  /// The option is a switch and takes no value. Used for options only.
  none,
  /// The value is free text, so nothing is offered, but the word is still consumed.
  text,
  /// One of a fixed list of words, such as an option's choices or the environment names.
  words,
  files,
  directories,
  /// Command names, word by word, as the argument of `aai help` takes them.
  commands,
};

struct CompletionValue {
  ValueCompletion kind = ValueCompletion::text;
  std::vector<std::string> words;
};

struct CompletionOption {
  /// Long name without the leading dashes, such as "out" or "no-punctuate".
  std::string name;
  /// Short name such as 'o', or 0 for none.
  char short_name = 0;
  /// One line of help, already cleaned of line breaks and control characters.
  std::string help;
  CompletionValue value;
};

struct CompletionCommand {
  /// Full name, words separated by one space: "transcripts list".
  std::string name;
  std::string summary;
  /// The command's own options, then -h/--help and -j/--json, which every command accepts.
  std::vector<CompletionOption> options;
  /// Positional arguments in order.
  std::vector<CompletionValue> arguments;
  /// Whether the last argument takes every remaining word.
  bool last_argument_variadic = false;
};

/// A word that can follow a group or command name, with the summary the shell shows beside it.
struct CompletionChild {
  std::string word;
  std::string summary;
};

struct CompletionModel {
  /// Source of the script, for its header: "aai 0.1.0 with the plugins local, transcribe".
  std::string origin;
  std::vector<CompletionOption> global_options;
  /// Every command, sorted by name.
  std::vector<CompletionCommand> commands;
  /// Child words of every group or command that has some, keyed by its name ("" for the top
  /// level, "transcripts" for `transcripts list`), each list sorted by word.
  std::map<std::string, std::vector<CompletionChild>> children;
  /// One warning sentence for each name or choice left out of the script.
  std::vector<std::string> left_out;
};

/// A word that a script offers, with the description the shell shows beside it ("" for none).
struct CompletionWord {
  std::string word;
  std::string description;
};

/// The option words that a script offers after one command name.
struct CompletionOptionList {
  /// Full command name, or "" for the global options, which come before any command name.
  std::string command;
  std::vector<CompletionWord> words;
};

/// A case of the lookup that a script does to find what an option or a positional argument takes.
/// The script matches "COMMAND|SELECTOR" for each selector.
struct CompletionValueCase {
  /// Full command name, or "" for a global option.
  std::string command;
  /// "--out" and then "-o" for an option with a short name, the position from 0 for a positional
  /// argument, or "*" for a variadic last argument, which every later position matches too.
  std::vector<std::string> selectors;
  CompletionValue value;
};

/// Builds the model from the registry. `environment_names` complete --env and `profile_names`
/// complete -p/--profile. A command, option or choice that the shell would need quoted is left
/// out, with a warning in `left_out`.
CompletionModel build_completion_model(const CommandRegistry& commands,
                                       const std::vector<std::string>& environment_names,
                                       const std::vector<std::string>& profile_names);

/// Lists the option words of the global options, then of each command in name order. Each option
/// gives --name, then -x when it has a short name, both described by the option's help.
std::vector<CompletionOptionList> completion_option_lists(const CompletionModel& model);

/// Returns the option words a script offers after a group name: --help, -h, --json and -j.
std::vector<CompletionWord> group_option_words();

/// Lists a case for each option that takes a value: the global options, then the options of each
/// command in name order. Switches get no case.
std::vector<CompletionValueCase> option_value_cases(const CompletionModel& model);

/// Lists a case for each positional argument of each command, in name order and then position.
std::vector<CompletionValueCase> argument_value_cases(const CompletionModel& model);

/// Returns the name the scripts use for `kind`: none, text, values, files, directories or
/// commands.
std::string completion_kind_name(ValueCompletion kind);

/// Returns the shells `aai completion` writes scripts for: bash, zsh and fish.
const std::vector<std::string>& completion_shell_names();

/// Returns whether `word` can go on a command line unquoted: ASCII letters, digits and
/// `_ . , + @ / -`. No shell gives these a special meaning, and bash does not split a completion
/// word at them.
bool is_plain_word(const std::string& word);

/// Returns the first line of `text` with tabs and other control characters replaced by spaces
/// and surrounding spaces removed, for a description beside a completion.
std::string completion_description(const std::string& text);

}  // namespace aai::host
