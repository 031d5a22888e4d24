// The accounts data the emulator plays AMS with: its JSON format, the built-in default, and the
// checks that a file read with --accounts (or saved in the data folder) passes before use.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace aai::local {

/// An accounts file that cannot be read, is not JSON, or does not have the accounts format. The
/// message names the file and the problem.
class AccountsFileError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Returns the accounts data used when neither --accounts nor a saved file gives one: identity
/// you@example.com in organization org-local ("Local organization"), account 1001, project 1
/// ("Default project"), no tokens, LLM gateway enabled.
nlohmann::json default_accounts();

/// Returns the reason `accounts` does not have the accounts format, naming the JSON path of the
/// first bad value ("identities[0].organizations[1].account_id must be an integer, not "7"."),
/// or an empty string when it is valid.
std::string accounts_format_error(const nlohmann::json& accounts);

/// Parses `text` as accounts data read from `file`; throws AccountsFileError naming `file`.
nlohmann::json parse_accounts(const std::string& text, const std::filesystem::path& file);

/// Reads and parses the accounts file `file`; throws AccountsFileError naming `file`.
nlohmann::json read_accounts_file(const std::filesystem::path& file);

}  // namespace aai::local
