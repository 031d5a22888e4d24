#include "environment_sources.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace env_registry {
namespace {

namespace fs = std::filesystem;

// Folders and files in memory. A folder listed in `unreadable_folders` fails to list; a file
// whose text is "UNREADABLE" fails to read.
class FakeEnvironmentFiles : public EnvironmentFiles {
 public:
  FolderListing list(const fs::path& folder) override {
    listed.push_back(folder);
    FolderListing listing;
    if (unreadable_folders.count(folder) != 0) {
      listing.error = "Permission denied";
      return listing;
    }
    for (const auto& [path, text] : files) {
      if (path.parent_path() == folder) {
        listing.files.push_back(path);
      }
    }
    return listing;
  }

  FileText read(const fs::path& file) override {
    const std::string& text = files.at(file);
    if (text == "UNREADABLE") {
      return {"", "Permission denied"};
    }
    return {text, ""};
  }

  // std::map keeps the paths sorted, as the real listing sorts names.
  std::map<fs::path, std::string> files;
  std::map<fs::path, bool> unreadable_folders;
  std::vector<fs::path> listed;
};

EnvironmentDefinition built_in(const std::string& name, const std::string& api_base) {
  return {name, name + " summary", {{"api_base", api_base}}, "built-in"};
}

EnvironmentSources sources() {
  EnvironmentSources result;
  result.built_in = {built_in("production", "https://api.assemblyai.com"),
                     built_in("sandbox000", "https://api.sandbox000.example")};
  result.system_folder = "/etc/aai/environments.d";
  result.user_folder = "/home/me/.config/aai/environments.d";
  return result;
}

std::optional<std::string> no_variables(const std::string&) {
  return std::nullopt;
}

const EnvironmentDefinition* find(const EnvironmentCatalog& catalog, const std::string& name) {
  for (const auto& environment : catalog.merged) {
    if (environment.name == name) {
      return &environment;
    }
  }
  return nullptr;
}

std::string api_base(const EnvironmentCatalog& catalog, const std::string& name) {
  const EnvironmentDefinition* environment = find(catalog, name);
  return environment != nullptr ? environment->fields.at(0).second : "";
}

TEST(EnvironmentSourcesTest, ComputesFolders) {
  EXPECT_EQ(system_environment_folder(nullptr), fs::path("/etc/aai/environments.d"));
  EXPECT_EQ(system_environment_folder(""), fs::path("/etc/aai/environments.d"));
  EXPECT_EQ(system_environment_folder("/tmp/etc"), fs::path("/tmp/etc/aai/environments.d"));
  EXPECT_EQ(user_environment_folder("/home/me/.config/aai/config.ini"),
            fs::path("/home/me/.config/aai/environments.d"));
}

TEST(EnvironmentSourcesTest, LaterSourcesOverrideEarlierOnes) {
  EnvironmentSources input = sources();
  const std::string compiled =
      "[acme]\napi_base = https://compiled.acme.example\n"
      "[production]\napi_base = https://compiled.production.example\n";
  input.compiled_in = {{"acme.ini", compiled}};
  FakeEnvironmentFiles files;
  files.files["/etc/aai/environments.d/10-acme.ini"] =
      "[acme]\napi_base = https://system.acme.example\nregion = eu\n";
  files.files["/etc/aai/environments.d/20-acme.ini"] =
      "[acme]\napi_base = https://system-later.acme.example\n"
      "[sandbox000]\napi_base = https://system.sandbox.example\n";
  files.files["/home/me/.config/aai/environments.d/acme.ini"] =
      "[acme]\napi_base = https://user.acme.example\n";

  EnvironmentCatalog catalog = load_environments(input, files, &no_variables);

  EXPECT_TRUE(catalog.warnings.empty());
  ASSERT_EQ(catalog.merged.size(), 3u);
  EXPECT_EQ(catalog.merged[0].name, "production");
  EXPECT_EQ(catalog.merged[1].name, "sandbox000");
  EXPECT_EQ(catalog.merged[2].name, "acme");
  EXPECT_EQ(api_base(catalog, "production"), "https://compiled.production.example");
  EXPECT_EQ(find(catalog, "production")->origin, "compiled in from acme.ini");
  EXPECT_EQ(api_base(catalog, "sandbox000"), "https://system.sandbox.example");
  EXPECT_EQ(find(catalog, "sandbox000")->origin, "/etc/aai/environments.d/20-acme.ini");
  EXPECT_EQ(api_base(catalog, "acme"), "https://user.acme.example");
  EXPECT_EQ(find(catalog, "acme")->origin, "/home/me/.config/aai/environments.d/acme.ini");
  EXPECT_EQ(catalog.all.size(), 8u);
}

TEST(EnvironmentSourcesTest, OverrideReplacesTheWholeEnvironment) {
  EnvironmentSources input = sources();
  FakeEnvironmentFiles files;
  files.files["/etc/aai/environments.d/acme.ini"] =
      "[acme]\nsummary = System\napi_base = https://system.acme.example\nregion = eu\n";
  files.files["/home/me/.config/aai/environments.d/acme.ini"] =
      "[acme]\napi_base = https://user.acme.example\n";

  EnvironmentCatalog catalog = load_environments(input, files, &no_variables);

  const EnvironmentDefinition* acme = find(catalog, "acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_EQ(acme->summary, "");
  EXPECT_EQ(acme->fields.size(), 1u);
}

TEST(EnvironmentSourcesTest, ListsEachReplacement) {
  EnvironmentSources input = sources();
  input.compiled_in = {{"acme.ini", "[production]\napi_base = https://p.example\n"}};
  FakeEnvironmentFiles files;
  files.files["/home/me/.config/aai/environments.d/mine.ini"] =
      "[production]\napi_base = https://mine.example\n";

  EnvironmentCatalog catalog = load_environments(input, files, &no_variables);

  EXPECT_EQ(catalog.replacements,
            (std::vector<std::string>{
                "environment 'production' from compiled in from acme.ini replaces the one from "
                "built-in",
                "environment 'production' from /home/me/.config/aai/environments.d/mine.ini "
                "replaces the one from compiled in from acme.ini"}));
}

TEST(EnvironmentSourcesTest, BadEntryWarnsAndOthersLoad) {
  EnvironmentSources input = sources();
  FakeEnvironmentFiles files;
  files.files["/etc/aai/environments.d/acme.ini"] =
      "[acme]\nsummary = ACME\napi_base = http://api.acme.example\n"
      "[beta]\napi_base = https://beta.example\n";
  files.files["/etc/aai/environments.d/gamma.ini"] = "[gamma]\napi_base = https://g.example\n";

  EnvironmentCatalog catalog = load_environments(input, files, &no_variables);

  EXPECT_EQ(catalog.warnings,
            std::vector<std::string>{
                "skipped environment 'acme' in /etc/aai/environments.d/acme.ini line 3: "
                "api_base 'http://api.acme.example' must use https (only loopback hosts may use "
                "http)"});
  EXPECT_EQ(find(catalog, "acme"), nullptr);
  EXPECT_NE(find(catalog, "beta"), nullptr);
  EXPECT_NE(find(catalog, "gamma"), nullptr);
}

TEST(EnvironmentSourcesTest, BadEntryKeepsTheEarlierDefinition) {
  EnvironmentSources input = sources();
  FakeEnvironmentFiles files;
  files.files["/home/me/.config/aai/environments.d/production.ini"] =
      "[production]\napi_base = http://evil.example\n";

  EnvironmentCatalog catalog = load_environments(input, files, &no_variables);

  EXPECT_EQ(api_base(catalog, "production"), "https://api.assemblyai.com");
  EXPECT_EQ(catalog.warnings.size(), 1u);
}

TEST(EnvironmentSourcesTest, UnreadableFolderAndFileWarn) {
  EnvironmentSources input = sources();
  FakeEnvironmentFiles files;
  files.unreadable_folders["/etc/aai/environments.d"] = true;
  files.files["/home/me/.config/aai/environments.d/a.ini"] = "UNREADABLE";
  files.files["/home/me/.config/aai/environments.d/b.ini"] = "[b]\napi_base = https://b.example\n";

  EnvironmentCatalog catalog = load_environments(input, files, &no_variables);

  EXPECT_EQ(catalog.warnings,
            (std::vector<std::string>{
                "skipped the folder /etc/aai/environments.d: Permission denied",
                "skipped /home/me/.config/aai/environments.d/a.ini: Permission denied"}));
  EXPECT_NE(find(catalog, "b"), nullptr);
  EXPECT_EQ(catalog.merged.size(), 3u);
}

TEST(EnvironmentSourcesTest, CompiledInFileIsLabelledByName) {
  EnvironmentSources input = sources();
  input.compiled_in = {{"acme.ini", "[acme]\napi_base = https://${ACME_HOST}\n"}};
  FakeEnvironmentFiles files;

  EnvironmentCatalog catalog = load_environments(input, files, &no_variables);

  EXPECT_EQ(catalog.warnings,
            std::vector<std::string>{"skipped environment 'acme' in acme.ini (compiled in) line "
                                     "2: api_base refers to ${ACME_HOST}, which is not set"});
}

TEST(EnvironmentSourcesTest, ReadsSystemFolderBeforeUserFolder) {
  EnvironmentSources input = sources();
  FakeEnvironmentFiles files;

  load_environments(input, files, &no_variables);

  EXPECT_EQ(files.listed, (std::vector<fs::path>{"/etc/aai/environments.d",
                                                 "/home/me/.config/aai/environments.d"}));
}

}  // namespace
}  // namespace env_registry

namespace env_registry {
namespace {

class DiskEnvironmentFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "aai-env-files-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
  }
  void TearDown() override { fs::remove_all(folder_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ / name, std::ios::binary) << text;
  }

  fs::path folder_;
  DiskEnvironmentFiles files_;
};

TEST_F(DiskEnvironmentFilesTest, ListsIniFilesSortedByName) {
  write("b.ini", "");
  write("A.ini", "");
  write("a.ini", "");
  write(".hidden.ini", "");
  write("notes.txt", "");
  write("acme.ini.bak", "");
  fs::create_directory(folder_ / "folder.ini");

  FolderListing listing = files_.list(folder_);

  EXPECT_TRUE(listing.error.empty());
  EXPECT_EQ(listing.files,
            (std::vector<fs::path>{folder_ / "A.ini", folder_ / "a.ini", folder_ / "b.ini"}));
}

TEST_F(DiskEnvironmentFilesTest, MissingFolderHasNoFiles) {
  FolderListing listing = files_.list(folder_ / "missing");

  EXPECT_TRUE(listing.error.empty());
  EXPECT_TRUE(listing.files.empty());
}

TEST_F(DiskEnvironmentFilesTest, FileInPlaceOfFolderIsAnError) {
  write("environments.d", "");

  FolderListing listing = files_.list(folder_ / "environments.d");

  EXPECT_EQ(listing.error, "Not a directory");
}

TEST_F(DiskEnvironmentFilesTest, ReadsFilesUpToTheLimit) {
  write("small.ini", "[acme]\n");
  write("large.ini", std::string(kMaxEnvironmentFileSize + 1, ';'));

  EXPECT_EQ(files_.read(folder_ / "small.ini").text, "[acme]\n");
  EXPECT_EQ(files_.read(folder_ / "large.ini").error, "it is larger than 1 MiB");
  EXPECT_EQ(files_.read(folder_ / "missing.ini").error, "No such file or directory");
}

}  // namespace
}  // namespace env_registry
