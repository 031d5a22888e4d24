// The bash and zsh scripts. Both shells run the same data functions and the same walk over the
// command line, so only the entry function differs. The zsh data adds descriptions.
#include "completion_scripts.hpp"

namespace aai::host {

namespace {

// The part of both scripts that reads the command line. It is written in the subset of shell
// that bash 4+ and zsh (with its default options, or those of its completion system) run alike: [[
// ]], ${name:offset:length}, arithmetic and dynamically scoped locals. The data functions above it
// supply the commands.
constexpr const char* kWalkFunctions = R"sh(
# Reads one option word during _aai_walk, and sets _aai_pending when the next word is its value.
_aai_read_option() {
  local word=$1 index=1 letter
  if [[ $word == -- ]]; then
    [[ $_aai_state == command ]] && _aai_end_of_options=1
    return
  fi
  # A group such as "transcripts" accepts only -h and -j, and neither takes a value.
  [[ $_aai_state == group ]] && return
  if [[ $word == --* ]]; then
    [[ $word == *=* ]] && return
    _aai_option_value "$_aai_command" "$word"
    [[ $_aai_kind != none ]] && _aai_pending=$word
    return
  fi
  # A cluster such as -vp: the first short option that takes a value ends it, and takes the rest
  # of the word as its value, or the next word when nothing is left.
  while (( index < ${#word} )); do
    letter=${word:$index:1}
    _aai_option_value "$_aai_command" "-$letter"
    if [[ $_aai_kind != none ]]; then
      (( index + 1 == ${#word} )) && _aai_pending=-$letter
      return
    fi
    index=$((index + 1))
  done
}

# Reads the words between "aai" and the word being completed, as aai parses them. Sets
# _aai_state to global (no command word yet), group (inside a group such as "transcripts"),
# command or unknown (a word that names no command), _aai_path to the command or group words
# read, _aai_command to the command's name, _aai_pending to an option whose value is the next
# word, and _aai_arguments and _aai_argument_path to the positional arguments read.
_aai_walk() {
  _aai_state=global
  _aai_path=
  _aai_command=
  _aai_pending=
  _aai_arguments=0
  _aai_argument_path=
  _aai_extendable=0
  _aai_end_of_options=0
  local word next
  for word in "$@"; do
    if [[ -n $_aai_pending ]]; then
      _aai_pending=
      continue
    fi
    [[ $_aai_state == unknown ]] && return
    if [[ $_aai_end_of_options == 0 && $word == -?* ]]; then
      _aai_extendable=0
      _aai_read_option "$word"
      continue
    fi
    next=${_aai_path:+$_aai_path }$word
    # A command name continues only right after its previous word: "env list" names a command,
    # but in "env --json list" the word list is an argument of env.
    if [[ $_aai_state != command || $_aai_extendable == 1 ]] && _aai_is_node "$next"; then
      _aai_path=$next
      _aai_extendable=1
      if _aai_is_command "$next"; then
        _aai_state=command
        _aai_command=$next
      else
        _aai_state=group
        _aai_command=
      fi
      continue
    fi
    _aai_extendable=0
    if [[ $_aai_state != command ]]; then
      _aai_state=unknown
      return
    fi
    _aai_arguments=$((_aai_arguments + 1))
    _aai_argument_path=${_aai_argument_path:+$_aai_argument_path }$word
  done
}

# Sets _aai_kind and _aai_words to what completes the word $1 after _aai_walk: commands,
# options or values with _aai_words, files, directories, or none. For --option=value it also sets
# _aai_value_prefix to the part up to the "=".
_aai_offer() {
  local current=$1
  _aai_kind=none
  _aai_words=()
  _aai_value_prefix=
  [[ $_aai_state == unknown ]] && return

  if [[ -n $_aai_pending ]]; then
    _aai_option_value "$_aai_command" "$_aai_pending"
    return
  fi
  if [[ $_aai_end_of_options == 0 && $current == -* ]]; then
    if [[ $current == --*=* && $_aai_state != group ]]; then
      _aai_value_prefix=${current%%=*}=
      _aai_option_value "$_aai_command" "${current%%=*}"
      return
    fi
    _aai_options "$_aai_path"
    _aai_kind=options
    return
  fi

  if [[ $_aai_state != command ]]; then
    _aai_children "$_aai_path"
    _aai_kind=commands
    return
  fi

  # Right after a command that is also a group, its subcommands come before its arguments.
  if [[ $_aai_extendable == 1 ]]; then
    _aai_children "$_aai_path"
    if (( ${#_aai_words[@]} > 0 )); then
      _aai_kind=commands
      return
    fi
  fi
  _aai_argument_value "$_aai_command" "$_aai_arguments"
  if [[ $_aai_kind == commands ]]; then
    _aai_children "$_aai_argument_path"
  fi
}
)sh";

constexpr const char* kBashEntry = R"sh(
# Completes the aai command line in COMP_WORDS up to COMP_CWORD, into COMPREPLY.
_aai() {
  local -a _aai_words=() line=()
  local _aai_kind _aai_state _aai_path _aai_command _aai_pending _aai_arguments
  local _aai_argument_path _aai_extendable _aai_end_of_options _aai_value_prefix
  local index word length joined=0 current value prefix=
  # NOTE: the words are compared as typed, so a quoted command word such as 'transcripts' names
  # no command. Bash splits --env=local into three words at the "=", so join them again.
  for ((index = 1; index <= COMP_CWORD; index++)); do
    word=${COMP_WORDS[index]}
    # Bash passes the whole word under the cursor, so keep only the part before the cursor.
    if ((index == COMP_CWORD)) && [[ -n ${COMP_LINE+set} ]]; then
      length=${#word}
      while ((length > 0)) && [[ ${COMP_LINE:0:COMP_POINT} != *"${word:0:length}" ]]; do
        length=$((length - 1))
      done
      word=${word:0:length}
    fi
    if ((joined)); then
      line[${#line[@]} - 1]+=$word
      joined=0
    elif [[ $word == "=" && ${#line[@]} -gt 0 && ${line[${#line[@]} - 1]} == --* ]]; then
      line[${#line[@]} - 1]+="="
      joined=1
    else
      line+=("$word")
    fi
  done

  current=${line[${#line[@]} - 1]}
  _aai_walk "${line[@]:0:${#line[@]} - 1}"
  _aai_offer "$current"

  COMPREPLY=()
  value=${current#"$_aai_value_prefix"}
  # Bash replaces only the text after the "=" of --env=lo, unless COMP_WORDBREAKS lacks "=" and
  # the whole --env=lo is one word.
  if [[ -n $_aai_value_prefix && ${COMP_WORDS[COMP_CWORD]} == "$current" ]]; then
    prefix=$_aai_value_prefix
  fi

  case $_aai_kind in
    commands | options | values)
      for word in "${_aai_words[@]}"; do
        [[ $word == "$value"* ]] && COMPREPLY+=("$prefix$word")
      done
      ;;
    files | directories)
      compopt -o filenames 2>/dev/null
      if [[ $_aai_kind == files ]]; then
        mapfile -t _aai_words < <(compgen -f -- "$value")
      else
        mapfile -t _aai_words < <(compgen -d -- "$value")
      fi
      for word in "${_aai_words[@]}"; do
        COMPREPLY+=("$prefix$word")
      done
      ;;
  esac
}

complete -F _aai aai
)sh";

constexpr const char* kZshEntry = R"sh(
# Completes the aai command line in words up to CURRENT. It runs with the options the completion
# system sets, which _describe needs (extendedglob), so it does not reset them with emulate.
_aai() {
  local -a _aai_words
  local _aai_kind _aai_state _aai_path _aai_command _aai_pending _aai_arguments
  local _aai_argument_path _aai_extendable _aai_end_of_options _aai_value_prefix
  # The words are as typed, so (Q) removes their quotes first.
  _aai_walk "${(@Q)words[2,CURRENT-1]}"
  _aai_offer "${(Q)words[CURRENT]}"
  if [[ -n $_aai_value_prefix ]]; then
    compset -P '*='
  fi
  case $_aai_kind in
    commands) _describe -t commands 'aai command' _aai_words ;;
    options) _describe -t options 'option' _aai_words ;;
    values) _describe -t values 'value' _aai_words ;;
    files) _files ;;
    directories) _files -/ ;;
    *) return 1 ;;
  esac
}

# Loaded from a folder on fpath, this file is the body of _aai, so it completes right away.
# Sourced, it registers _aai, which needs compinit first.
if [[ ${funcstack[1]} == _aai ]]; then
  _aai "$@"
elif (( ${+functions[compdef]} )); then
  compdef _aai aai
else
  print -u2 'aai completion: run `autoload -Uz compinit && compinit` before loading this script.'
fi
)sh";

// Writes the generated part of both scripts. zsh gets "word:description" entries for _describe,
// bash only the words, because bash shows no descriptions.
class DataWriter {
 public:
  DataWriter(const CompletionModel& model, bool described) : model_(model), described_(described) {}

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
  std::string entry(const std::string& word, const std::string& description) const {
    if (!described_ || description.empty()) {
      return quote_posix(word);
    }
    return quote_posix(word + ":" + description);
  }

  // Writes `_aai_words=(...)` at `indent` spaces, one entry a line.
  void write_words(const std::vector<std::string>& entries, size_t indent) {
    std::string margin(indent, ' ');
    if (entries.empty()) {
      text_ += margin + "_aai_words=()\n";
      return;
    }
    text_ += margin + "_aai_words=(\n";
    for (const auto& item : entries) {
      text_ += margin + "  " + item + "\n";
    }
    text_ += margin + ")\n";
  }

  std::vector<std::string> entries(const std::vector<CompletionWord>& words) const {
    std::vector<std::string> result;
    for (const auto& word : words) {
      result.push_back(entry(word.word, word.description));
    }
    return result;
  }

  void write_is_command() {
    text_ += "\n# Returns whether $1 is the full name of a command.\n_aai_is_command() {\n";
    text_ += "  case $1 in\n";
    for (const auto& command : model_.commands) {
      text_ += "    " + quote_posix(command.name) + ") return 0 ;;\n";
    }
    text_ += "  esac\n  return 1\n}\n";
  }

  void write_is_node() {
    text_ += "\n# Returns whether $1 names a command or a group of commands.\n_aai_is_node() {\n";
    text_ += "  case $1 in\n";
    for (const auto& [name, children] : model_.children) {
      if (!name.empty()) {
        text_ += "    " + quote_posix(name) + ") return 0 ;;\n";
      }
    }
    text_ += "  esac\n  _aai_is_command \"$1\"\n}\n";
  }

  void write_children() {
    text_ += "\n# Sets _aai_words to the words that can follow the command or group $1 (\"\" for\n";
    text_ += "# the first word).\n_aai_children() {\n  case $1 in\n";
    for (const auto& [name, children] : model_.children) {
      std::vector<std::string> entries;
      for (const auto& child : children) {
        entries.push_back(entry(child.word, child.summary));
      }
      text_ += "    " + quote_posix(name) + ")\n";
      write_words(entries, 6);
      text_ += "      ;;\n";
    }
    text_ += "    *) _aai_words=() ;;\n  esac\n}\n";
  }

  void write_options() {
    text_ += "\n# Sets _aai_words to the options of command $1, the global options when $1 is\n";
    text_ += "# empty, or the options of a group otherwise.\n_aai_options() {\n  case $1 in\n";
    for (const auto& list : completion_option_lists(model_)) {
      text_ += "    " + quote_posix(list.command) + ")\n";
      write_words(entries(list.words), 6);
      text_ += "      ;;\n";
    }
    text_ += "    *)\n";
    write_words(entries(group_option_words()), 6);
    text_ += "      ;;\n  esac\n}\n";
  }

  // Writes one case arm that sets _aai_kind, and _aai_words for a list of values. The pattern "*"
  // stays unquoted so that it matches every later position.
  void write_value_arm(const CompletionValueCase& value_case) {
    std::string patterns;
    for (const auto& selector : value_case.selectors) {
      patterns += patterns.empty() ? "" : " | ";
      patterns += selector == "*" ? quote_posix(value_case.command + "|") + "*"
                                  : quote_posix(value_case.command + "|" + selector);
    }
    const CompletionValue& value = value_case.value;
    std::string kind = "_aai_kind=" + completion_kind_name(value.kind);
    if (value.kind != ValueCompletion::words) {
      text_ += "    " + patterns + ") " + kind + " ;;\n";
      return;
    }
    std::vector<std::string> entries;
    for (const auto& word : value.words) {
      entries.push_back(quote_posix(word));
    }
    text_ += "    " + patterns + ")\n      " + kind + "\n";
    write_words(entries, 6);
    text_ += "      ;;\n";
  }

  void write_option_values() {
    text_ +=
        "\n# Sets _aai_kind to what option $2 of command $1 (\"\" for a global option) takes:\n";
    text_ += "# none for a switch or an unknown option, text, values with _aai_words, files or\n";
    text_ += "# directories.\n_aai_option_value() {\n  _aai_words=()\n  case \"$1|$2\" in\n";
    for (const auto& value_case : option_value_cases(model_)) {
      write_value_arm(value_case);
    }
    text_ += "    *) _aai_kind=none ;;\n  esac\n}\n";
  }

  void write_argument_values() {
    text_ += "\n# Sets _aai_kind to what positional argument $2 (from 0) of command $1 takes:\n";
    text_ += "# none past the last one, text, values with _aai_words, files, directories or\n";
    text_ += "# commands.\n_aai_argument_value() {\n  _aai_words=()\n  case \"$1|$2\" in\n";
    for (const auto& value_case : argument_value_cases(model_)) {
      write_value_arm(value_case);
    }
    text_ += "    *) _aai_kind=none ;;\n  esac\n}\n";
  }

  const CompletionModel& model_;
  bool described_;
  std::string text_;
};

std::string header(const std::string& shell, const CompletionModel& model,
                   const std::vector<std::string>& install_lines) {
  std::string text = "# " + shell + " completion for aai, generated by `aai completion " + shell +
                     "`\n# from " + completion_description(model.origin) + ".\n";
  text += "# It lists the commands, options and names known then, so generate it again after\n";
  text += "# adding or removing a plugin or an environment. To install it:\n";
  for (const auto& line : install_lines) {
    text += "#   " + line + "\n";
  }
  return text;
}

}  // namespace

std::string quote_posix(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string generate_bash_script(const CompletionModel& model) {
  std::string text = header("bash", model,
                            {"mkdir -p ~/.local/share/bash-completion/completions",
                             "aai completion bash > ~/.local/share/bash-completion/completions/aai",
                             "or, without the bash-completion package, add this to ~/.bashrc:",
                             "source <(aai completion bash)"});
  text += DataWriter(model, false).write();
  text += kWalkFunctions;
  text += kBashEntry;
  return text;
}

std::string generate_zsh_script(const CompletionModel& model) {
  std::string text = "#compdef aai\n";
  text += header("zsh", model,
                 {"mkdir -p ~/.zfunc && aai completion zsh > ~/.zfunc/_aai",
                  "and in ~/.zshrc, before compinit: fpath=(~/.zfunc $fpath)"});
  text += DataWriter(model, true).write();
  text += kWalkFunctions;
  text += kZshEntry;
  return text;
}

}  // namespace aai::host
