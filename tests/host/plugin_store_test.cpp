#include "plugin_store.hpp"

#include "installed_plugins.hpp"
#include "plugin_loader.hpp"
#include "plugin_store_commands.hpp"
#include "sha256.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <set>

#include <sys/stat.h>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::fixture;
using testing::TestApplication;

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

std::set<std::string> files_in(const fs::path& folder) {
  std::set<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    names.insert(it->path().filename().string());
  }
  return names;
}

// Runs `action` and returns the CliError it throws as "TYPE EXIT: MESSAGE | SUGGESTION".
template <typename Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const CliError& error) {
    return error.type() + " " + std::to_string(error.exit_code()) + ": " + error.what() + " | " +
           error.suggestion();
  }
  return "no error";
}

// An aai whose built-in folder, user folder and policy file lie in a temp folder. Plugins load
// from the built-in folder at start, as on a real machine, and the store works on the user
// folder.
class PluginStoreTest : public ::testing::Test {
 protected:
  PluginStoreTest()
      : builtin_(test_.dir().path() / "lib" / "aai" / "plugins"),
        user_(test_.dir().path() / "data" / "aai" / "plugins"),
        policy_file_(test_.dir().path() / "etc" / "plugins.ini") {
    testing::create_plugin_folder(builtin_);
    fs::create_directories(policy_file_.parent_path());
  }

  // Copies fixture plugins into the built-in folder, loads it and the user folder, and returns
  // the store's view of the result.
  PluginStoreContext start(const std::vector<std::string>& builtin_fixtures = {}) {
    for (const auto& name : builtin_fixtures) {
      testing::copy_plugin(fixture(name), builtin_ / name);
    }
    PluginLoadRules rules;
    rules.policy = read_plugin_policy(policy_file_);
    rules.builtin_folder = builtin_;
    rules.user_folder = user_;
    load_plugins(test_.app(), {builtin_, user_}, rules);
    return make_store_context(test_.app());
  }

  // Starts a second aai on the same folders, runs `words` and returns what it printed.
  std::string run_fresh(const std::vector<std::string>& words) {
    TestApplication fresh(words);
    PluginLoadRules rules;
    rules.policy = read_plugin_policy(policy_file_);
    rules.builtin_folder = builtin_;
    rules.user_folder = user_;
    load_plugins(fresh.app(), {builtin_, user_}, rules);
    int exit_code = fresh.run();
    EXPECT_EQ(exit_code, 0) << fresh.err();
    return fresh.out() + fresh.err();
  }

  TestApplication test_;
  fs::path builtin_;
  fs::path user_;
  fs::path policy_file_;
};

TEST_F(PluginStoreTest, InstallCopiesRecordsAndLoads) {
  PluginStoreContext context = start();
  std::string source = fixture("fixture_store_v1.so").string();

  InstallResult result = install_plugin(context, source, false);

  fs::path file = user_ / "fixture-store.so";
  EXPECT_EQ(result.file, file);
  EXPECT_EQ(result.plugin.name, "fixture-store");
  EXPECT_EQ(result.plugin.version, "1.0.0");
  EXPECT_EQ(result.plugin.sha256, sha256_file_hex(source));
  EXPECT_EQ(result.plugin.source, source);
  EXPECT_EQ(result.commands, std::vector<std::string>{"store-hello"});
  EXPECT_EQ(testing::read_text(file), testing::read_text(source));
  EXPECT_EQ(mode_of(file), 0644u);
  EXPECT_EQ(mode_of(user_), 0755u);
  EXPECT_EQ(mode_of(user_.parent_path()), 0700u);
  EXPECT_EQ(files_in(user_), (std::set<std::string>{"fixture-store.so", "installed.json"}));
  auto records = read_installed_plugins(user_);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sha256, result.plugin.sha256);
  EXPECT_EQ(records[0].source, source);
  EXPECT_EQ(run_fresh({"store-hello"}), "fixture-store 1.0.0\n");
}

TEST_F(PluginStoreTest, InstallKeepsModeOfExistingFolder) {
  fs::create_directories(user_);
  fs::permissions(user_, fs::perms::owner_all);
  PluginStoreContext context = start();

  install_plugin(context, fixture("fixture_store_v1.so").string(), false);

  EXPECT_EQ(mode_of(user_), 0700u);
}

TEST_F(PluginStoreTest, ReinstallNeedsForce) {
  PluginStoreContext context = start();
  std::string v1 = fixture("fixture_store_v1.so").string();
  std::string v2 = fixture("fixture_store_v2.so").string();
  install_plugin(context, v1, false);

  std::string rejected = error_of([&] { install_plugin(context, v2, false); });
  InstallResult replaced = install_plugin(context, v2, true);

  EXPECT_EQ(rejected,
            "already_installed 1: The plugin 'fixture-store' 1.0.0 is already installed, "
            "and " +
                v2 + " is version 2.0.0. | Run `aai plugins install --force " + v2 +
                "` to replace it with 2.0.0.");
  EXPECT_EQ(replaced.plugin.version, "2.0.0");
  auto records = read_installed_plugins(user_);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].version, "2.0.0");
  EXPECT_EQ(records[0].sha256, sha256_file_hex(v2));
  EXPECT_EQ(files_in(user_), (std::set<std::string>{"fixture-store.so", "installed.json"}));
  EXPECT_EQ(run_fresh({"store-hello"}), "fixture-store 2.0.0\n");
}

TEST_F(PluginStoreTest, ReinstallReplacesLoadedCopy) {
  std::string v1 = fixture("fixture_store_v1.so").string();
  std::string v2 = fixture("fixture_store_v2.so").string();
  install_plugin(start(), v1, false);
  // A second start loads the installed v1, whose commands the replacement may take over.
  TestApplication second;
  PluginLoadRules rules;
  rules.builtin_folder = builtin_;
  rules.user_folder = user_;
  load_plugins(second.app(), {builtin_, user_}, rules);
  ASSERT_EQ(second.app().catalog().loaded.size(), 1u);

  InstallResult replaced = install_plugin(make_store_context(second.app()), v2, true);

  // The new file is not run here: this process already loaded the old one from the same path,
  // and dlopen would return that one again.
  EXPECT_EQ(replaced.plugin.version, "2.0.0");
  EXPECT_EQ(replaced.commands, std::vector<std::string>{"store-hello"});
  EXPECT_EQ(testing::read_text(user_ / "fixture-store.so"), testing::read_text(v2));
}

TEST_F(PluginStoreTest, RejectsFileCopiedByHandWithoutForce) {
  testing::create_plugin_folder(user_);
  testing::copy_plugin(fixture("fixture_store_v1.so"), user_ / "fixture-store.so");
  PluginStoreContext context = start();
  std::string v2 = fixture("fixture_store_v2.so").string();

  std::string rejected = error_of([&] { install_plugin(context, v2, false); });

  EXPECT_EQ(rejected, "already_installed 1: " + (user_ / "fixture-store.so").string() +
                          " already exists without an install record, and " + v2 +
                          " is fixture-store version 2.0.0. | Run `aai plugins install --force " +
                          v2 + "` to replace it with 2.0.0.");
}

TEST_F(PluginStoreTest, RejectsBadFiles) {
  PluginStoreContext context = start();
  fs::path junk = test_.dir().path() / "junk.so";
  testing::write_text(junk, "not a library");
  std::string folder = test_.dir().path().string();
  std::string no_manifest = fixture("fixture_older_patch.so").string();
  std::string bad_manifest = fixture("fixture_bad_manifest.so").string();
  std::string newer = fixture("fixture_store_newer_abi.so").string();
  std::string major = fixture("fixture_store_other_major.so").string();
  std::string elf_hint = " | Pass the .so file that the plugin's build wrote.";

  EXPECT_EQ(error_of([&] { install_plugin(context, "", false); }),
            "usage_error 2: The plugin path is empty. | Pass the plugin's .so file, such as `aai "
            "plugins install build/hello.so`.");
  EXPECT_EQ(error_of([&] { install_plugin(context, "missing.so", false); }),
            "file_not_found 2: Plugin file not found: missing.so. | Check the path; pass the .so "
            "file that the plugin's build wrote.");
  EXPECT_EQ(
      error_of([&] { install_plugin(context, folder, false); }),
      "invalid_plugin 2: Cannot install " + folder + ": it is not a regular file." + elf_hint);
  EXPECT_EQ(error_of([&] { install_plugin(context, junk.string(), false); }),
            "invalid_plugin 2: Cannot install " + junk.string() + ": not an ELF shared library." +
                elf_hint);
  EXPECT_EQ(error_of([&] { install_plugin(context, no_manifest, false); }),
            "invalid_plugin 2: Cannot install " + no_manifest +
                ": it has no manifest. | Add one with AAI_PLUGIN_MANIFEST (see "
                "docs/plugin-guide.md), or copy the file into " +
                user_.string() + " by hand, which loads it without the install checks.");
  EXPECT_EQ(error_of([&] { install_plugin(context, bad_manifest, false); }),
            "invalid_plugin 2: Cannot install " + bad_manifest +
                ": its manifest is invalid: it has no \"version\" member. | Fix the "
                "AAI_PLUGIN_MANIFEST text in the plugin's source and rebuild it.");
  EXPECT_EQ(
      error_of([&] { install_plugin(context, newer, false); }),
      "invalid_plugin 2: Cannot install " + newer +
          ": its manifest says it is built for plugin ABI 1.9, newer than this aai's ABI " +
          (std::to_string(AAI_ABI_VERSION_MAJOR) + "." + std::to_string(AAI_ABI_VERSION_MINOR)) +
          ". | Rebuild the plugin against this aai's SDK.");
  EXPECT_EQ(
      error_of([&] { install_plugin(context, major, false); }),
      "invalid_plugin 2: Cannot install " + major +
          ": its manifest says it is built for plugin ABI 2.0, but this aai supports ABI " +
          (std::to_string(AAI_ABI_VERSION_MAJOR) + "." + std::to_string(AAI_ABI_VERSION_MINOR)) +
          " and older 1.x only. | Rebuild the plugin against this aai's SDK.");
  EXPECT_FALSE(fs::exists(user_));
}

TEST_F(PluginStoreTest, RejectsPluginThePolicyDoesNotAllow) {
  testing::write_text(policy_file_,
                      "[policy]\nset_by = IT Operations <it@example.com>\nallow = transcribe\n");
  PluginStoreContext context = start();
  std::string source = fixture("fixture_store_v1.so").string();

  std::string rejected = error_of([&] { install_plugin(context, source, false); });

  EXPECT_EQ(rejected, "plugin_not_allowed 1: Cannot install " + source +
                          ": it is not allowed by the plugin policy in " + policy_file_.string() +
                          ", set by IT Operations <it@example.com>. | Ask IT Operations "
                          "<it@example.com> to add 'fixture-store' to allow, or " +
                          sha256_file_hex(source) + " to allow_sha256, in " +
                          policy_file_.string() + ".");
  EXPECT_FALSE(fs::exists(user_));
}

TEST_F(PluginStoreTest, InstallsPluginAllowedByDigest) {
  std::string source = fixture("fixture_store_v1.so").string();
  testing::write_text(policy_file_, "[policy]\nallow_sha256 = " + sha256_file_hex(source) + "\n");
  PluginStoreContext context = start();

  InstallResult result = install_plugin(context, source, false);

  EXPECT_EQ(result.plugin.name, "fixture-store");
  EXPECT_EQ(run_fresh({"store-hello"}), "fixture-store 1.0.0\n");
}

TEST_F(PluginStoreTest, RejectsWhilePolicyIsInvalid) {
  testing::write_text(policy_file_, "[policy]\nallow = Bad\n");
  PluginStoreContext context = start();
  std::string source = fixture("fixture_store_v1.so").string();

  std::string rejected = error_of([&] { install_plugin(context, source, false); });

  EXPECT_EQ(rejected, "plugin_not_allowed 1: Cannot install " + source + ": the plugin policy " +
                          policy_file_.string() +
                          " is invalid (line 2: invalid plugin name 'Bad' in allow: use "
                          "lower-case letters, digits and '-'), so only the plugins in " +
                          builtin_.string() + " load. | Ask the administrator to fix " +
                          policy_file_.string() + ".");
}

TEST_F(PluginStoreTest, RejectsNameLoadedFromAnotherFolder) {
  PluginStoreContext context = start({"fixture_good.so"});
  std::string source = fixture("fixture_store_impostor.so").string();

  std::string rejected = error_of([&] { install_plugin(context, source, true); });

  EXPECT_EQ(rejected, "plugin_conflict 1: Cannot install " + source +
                          ": a plugin named 'fixture-good' is already loaded from " +
                          (builtin_ / "fixture_good.so").string() +
                          ". | Give the plugin another name in its descriptor and manifest; an "
                          "installed plugin cannot replace one that aai loads from another file.");
}

TEST_F(PluginStoreTest, RejectsPluginLoadedFromPluginPath) {
  fs::path path_folder = test_.dir().path() / "build";
  testing::create_plugin_folder(path_folder);
  testing::copy_plugin(fixture("fixture_store_v1.so"), path_folder / "fixture_store_v1.so");
  PluginLoadRules rules;
  rules.builtin_folder = builtin_;
  rules.user_folder = user_;
  load_plugins(test_.app(), {builtin_, path_folder, user_}, rules);
  PluginStoreContext context = make_store_context(test_.app());
  std::string loaded = (path_folder / "fixture_store_v1.so").string();
  std::string other_copy = fixture("fixture_store_v2.so").string();

  std::string same_file = error_of([&] { install_plugin(context, loaded, false); });
  std::string same_name = error_of([&] { install_plugin(context, other_copy, false); });

  EXPECT_EQ(same_file, "plugin_conflict 1: Cannot install " + loaded +
                           ": a plugin named 'fixture-store' is already loaded from " + loaded +
                           ". | aai already loads this plugin from " + path_folder.string() +
                           ", which is on AAI_PLUGIN_PATH. Take that folder off AAI_PLUGIN_PATH, "
                           "then run `aai plugins install " +
                           loaded + "` again.");
  EXPECT_EQ(same_name, "plugin_conflict 1: Cannot install " + other_copy +
                           ": a plugin named 'fixture-store' is already loaded from " + loaded +
                           ". | aai already loads this plugin from " + path_folder.string() +
                           ", which is on AAI_PLUGIN_PATH. Take that folder off AAI_PLUGIN_PATH, "
                           "then run `aai plugins install " +
                           other_copy + "` again.");
  EXPECT_FALSE(fs::exists(user_));
}

TEST_F(PluginStoreTest, CollisionWithSameFileOnPluginPath) {
  PluginStoreContext context = start();
  fs::path path_folder = test_.dir().path() / "build";
  testing::create_plugin_folder(path_folder);
  std::string source = fixture("fixture_store_v1.so").string();
  fs::path same_bytes = path_folder / "renamed.so";
  testing::copy_plugin(source, same_bytes);
  std::string advice = ". | aai already loads this plugin from " + path_folder.string() +
                       ", which is on AAI_PLUGIN_PATH. Take that folder off AAI_PLUGIN_PATH, then "
                       "run `aai plugins install " +
                       source + "` again.";
  // No loaded plugin is named fixture-store, so each install passes the name check and reaches
  // the collision check.
  PluginStoreContext by_name = context;
  by_name.commands.push_back({"store-hello", "fixture-store", path_folder / "old-build.so"});
  PluginStoreContext by_digest = context;
  by_digest.commands.push_back({"store-hello", "renamed", same_bytes});
  PluginStoreContext by_other = context;
  by_other.commands.push_back({"store-hello", "unrelated", path_folder / "unrelated.so"});

  EXPECT_EQ(error_of([&] { install_plugin(by_name, source, false); }),
            "plugin_conflict 1: Cannot install " + source +
                ": its command 'store-hello' collides with `aai store-hello`, from the plugin "
                "'fixture-store' (" +
                (path_folder / "old-build.so").string() + ")" + advice);
  EXPECT_EQ(error_of([&] { install_plugin(by_digest, source, false); }),
            "plugin_conflict 1: Cannot install " + source +
                ": its command 'store-hello' collides with `aai store-hello`, from the plugin "
                "'renamed' (" +
                same_bytes.string() + ")" + advice);
  EXPECT_EQ(error_of([&] { install_plugin(by_other, source, false); }),
            "plugin_conflict 1: Cannot install " + source +
                ": its command 'store-hello' collides with `aai store-hello`, from the plugin "
                "'unrelated' (" +
                (path_folder / "unrelated.so").string() +
                "). | Rename the plugin's commands: an installed plugin cannot take over a "
                "command that aai already has.");
  EXPECT_FALSE(fs::exists(user_));
}

TEST_F(PluginStoreTest, RejectsCommandCollisions) {
  PluginStoreContext context = start({"fixture_good.so"});
  std::string builtin = fixture("fixture_store_builtin_collision.so").string();
  std::string group = fixture("fixture_store_group_collision.so").string();
  std::string good = (builtin_ / "fixture_good.so").string();
  std::string hint =
      " | Rename the plugin's commands: an installed plugin cannot take over a command that aai "
      "already has.";

  EXPECT_EQ(error_of([&] { install_plugin(context, builtin, true); }),
            "plugin_conflict 1: Cannot install " + builtin +
                ": its command 'plugins list' collides with `aai plugins list`, built into aai." +
                hint);
  EXPECT_EQ(error_of([&] { install_plugin(context, group, true); }),
            "plugin_conflict 1: Cannot install " + group +
                ": its command 'things' collides with `aai things list`, from the plugin "
                "'fixture-good' (" +
                good +
                "); its command 'things' collides with `aai things add`, from the plugin "
                "'fixture-good' (" +
                good + ")." + hint);
  EXPECT_FALSE(fs::exists(user_));
}

TEST_F(PluginStoreTest, RejectsUndeclaredCollisionFoundByLoading) {
  PluginStoreContext context = start({"fixture_good.so"});
  std::string source = fixture("fixture_store_undeclared.so").string();

  std::string rejected = error_of([&] { install_plugin(context, source, false); });

  EXPECT_EQ(rejected, "plugin_conflict 1: Cannot install " + source +
                          ": its command 'greet' collides with `aai greet`, from the plugin "
                          "'fixture-good' (" +
                          (builtin_ / "fixture_good.so").string() +
                          "). | Rename the plugin's commands: an installed plugin cannot take "
                          "over a command that aai already has.");
  EXPECT_TRUE(files_in(user_).empty());
}

TEST_F(PluginStoreTest, RejectsManifestNameOtherThanDescriptor) {
  PluginStoreContext context = start();
  std::string source = fixture("fixture_store_impostor.so").string();

  std::string rejected = error_of([&] { install_plugin(context, source, false); });

  EXPECT_EQ(rejected, "invalid_plugin 2: Cannot install " + source +
                          ": its manifest names it 'fixture-good', but its descriptor "
                          "'fixture-impostor'. | Use the same name in AAI_PLUGIN_MANIFEST and in "
                          "the descriptor.");
  EXPECT_TRUE(files_in(user_).empty());
}

TEST_F(PluginStoreTest, FailedLoadLeavesOldVersion) {
  PluginStoreContext context = start();
  std::string v1 = fixture("fixture_store_v1.so").string();
  std::string v2 = fixture("fixture_store_v2.so").string();
  install_plugin(context, v1, false);
  std::string record = testing::read_text(installed_plugins_path(user_));
  context.trial_load = [](const fs::path&) {
    TrialLoad trial;
    trial.reason = "register_plugin failed (status 1): boom";
    return trial;
  };

  std::string rejected = error_of([&] { install_plugin(context, v2, true); });

  EXPECT_EQ(rejected, "invalid_plugin 2: Cannot install " + v2 +
                          ": it does not load: register_plugin failed (status 1): boom. | Fix the "
                          "plugin and build it again; `aai plugins list` shows the same reason "
                          "for a file copied into a plugin folder by hand.");
  EXPECT_EQ(files_in(user_), (std::set<std::string>{"fixture-store.so", "installed.json"}));
  EXPECT_EQ(testing::read_text(installed_plugins_path(user_)), record);
  EXPECT_EQ(testing::read_text(user_ / "fixture-store.so"), testing::read_text(v1));
}

TEST_F(PluginStoreTest, RemoveDeletesFileAndRecord) {
  PluginStoreContext context = start();
  install_plugin(context, fixture("fixture_store_v1.so").string(), false);

  InstalledPlugin removed = remove_plugin(context, "fixture-store");

  EXPECT_EQ(removed.name, "fixture-store");
  EXPECT_EQ(removed.version, "1.0.0");
  EXPECT_EQ(files_in(user_), std::set<std::string>{"installed.json"});
  EXPECT_TRUE(read_installed_plugins(user_).empty());
}

TEST_F(PluginStoreTest, RemoveDropsRecordOfMissingFile) {
  PluginStoreContext context = start();
  install_plugin(context, fixture("fixture_store_v1.so").string(), false);
  fs::remove(user_ / "fixture-store.so");

  remove_plugin(context, "fixture-store");

  EXPECT_TRUE(read_installed_plugins(user_).empty());
}

TEST_F(PluginStoreTest, RemoveRejectsOtherPlugins) {
  testing::create_plugin_folder(user_);
  testing::copy_plugin(fixture("fixture_store_v1.so"), user_ / "by-hand.so");
  PluginStoreContext context = start({"fixture_good.so"});
  install_plugin(context, fixture("fixture_store_other.so").string(), false);
  std::string good = (builtin_ / "fixture_good.so").string();
  std::string by_hand = (user_ / "by-hand.so").string();

  EXPECT_EQ(error_of([&] { remove_plugin(context, "fixture-good"); }),
            "not_installed 2: The plugin 'fixture-good' is loaded from " + good +
                ", which `aai plugins install` did not write; only plugins installed with `aai "
                "plugins install` can be removed. | It comes with aai; an administrator can keep "
                "it from loading with the plugin policy (see docs/plugins.md).");
  EXPECT_EQ(error_of([&] { remove_plugin(context, "fixture-store"); }),
            "not_installed 2: The plugin 'fixture-store' is loaded from " + by_hand +
                ", which `aai plugins install` did not write; only plugins installed with `aai "
                "plugins install` can be removed. | It was copied there by hand; delete the file "
                "to remove it.");
  EXPECT_EQ(error_of([&] { remove_plugin(context, "nothing"); }),
            "usage_error 2: Unknown plugin 'nothing'. | Installed plugins: fixture-other.");
  EXPECT_TRUE(fs::exists(user_ / "by-hand.so"));
}

TEST_F(PluginStoreTest, RemoveUnknownWithNothingInstalled) {
  PluginStoreContext context = start();

  EXPECT_EQ(error_of([&] { remove_plugin(context, "hello"); }),
            "usage_error 2: Unknown plugin 'hello'. | No plugins are installed with `aai "
            "plugins install`.");
}

TEST_F(PluginStoreTest, RemoveNamesPluginPathFolder) {
  PluginStoreContext context = start();
  LoadedPlugin elsewhere;
  elsewhere.name = "hello";
  elsewhere.file = "/opt/plugins/hello.so";
  context.loaded.push_back(elsewhere);

  EXPECT_EQ(error_of([&] { remove_plugin(context, "hello"); }),
            "not_installed 2: The plugin 'hello' is loaded from /opt/plugins/hello.so, which "
            "`aai plugins install` did not write; only plugins installed with `aai plugins "
            "install` can be removed. | Its folder is on AAI_PLUGIN_PATH; delete the file or take "
            "the folder off AAI_PLUGIN_PATH.");
}

TEST_F(PluginStoreTest, VerifyReportsEachState) {
  PluginStoreContext context = start();
  std::string v1 = fixture("fixture_store_v1.so").string();
  install_plugin(context, v1, false);
  std::vector<InstalledPlugin> records = read_installed_plugins(user_);
  records.push_back({"gone", "1.0.0", std::string(64, 'a'), "/src/gone.so"});
  records.push_back({"tampered", "1.0.0", std::string(64, 'b'), "/src/tampered.so"});
  records.push_back({"unreadable", "1.0.0", std::string(64, 'c'), "/src/unreadable.so"});
  write_installed_plugins(user_, records);
  testing::write_text(user_ / "tampered.so", "changed");
  fs::create_directories(user_ / "unreadable.so");

  std::vector<VerifiedPlugin> results = verify_plugins(user_);

  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].plugin.name, "fixture-store");
  EXPECT_EQ(results[0].status, VerifiedPlugin::Status::ok);
  EXPECT_EQ(results[0].sha256, sha256_file_hex(v1));
  EXPECT_EQ(results[1].plugin.name, "gone");
  EXPECT_EQ(results[1].status, VerifiedPlugin::Status::missing);
  EXPECT_EQ(results[1].sha256, "");
  EXPECT_EQ(results[2].plugin.name, "tampered");
  EXPECT_EQ(results[2].status, VerifiedPlugin::Status::changed);
  EXPECT_EQ(results[2].sha256, sha256_hex("changed"));
  EXPECT_EQ(results[3].status, VerifiedPlugin::Status::unreadable);
  EXPECT_EQ(results[3].problem, "could not read it: Is a directory");
  EXPECT_EQ(results[3].file, user_ / "unreadable.so");
  EXPECT_STREQ(status_name(VerifiedPlugin::Status::changed), "changed");
}

TEST_F(PluginStoreTest, VerifyWithoutRecordIsEmpty) {
  EXPECT_TRUE(verify_plugins(user_).empty());
}

TEST_F(PluginStoreTest, InvalidRecordStopsEveryCommand) {
  testing::create_plugin_folder(user_);
  testing::write_text(installed_plugins_path(user_), "[]");
  PluginStoreContext context = start();
  std::string expected = "invalid_install_record 2: The install record " +
                         installed_plugins_path(user_).string() +
                         " is invalid: it must be a JSON object. | Fix the file, or delete it and "
                         "install the plugins again.";

  EXPECT_EQ(
      error_of([&] { install_plugin(context, fixture("fixture_store_v1.so").string(), false); }),
      expected);
  EXPECT_EQ(error_of([&] { remove_plugin(context, "fixture-store"); }), expected);
  EXPECT_EQ(error_of([&] { verify_plugins(user_); }), expected);
  EXPECT_EQ(files_in(user_), std::set<std::string>{"installed.json"});
}

}  // namespace
}  // namespace aai::host
