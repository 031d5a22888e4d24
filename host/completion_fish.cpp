// The fish script: data functions that print the command tree, and __aai_complete, which reads
// the command line as aai parses it and prints "candidate<TAB>description" lines.
#include "completion_scripts.hpp"

namespace aai::host {

namespace {

constexpr const char* kCompleteFunction = R"fish(
# Reads the command line being edited as aai parses it and prints its completions, one
# "candidate<TAB>description" line each. The state is global (no command word yet), group
# (inside a group such as "transcripts"), command or unknown (a word that names no command).
function __aai_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l state global
    set -l path ''
    set -l command ''
    set -l pending ''
    set -l arguments 0
    set -l argument_path ''
    set -l extendable 0
    set -l end_of_options 0
    for word in $words
        if test -n "$pending"
            set pending ''
            continue
        end
        if test $state = unknown
            return
        end
        if test $end_of_options = 0; and string match -q -- '-?*' $word
            set extendable 0
            if test "$word" = --
                if test $state = command
                    set end_of_options 1
                end
                continue
            end
            # A group such as "transcripts" accepts only -h and -j, and neither takes a value.
            if test $state = group
                continue
            end
            if string match -q -- '--*' $word
                if not string match -q -- '*=*' $word
                    set -l kind (__aai_option_value "$command" $word)[1]
                    if test "$kind" != none
                        set pending $word
                    end
                end
                continue
            end
            # A cluster such as -vp: the first short option that takes a value ends it, and takes
            # the rest of the word as its value, or the next word when nothing is left.
            set -l length (string length -- $word)
            for index in (seq 2 $length)
                set -l letter (string sub -s $index -l 1 -- $word)
                set -l kind (__aai_option_value "$command" -$letter)[1]
                if test "$kind" != none
                    if test $index -eq $length
                        set pending -$letter
                    end
                    break
                end
            end
            continue
        end
        set -l next $word
        if test -n "$path"
            set next "$path $word"
        end
        # A command name continues only right after its previous word: "env list" names a
        # command, but in "env --json list" the word list is an argument of env.
        if test $state != command; or test $extendable = 1
            if __aai_is_node "$next"
                set path $next
                set extendable 1
                if __aai_is_command "$next"
                    set state command
                    set command $next
                else
                    set state group
                    set command ''
                end
                continue
            end
        end
        set extendable 0
        if test $state != command
            set state unknown
            return
        end
        set arguments (math $arguments + 1)
        if test -n "$argument_path"
            set argument_path "$argument_path $word"
        else
            set argument_path $word
        end
    end

    set -l prefix ''
    set -l value $current
    set -l result
    if test -n "$pending"
        set result (__aai_option_value "$command" $pending)
    else if test $end_of_options = 0; and string match -q -- '-*' $current
        if string match -q -- '--*=*' $current; and test $state != group
            set -l name (string replace -r '=.*' '' -- $current)
            set prefix "$name="
            set value (string sub -s (math (string length -- $prefix) + 1) -- $current)
            set result (__aai_option_value "$command" $name)
        else
            __aai_options "$path"
            return
        end
    else if test $state != command
        __aai_children "$path"
        return
    else
        if test $extendable = 1
            set -l children (__aai_children "$path")
            if set -q children[1]
                printf '%s\n' $children
                return
            end
        end
        set result (__aai_argument_value "$command" $arguments)
        if test "$result[1]" = commands
            __aai_children "$argument_path"
            return
        end
    end
    switch "$result[1]"
        case values
            printf '%s\n' $prefix$result[2..-1]
        case files
            printf '%s\n' $prefix(__fish_complete_path "$value")
        case directories
            printf '%s\n' $prefix(__fish_complete_directories "$value")
    end
end

complete -c aai -e
complete -c aai -f -a '(__aai_complete)'
)fish";

class FishWriter {
 public:
  explicit FishWriter(const CompletionModel& model) : model_(model) {}

  std::string write() {
    write_is_command();
    write_is_node();
    write_children();
    write_options();
    write_option_values();
    write_argument_values();
    return text_;
  }

 private:
  // Writes `printf` lines of "word<TAB>description" for each word, at 12 spaces.
  void write_described(const std::vector<CompletionWord>& words) {
    if (words.empty()) {
      return;
    }
    text_ += "            printf '%s\\t%s\\n'";
    for (const auto& word : words) {
      text_ += " \\\n                " + quote_fish(word.word) + " " + quote_fish(word.description);
    }
    text_ += "\n";
  }

  void write_is_command() {
    text_ += "\n# Returns whether argv[1] is the full name of a command.\n";
    text_ += "function __aai_is_command\n    switch $argv[1]\n";
    for (const auto& command : model_.commands) {
      text_ += "        case " + quote_fish(command.name) + "\n            return 0\n";
    }
    text_ += "    end\n    return 1\nend\n";
  }

  void write_is_node() {
    text_ += "\n# Returns whether argv[1] names a command or a group of commands.\n";
    text_ += "function __aai_is_node\n    switch $argv[1]\n";
    for (const auto& [name, children] : model_.children) {
      if (!name.empty()) {
        text_ += "        case " + quote_fish(name) + "\n            return 0\n";
      }
    }
    text_ += "    end\n    __aai_is_command $argv[1]\nend\n";
  }

  void write_children() {
    text_ +=
        "\n# Prints the words that can follow the command or group argv[1] ('' for the first\n";
    text_ += "# word), with their summaries.\nfunction __aai_children\n    switch $argv[1]\n";
    for (const auto& [name, children] : model_.children) {
      std::vector<CompletionWord> words;
      for (const auto& child : children) {
        words.push_back({child.word, child.summary});
      }
      text_ += "        case " + quote_fish(name) + "\n";
      write_described(words);
    }
    text_ += "    end\nend\n";
  }

  void write_options() {
    text_ += "\n# Prints the options of command argv[1], the global options when it is empty, or\n";
    text_ += "# the options of a group otherwise.\nfunction __aai_options\n    switch $argv[1]\n";
    for (const auto& list : completion_option_lists(model_)) {
      text_ += "        case " + quote_fish(list.command) + "\n";
      write_described(list.words);
    }
    text_ += "        case '*'\n";
    write_described(group_option_words());
    text_ += "    end\nend\n";
  }

  // Writes one case that prints the kind, then the values of a list of values. The quoted pattern
  // "*" still matches every later position, because fish matches wildcards in case patterns even
  // when they are quoted.
  void write_value_case(const CompletionValueCase& value_case) {
    std::string patterns;
    for (const auto& selector : value_case.selectors) {
      patterns += (patterns.empty() ? "" : " ") + quote_fish(value_case.command + "|" + selector);
    }
    const CompletionValue& value = value_case.value;
    text_ += "        case " + patterns + "\n            echo " + completion_kind_name(value.kind) +
             "\n";
    if (value.kind == ValueCompletion::words && !value.words.empty()) {
      text_ += "            printf '%s\\n'";
      for (const auto& word : value.words) {
        text_ += " " + quote_fish(word);
      }
      text_ += "\n";
    }
  }

  void write_option_values() {
    text_ += "\n# Prints what option argv[2] of command argv[1] ('' for a global option) takes:\n";
    text_ += "# none for a switch or an unknown option, text, files, directories, or values\n";
    text_ += "# followed by one value a line.\nfunction __aai_option_value\n";
    text_ += "    switch \"$argv[1]|$argv[2]\"\n";
    for (const auto& value_case : option_value_cases(model_)) {
      write_value_case(value_case);
    }
    text_ += "        case '*'\n            echo none\n    end\nend\n";
  }

  void write_argument_values() {
    text_ +=
        "\n# Prints what positional argument argv[2] (from 0) of command argv[1] takes: none\n";
    text_ += "# past the last one, text, files, directories, commands, or values followed by one\n";
    text_ += "# value a line.\nfunction __aai_argument_value\n";
    text_ += "    switch \"$argv[1]|$argv[2]\"\n";
    for (const auto& value_case : argument_value_cases(model_)) {
      write_value_case(value_case);
    }
    text_ += "        case '*'\n            echo none\n    end\nend\n";
  }

  const CompletionModel& model_;
  std::string text_;
};

}  // namespace

std::string quote_fish(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "'";
}

std::string generate_fish_script(const CompletionModel& model) {
  std::string text = "# fish completion for aai, generated by `aai completion fish`\n# from " +
                     completion_description(model.origin) + ".\n";
  text += "# It lists the commands, options and names known then, so generate it again after\n";
  text += "# adding or removing a plugin or an environment. To install it:\n";
  text += "#   mkdir -p ~/.config/fish/completions\n";
  text += "#   aai completion fish > ~/.config/fish/completions/aai.fish\n";
  text += FishWriter(model).write();
  text += kCompleteFunction;
  return text;
}

}  // namespace aai::host
