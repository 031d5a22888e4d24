#include "server/accounts_file.hpp"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

namespace aai::local {
namespace {

using nlohmann::json;

json valid_accounts() {
  return json::parse(R"({"identities": [
    {"email": "ada@example.com",
     "organizations": [
       {"organization_id": "org-1", "organization_name": "Ada's team", "account_id": 101,
        "llm_gateway": true,
        "projects": [
          {"project": {"id": 7, "name": "Default"},
           "tokens": [{"id": 1, "name": "AssemblyAI CLI", "is_disabled": false,
                       "api_key": "key-abc"},
                      {"id": 2, "token_name": "Other"}]},
          {"project": null, "tokens": []}]}]},
    {"email": "bob@example.com", "organizations": []}]})");
}

std::string format_error_after(const std::function<void(json&)>& change) {
  json accounts = valid_accounts();
  change(accounts);
  return accounts_format_error(accounts);
}

std::string parse_error(const std::string& text) {
  try {
    parse_accounts(text, "/data/accounts.json");
  } catch (const AccountsFileError& error) {
    return error.what();
  }
  return "no error";
}

TEST(AccountsFileTest, AcceptsDocumentedFormat) {
  EXPECT_EQ(accounts_format_error(valid_accounts()), "");
}

TEST(AccountsFileTest, AcceptsBuiltInDefault) {
  json accounts = default_accounts();

  EXPECT_EQ(accounts_format_error(accounts), "");
  const json& organization = accounts["identities"][0]["organizations"][0];
  EXPECT_EQ(accounts["identities"][0]["email"], "you@example.com");
  EXPECT_EQ(organization["organization_id"], "org-local");
  EXPECT_EQ(organization["organization_name"], "Local organization");
  EXPECT_EQ(organization["account_id"], 1001);
  EXPECT_EQ(organization["projects"][0]["project"], json({{"id", 1}, {"name", "Default project"}}));
  EXPECT_EQ(organization["projects"][0]["tokens"], json::array());
}

TEST(AccountsFileTest, RejectsNonObjectTopLevel) {
  EXPECT_EQ(accounts_format_error(json::array()),
            "the top level must be an object with an \"identities\" array, not [].");
}

TEST(AccountsFileTest, RejectsMissingIdentities) {
  EXPECT_EQ(accounts_format_error(json::object()), "identities is missing.");
}

TEST(AccountsFileTest, RejectsEmptyIdentities) {
  EXPECT_EQ(accounts_format_error({{"identities", json::array()}}),
            "identities must contain at least one identity, because sign-in uses the first.");
}

TEST(AccountsFileTest, NamesPathOfBadValue) {
  EXPECT_EQ(format_error_after([](json& a) { a["identities"][0].erase("email"); }),
            "identities[0].email is missing.");
  EXPECT_EQ(format_error_after([](json& a) { a["identities"][1]["email"] = ""; }),
            "identities[1].email must not be empty.");
  EXPECT_EQ(format_error_after([](json& a) { a["identities"][1]["organizations"] = nullptr; }),
            "identities[1].organizations must be an array, not null.");
  EXPECT_EQ(format_error_after(
                [](json& a) { a["identities"][0]["organizations"][0]["account_id"] = "101"; }),
            "identities[0].organizations[0].account_id must be an integer, not \"101\".");
  EXPECT_EQ(format_error_after(
                [](json& a) { a["identities"][0]["organizations"][0]["account_id"] = 1.5; }),
            "identities[0].organizations[0].account_id must be an integer, not 1.5.");
  EXPECT_EQ(format_error_after(
                [](json& a) { a["identities"][0]["organizations"][0]["llm_gateway"] = "yes"; }),
            "identities[0].organizations[0].llm_gateway must be a boolean, not \"yes\".");
  EXPECT_EQ(format_error_after([](json& a) {
              a["identities"][0]["organizations"][0]["projects"][1]["project"] = 7;
            }),
            "identities[0].organizations[0].projects[1].project must be an object, not 7.");
  EXPECT_EQ(format_error_after([](json& a) {
              a["identities"][0]["organizations"][0]["projects"][0]["project"].erase("name");
            }),
            "identities[0].organizations[0].projects[0].project.name is missing.");
}

TEST(AccountsFileTest, RejectsBadTokens) {
  auto token_error = [](const std::function<void(json&)>& change) {
    return format_error_after([&change](json& a) {
      change(a["identities"][0]["organizations"][0]["projects"][0]["tokens"][1]);
    });
  };
  const std::string path = "identities[0].organizations[0].projects[0].tokens[1]";

  EXPECT_EQ(token_error([](json& t) { t.erase("token_name"); }),
            path + " must have a \"name\" or a \"token_name\".");
  EXPECT_EQ(token_error([](json& t) { t["id"] = "2"; }),
            path + ".id must be an integer, not \"2\".");
  EXPECT_EQ(token_error([](json& t) { t["is_disabled"] = 0; }),
            path + ".is_disabled must be a boolean, not 0.");
  EXPECT_EQ(token_error([](json& t) { t["api_key"] = ""; }), path + ".api_key must not be empty.");
  EXPECT_EQ(token_error([](json& t) { t["api_key"] = 5; }),
            path + ".api_key must be a string, not 5.");
}

TEST(AccountsFileTest, RejectsRepeatedIds) {
  EXPECT_EQ(format_error_after([](json& a) {
              a["identities"][0]["organizations"][0]["projects"][0]["tokens"][1]["id"] = 1;
            }),
            "identities[0].organizations[0].projects[0].tokens[1].id repeats token id 1, which "
            "must be unique in the file.");
  EXPECT_EQ(format_error_after([](json& a) {
              a["identities"][1]["organizations"].push_back(
                  {{"organization_id", "org-2"}, {"organization_name", "B"}, {"account_id", 101}});
            }),
            "identities[1].organizations[0].account_id repeats account_id 101, which must be "
            "unique in the file.");
  EXPECT_EQ(format_error_after([](json& a) {
              json copy = a["identities"][0]["organizations"][0];
              copy["account_id"] = 102;
              copy.erase("projects");
              a["identities"][0]["organizations"].push_back(copy);
            }),
            "identities[0].organizations[1].organization_id repeats organization_id \"org-1\", "
            "which must be unique in the file.");
}

TEST(AccountsFileTest, RejectsRepeatedKeyWithoutPrintingIt) {
  std::string problem = format_error_after([](json& a) {
    a["identities"][0]["organizations"][0]["projects"][0]["tokens"][1]["api_key"] = "key-abc";
  });

  EXPECT_EQ(problem,
            "identities[0].organizations[0].projects[0].tokens[1].api_key repeats the api_key of "
            "another token; keys must be unique.");
}

TEST(AccountsFileTest, ParseNamesFileAndJsonProblem) {
  EXPECT_EQ(parse_error("{\"identities\": [}"),
            "The accounts file \"/data/accounts.json\" is not valid JSON: parse error at line 1, "
            "column 17: syntax error while parsing value - unexpected '}'; expected '[', '{', or "
            "a literal.");
  EXPECT_EQ(parse_error("{\"identities\": 3}"),
            "The accounts file \"/data/accounts.json\" is not valid: identities must be an "
            "array, not 3.");
}

TEST(AccountsFileTest, ReadNamesMissingFile) {
  try {
    read_accounts_file("/nonexistent/accounts.json");
    FAIL() << "expected AccountsFileError";
  } catch (const AccountsFileError& error) {
    EXPECT_STREQ(error.what(),
                 "Could not read the accounts file \"/nonexistent/accounts.json\": No such file "
                 "or directory.");
  }
}

TEST(AccountsFileTest, ReadRejectsFolder) {
  try {
    read_accounts_file("/tmp");
    FAIL() << "expected AccountsFileError";
  } catch (const AccountsFileError& error) {
    EXPECT_STREQ(error.what(),
                 "Could not read the accounts file \"/tmp\": it is a folder, not a file.");
  }
}

TEST(AccountsFileTest, ReadsFile) {
  auto file = std::filesystem::temp_directory_path() /
              ("aai-accounts-test-" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << valid_accounts().dump();

  json accounts = read_accounts_file(file);

  std::filesystem::remove(file);
  EXPECT_EQ(accounts, valid_accounts());
}

}  // namespace
}  // namespace aai::local
