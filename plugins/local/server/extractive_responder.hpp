// The emulator's stand-in for a language model: it quotes the sentences of the input that best
// match the prompt. It generates no text of its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aai::local {

/// Answer when the input contains nothing besides the prompt.
inline constexpr const char* kNoMaterialAnswer =
    "The local emulator has no language model: it answers by quoting the sentences of the input "
    "that best match the prompt, and this request had no input besides the prompt.";

/// How many sentences an answer quotes at most.
inline constexpr size_t kMaxQuotedSentences = 3;

/// Returns the answer to `input`, the user messages joined by a blank line. The prompt is the
/// text before the first blank line ("\n\n"); the material is the rest, without a leading
/// "Transcript:" line. Sentences of the material are scored by the prompt's content words they
/// contain and, for a prompt that asks for a summary, by the material's frequent words. The best
/// kMaxQuotedSentences that score above 0 are kept in their original order, or the first ones
/// when none does.
/// A prompt that asks for a list ("list", "items", "bullet", "points") gets one "- " line per
/// sentence; any other gets the sentences joined by spaces.
std::string extractive_answer(std::string_view input);

/// Returns the content words of `text`: lower-cased, stop words dropped, and the endings -s,
/// -ing and -ed removed.
std::vector<std::string> content_words(std::string_view text);

/// Splits `text` into sentences: at ".", "!" or "?" followed by whitespace, and at line breaks.
/// File header lines of the form "===== NAME =====" are dropped.
std::vector<std::string> split_sentences(std::string_view text);

}  // namespace aai::local
