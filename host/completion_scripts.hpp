// The completion scripts `aai completion` prints. Each script carries the model as data and walks
// the command line itself, so completing runs no aai or plugin code.
#pragma once

#include "completion_model.hpp"

#include <string>

namespace aai::host {

/// Generates a bash script that registers the function _aai with `complete -F`. It needs bash 4
/// or later and does not need the bash-completion package.
std::string generate_bash_script(const CompletionModel& model);

/// Generates a zsh script for compinit: it starts with `#compdef aai`, works as the file _aai in
/// a folder on fpath, and registers _aai with compdef when it is sourced instead.
std::string generate_zsh_script(const CompletionModel& model);

/// Generates a fish script for ~/.config/fish/completions/aai.fish.
std::string generate_fish_script(const CompletionModel& model);

/// Returns `text` in single quotes for bash and zsh, with each ' written as '\''.
std::string quote_posix(const std::string& text);

/// Returns `text` in single quotes for fish, with \ and ' escaped by a backslash.
std::string quote_fish(const std::string& text);

}  // namespace aai::host
