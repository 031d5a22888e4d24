#include "server/account_store.hpp"

#include <unistd.h>

#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "server/accounts_file.hpp"
#include "server/api_keys.hpp"

namespace aai::local {
namespace {

using nlohmann::json;

json seeded_accounts() {
  return json::parse(R"({"identities": [
    {"email": "ada@example.com",
     "organizations": [
       {"organization_id": "org-1", "organization_name": "Ada's team", "account_id": 101,
        "llm_gateway": true,
        "projects": [
          {"project": null, "tokens": []},
          {"project": {"id": 7, "name": "Default"},
           "tokens": [{"id": 1, "name": "AssemblyAI CLI", "is_disabled": false,
                       "api_key": "key-abc"},
                      {"id": 2, "token_name": "Old", "is_disabled": true, "api_key": "key-old"},
                      {"id": 3, "token_name": "Hidden"}]}]},
       {"organization_id": "org-2", "organization_name": "Side project", "account_id": 202}]}]})");
}

class AccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ = std::filesystem::temp_directory_path() /
                ("aai-account-store-" + std::to_string(getpid()) + "-" + info->name());
    std::filesystem::remove_all(data_dir_);
  }

  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  std::filesystem::path data_dir_;
};

TEST_F(AccountStoreTest, UsesDefaultWithoutSeedOrFile) {
  AccountStore store(data_dir_, std::nullopt);

  EXPECT_EQ(store.first_identity_email(), "you@example.com");
  auto organizations = store.organizations("you@example.com");
  ASSERT_EQ(organizations.size(), 1u);
  EXPECT_EQ(organizations[0].organization_id, "org-local");
  EXPECT_EQ(organizations[0].organization_name, "Local organization");
  EXPECT_EQ(organizations[0].account_id, 1001);
  EXPECT_EQ(store.projects(1001),
            json::parse(R"([{"project": {"id": 1, "name": "Default project"}, "tokens": []}])"));
}

TEST_F(AccountStoreTest, ListsOrganizationsOfIdentity) {
  AccountStore store(data_dir_, seeded_accounts());

  auto organizations = store.organizations("ada@example.com");

  ASSERT_EQ(organizations.size(), 2u);
  EXPECT_EQ(organizations[1].organization_id, "org-2");
  EXPECT_EQ(organizations[1].account_id, 202);
  EXPECT_TRUE(store.organizations("nobody@example.com").empty());
}

TEST_F(AccountStoreTest, ReturnsProjectsAsSeeded) {
  AccountStore store(data_dir_, seeded_accounts());

  EXPECT_EQ(store.projects(101),
            seeded_accounts()["identities"][0]["organizations"][0]["projects"]);
  EXPECT_EQ(store.projects(202), json::array());
  EXPECT_FALSE(store.projects(999).has_value());
}

TEST_F(AccountStoreTest, FindsOwnerOfEnabledKeysOnly) {
  AccountStore store(data_dir_, seeded_accounts());

  auto owner = store.find_key_owner("key-abc");
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->account_id, 101);
  EXPECT_EQ(owner->organization_id, "org-1");
  EXPECT_EQ(owner->email, "ada@example.com");
  EXPECT_TRUE(owner->llm_gateway);
  EXPECT_FALSE(store.find_key_owner("key-old").has_value());
  EXPECT_FALSE(store.find_key_owner("").has_value());
  EXPECT_FALSE(store.find_key_owner("key-ab").has_value());
}

TEST_F(AccountStoreTest, MintsKeyIntoProject) {
  AccountStore store(data_dir_, seeded_accounts());

  auto token = store.mint_token(101, 7, "AssemblyAI CLI");

  ASSERT_TRUE(token.has_value());
  EXPECT_EQ((*token)["id"], 4);
  EXPECT_EQ((*token)["token_name"], "AssemblyAI CLI");
  EXPECT_EQ((*token)["is_disabled"], false);
  std::string key = (*token)["api_key"];
  EXPECT_TRUE(std::regex_match(key, std::regex("local-[0-9a-f]{32}"))) << key;
  EXPECT_EQ(store.projects(101).value()[1]["tokens"].back(), *token);
  auto owner = store.find_key_owner(key);
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->account_id, 101);
}

TEST_F(AccountStoreTest, MintsDifferentKeysEachTime) {
  AccountStore store(data_dir_, std::nullopt);

  auto first = store.mint_token(1001, 1, "AssemblyAI CLI");
  auto second = store.mint_token(1001, 1, "AssemblyAI CLI");

  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ((*first)["id"], 1);
  EXPECT_EQ((*second)["id"], 2);
  EXPECT_NE((*first)["api_key"], (*second)["api_key"]);
}

TEST_F(AccountStoreTest, DefaultAccountHasLlmGateway) {
  AccountStore store(data_dir_, std::nullopt);
  std::string key = store.mint_token(1001, 1, "AssemblyAI CLI").value()["api_key"];

  EXPECT_TRUE(store.find_key_owner(key).value().llm_gateway);
}

TEST_F(AccountStoreTest, MintRejectsProjectOutsideAccount) {
  AccountStore store(data_dir_, seeded_accounts());

  EXPECT_FALSE(store.mint_token(101, 8, "x").has_value());
  EXPECT_FALSE(store.mint_token(202, 7, "x").has_value());
  EXPECT_FALSE(store.mint_token(999, 7, "x").has_value());
  EXPECT_FALSE(std::filesystem::exists(data_dir_ / "accounts.json.tmp"));
}

TEST_F(AccountStoreTest, KeepsMintedKeysAfterRestart) {
  std::string key;
  {
    AccountStore store(data_dir_, std::nullopt);
    key = store.mint_token(1001, 1, "AssemblyAI CLI").value()["api_key"];
  }

  AccountStore restarted(data_dir_, std::nullopt);

  EXPECT_TRUE(restarted.find_key_owner(key).has_value());
  EXPECT_EQ(restarted.projects(1001).value()[0]["tokens"].size(), 1u);
}

TEST_F(AccountStoreTest, SeedReplacesSavedAccounts) {
  std::string key;
  {
    AccountStore store(data_dir_, std::nullopt);
    key = store.mint_token(1001, 1, "AssemblyAI CLI").value()["api_key"];
  }

  AccountStore seeded(data_dir_, seeded_accounts());
  AccountStore restarted(data_dir_, std::nullopt);

  EXPECT_FALSE(seeded.find_key_owner(key).has_value());
  EXPECT_FALSE(restarted.projects(1001).has_value());
  EXPECT_TRUE(restarted.find_key_owner("key-abc").has_value());
  EXPECT_EQ(read_accounts_file(data_dir_ / "accounts.json"), seeded_accounts());
}

TEST_F(AccountStoreTest, SavedFileIsPrivate) {
  AccountStore store(data_dir_, seeded_accounts());

  auto permissions = std::filesystem::status(store.file()).permissions();

  EXPECT_EQ(permissions & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}

TEST_F(AccountStoreTest, RejectsDamagedSavedFile) {
  std::filesystem::create_directories(data_dir_);
  std::ofstream(data_dir_ / "accounts.json") << "{\"identities\": []}";

  try {
    AccountStore store(data_dir_, std::nullopt);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& error) {
    std::string file = (data_dir_ / "accounts.json").string();
    EXPECT_EQ(std::string(error.what()),
              "The accounts file \"" + file +
                  "\" is not valid: identities must contain at least one identity, because "
                  "sign-in uses the first. Delete it to start from the built-in accounts, or "
                  "start the emulator with --accounts FILE to replace it.");
  }
}

TEST_F(AccountStoreTest, OpenModeAcceptsAnyNonBlankKey) {
  AccountStore store(data_dir_, seeded_accounts());
  ApiKeys keys(store, std::nullopt, false);

  EXPECT_FALSE(keys.is_strict());
  EXPECT_TRUE(keys.accepts("anything"));
  EXPECT_TRUE(keys.accepts("key-old"));
  EXPECT_FALSE(keys.accepts(""));
  EXPECT_FALSE(keys.accepts(" \t"));
  EXPECT_EQ(keys.find_owner("key-abc").value().account_id, 101);
  EXPECT_FALSE(keys.find_owner("anything").has_value());
}

TEST_F(AccountStoreTest, StrictModeAcceptsAccountKeys) {
  AccountStore store(data_dir_, seeded_accounts());
  ApiKeys keys(store, std::nullopt, true);
  std::string minted = store.mint_token(101, 7, "AssemblyAI CLI").value()["api_key"];

  EXPECT_TRUE(keys.is_strict());
  EXPECT_TRUE(keys.accepts("key-abc"));
  EXPECT_TRUE(keys.accepts(minted));
  EXPECT_FALSE(keys.accepts("key-old"));
  EXPECT_FALSE(keys.accepts("anything"));
  EXPECT_FALSE(keys.accepts(""));
}

TEST_F(AccountStoreTest, ApiKeyOptionMakesModeStrict) {
  AccountStore store(data_dir_, seeded_accounts());
  ApiKeys keys(store, std::string("given-key"), false);

  EXPECT_TRUE(keys.is_strict());
  EXPECT_TRUE(keys.accepts("given-key"));
  EXPECT_TRUE(keys.accepts("key-abc"));
  EXPECT_FALSE(keys.accepts("other"));
  EXPECT_FALSE(keys.find_owner("given-key").has_value());
}

}  // namespace
}  // namespace aai::local
