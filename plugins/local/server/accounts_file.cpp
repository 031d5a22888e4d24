#include "server/accounts_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace aai::local {

namespace {

using nlohmann::json;

// Walks accounts data and records the first problem, with the JSON path of the value.
class FormatChecker {
 public:
  std::string check(const json& accounts) {
    if (!accounts.is_object()) {
      return "the top level must be an object with an \"identities\" array, not " +
             accounts.dump() + ".";
    }
    const json* identities = require(accounts, "identities", "", json::value_t::array);
    if (identities != nullptr && identities->empty()) {
      fail("identities must contain at least one identity, because sign-in uses the first.");
    }
    for (size_t i = 0; identities != nullptr && i < identities->size() && ok(); ++i) {
      check_identity((*identities)[i], "identities[" + std::to_string(i) + "]");
    }
    return problem_;
  }

 private:
  bool ok() const { return problem_.empty(); }

  void fail(std::string problem) {
    if (ok()) {
      problem_ = std::move(problem);
    }
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  static const char* type_name(json::value_t type) {
    switch (type) {
      case json::value_t::array:
        return "an array";
      case json::value_t::object:
        return "an object";
      case json::value_t::string:
        return "a string";
      case json::value_t::boolean:
        return "a boolean";
      default:
        return "an integer";
    }
  }

  static bool has_type(const json& value, json::value_t type) {
    if (type == json::value_t::number_integer) {
      return value.is_number_integer();
    }
    return value.type() == type;
  }

  // Returns the member `key` of `object` when it exists and has `type`; records why otherwise.
  const json* require(const json& object, const std::string& key, const std::string& path,
                      json::value_t type) {
    auto member = object.find(key);
    if (member == object.end()) {
      fail(join(path, key) + " is missing.");
      return nullptr;
    }
    return expect(*member, join(path, key), type);
  }

  // Like require, but a missing member is fine and gives nullptr without a problem.
  const json* optional(const json& object, const std::string& key, const std::string& path,
                       json::value_t type) {
    auto member = object.find(key);
    return member == object.end() ? nullptr : expect(*member, join(path, key), type);
  }

  const json* expect(const json& value, const std::string& path, json::value_t type) {
    if (!has_type(value, type)) {
      fail(path + " must be " + type_name(type) + ", not " + value.dump() + ".");
      return nullptr;
    }
    return &value;
  }

  void require_text(const json& object, const std::string& key, const std::string& path) {
    const json* text = require(object, key, path, json::value_t::string);
    if (text != nullptr && text->get_ref<const std::string&>().empty()) {
      fail(join(path, key) + " must not be empty.");
    }
  }

  void expect_unique(std::set<std::string>& seen, const std::string& value, const std::string& what,
                     const std::string& path) {
    if (!seen.insert(value).second) {
      fail(path + " repeats " + what + " " + value + ", which must be unique in the file.");
    }
  }

  void check_identity(const json& identity, const std::string& path) {
    if (expect(identity, path, json::value_t::object) == nullptr) {
      return;
    }
    require_text(identity, "email", path);
    const json* organizations = require(identity, "organizations", path, json::value_t::array);
    std::set<std::string> organization_ids;
    for (size_t i = 0; organizations != nullptr && i < organizations->size() && ok(); ++i) {
      std::string organization_path = join(path, "organizations[" + std::to_string(i) + "]");
      check_organization((*organizations)[i], organization_path);
      if (ok()) {
        expect_unique(organization_ids, (*organizations)[i]["organization_id"].dump(),
                      "organization_id", organization_path + ".organization_id");
      }
    }
  }

  void check_organization(const json& organization, const std::string& path) {
    if (expect(organization, path, json::value_t::object) == nullptr) {
      return;
    }
    require_text(organization, "organization_id", path);
    require(organization, "organization_name", path, json::value_t::string);
    const json* account_id =
        require(organization, "account_id", path, json::value_t::number_integer);
    if (account_id != nullptr) {
      expect_unique(account_ids_, account_id->dump(), "account_id", join(path, "account_id"));
    }
    optional(organization, "llm_gateway", path, json::value_t::boolean);
    const json* projects = optional(organization, "projects", path, json::value_t::array);
    std::set<std::string> project_ids;
    for (size_t i = 0; projects != nullptr && i < projects->size() && ok(); ++i) {
      check_project_entry((*projects)[i], join(path, "projects[" + std::to_string(i) + "]"),
                          project_ids);
    }
  }

  void check_project_entry(const json& entry, const std::string& path,
                           std::set<std::string>& project_ids) {
    if (expect(entry, path, json::value_t::object) == nullptr) {
      return;
    }
    auto project = entry.find("project");
    if (project != entry.end() && !project->is_null()) {
      std::string project_path = join(path, "project");
      if (expect(*project, project_path, json::value_t::object) == nullptr) {
        return;
      }
      const json* id = require(*project, "id", project_path, json::value_t::number_integer);
      require(*project, "name", project_path, json::value_t::string);
      if (id != nullptr) {
        expect_unique(project_ids, id->dump(), "project id", join(project_path, "id"));
      }
    }
    const json* tokens = optional(entry, "tokens", path, json::value_t::array);
    for (size_t i = 0; tokens != nullptr && i < tokens->size() && ok(); ++i) {
      check_token((*tokens)[i], join(path, "tokens[" + std::to_string(i) + "]"));
    }
  }

  void check_token(const json& token, const std::string& path) {
    if (expect(token, path, json::value_t::object) == nullptr) {
      return;
    }
    const json* id = require(token, "id", path, json::value_t::number_integer);
    if (id != nullptr) {
      expect_unique(token_ids_, id->dump(), "token id", join(path, "id"));
    }
    const json* name = optional(token, "name", path, json::value_t::string);
    const json* token_name = optional(token, "token_name", path, json::value_t::string);
    if (ok() && name == nullptr && token_name == nullptr) {
      fail(path + " must have a \"name\" or a \"token_name\".");
    }
    optional(token, "is_disabled", path, json::value_t::boolean);
    if (token.contains("api_key")) {
      require_text(token, "api_key", path);
    }
    if (ok() && token.contains("api_key")) {
      // The key itself is a secret, so the message names only where it repeats.
      if (!api_keys_.insert(token["api_key"].get<std::string>()).second) {
        fail(join(path, "api_key") + " repeats the api_key of another token; keys must be unique.");
      }
    }
  }

  std::string problem_;
  std::set<std::string> account_ids_;
  std::set<std::string> token_ids_;
  std::set<std::string> api_keys_;
};

std::string quoted(const std::filesystem::path& file) {
  return "\"" + file.string() + "\"";
}

// nlohmann::json prefixes its messages with an id such as "[json.exception.parse_error.101] ",
// which means nothing to someone fixing a file.
std::string without_exception_id(const std::string& message) {
  if (message.rfind("[json.exception.", 0) == 0) {
    size_t end = message.find("] ");
    if (end != std::string::npos) {
      return message.substr(end + 2);
    }
  }
  return message;
}

}  // namespace

json default_accounts() {
  return {{"identities",
           {{{"email", "you@example.com"},
             {"organizations",
              {{{"organization_id", "org-local"},
                {"organization_name", "Local organization"},
                {"account_id", 1001},
                {"llm_gateway", true},
                {"projects",
                 {{{"project", {{"id", 1}, {"name", "Default project"}}},
                   {"tokens", json::array()}}}}}}}}}}};
}

std::string accounts_format_error(const json& accounts) {
  return FormatChecker().check(accounts);
}

json parse_accounts(const std::string& text, const std::filesystem::path& file) {
  json accounts;
  try {
    accounts = json::parse(text);
  } catch (const json::parse_error& error) {
    throw AccountsFileError("The accounts file " + quoted(file) +
                            " is not valid JSON: " + without_exception_id(error.what()) + ".");
  }
  std::string problem = accounts_format_error(accounts);
  if (!problem.empty()) {
    throw AccountsFileError("The accounts file " + quoted(file) + " is not valid: " + problem);
  }
  return accounts;
}

json read_accounts_file(const std::filesystem::path& file) {
  std::error_code ignored;
  if (std::filesystem::is_directory(file, ignored)) {
    throw AccountsFileError("Could not read the accounts file " + quoted(file) +
                            ": it is a folder, not a file.");
  }
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    throw AccountsFileError("Could not read the accounts file " + quoted(file) + ": " +
                            std::strerror(errno) + ".");
  }
  std::stringstream content;
  content << stream.rdbuf();
  if (stream.bad()) {
    throw AccountsFileError("Could not read the accounts file " + quoted(file) + ": " +
                            std::strerror(errno) + ".");
  }
  return parse_accounts(content.str(), file);
}

}  // namespace aai::local
