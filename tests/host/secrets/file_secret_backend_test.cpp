#include "secrets/file_secret_backend.hpp"

#include "atomic_file.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

mode_t mode_of(const fs::path& path) {
  struct stat status {};
  ::stat(path.c_str(), &status);
  return status.st_mode & 07777;
}

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const SecretStoreError& error) {
    return std::string(error.what()) + " | " + error.suggestion();
  }
  return "(no error)";
}

TEST(FileSecretBackendTest, DefaultFolderFollowsXdgDataHome) {
  EXPECT_EQ(default_data_folder("/data", "/home/ann"), fs::path("/data/aai"));
  EXPECT_EQ(default_data_folder("", "/home/ann"), fs::path("/home/ann/.local/share/aai"));
  EXPECT_EQ(default_data_folder(nullptr, "/home/ann"), fs::path("/home/ann/.local/share/aai"));
}

TEST(FileSecretBackendTest, MissingFileHasNoSecrets) {
  TempDir dir;
  FileSecretBackend backend(dir.path() / "aai" / "secrets.json");

  EXPECT_EQ(backend.lookup("assemblyai-cli", "default"), std::nullopt);
  EXPECT_FALSE(backend.remove("assemblyai-cli", "default"));
  EXPECT_FALSE(fs::exists(dir.path() / "aai"));
}

TEST(FileSecretBackendTest, StoresWithPrivateModes) {
  TempDir dir;
  fs::path folder = dir.path() / "data" / "aai";
  FileSecretBackend backend(folder / "secrets.json");

  backend.store("assemblyai-cli", "default", "AssemblyAI API key (default)", "key-1234");

  EXPECT_EQ(mode_of(dir.path() / "data"), 0700u);
  EXPECT_EQ(mode_of(folder), 0700u);
  EXPECT_EQ(mode_of(folder / "secrets.json"), 0600u);
  EXPECT_EQ(read_text(folder / "secrets.json"),
            "{\n  \"assemblyai-cli\": {\n    \"default\": \"key-1234\"\n  }\n}\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
}

TEST(FileSecretBackendTest, KeepsOtherEntriesWhenReplacing) {
  TempDir dir;
  FileSecretBackend backend(dir.path() / "secrets.json");

  backend.store("assemblyai-cli", "default", "", "old");
  backend.store("assemblyai-cli", "session:default", "", "{\"jwt\":\"j\"}");
  backend.store("other", "default", "", "other-secret");
  backend.store("assemblyai-cli", "default", "", "new");

  EXPECT_EQ(backend.lookup("assemblyai-cli", "default"), "new");
  EXPECT_EQ(backend.lookup("assemblyai-cli", "session:default"), "{\"jwt\":\"j\"}");
  EXPECT_EQ(backend.lookup("other", "default"), "other-secret");
  EXPECT_EQ(backend.lookup("other", "nobody"), std::nullopt);
}

TEST(FileSecretBackendTest, RemoveDropsEmptyService) {
  TempDir dir;
  FileSecretBackend backend(dir.path() / "secrets.json");
  backend.store("assemblyai-cli", "default", "", "key-1234");

  EXPECT_TRUE(backend.remove("assemblyai-cli", "default"));
  EXPECT_FALSE(backend.remove("assemblyai-cli", "default"));
  EXPECT_EQ(read_text(dir.path() / "secrets.json"), "{}\n");
}

TEST(FileSecretBackendTest, RejectsFileOthersCanRead) {
  TempDir dir;
  fs::path file = dir.path() / "secrets.json";
  write_text(file, "{\"assemblyai-cli\": {\"default\": \"key-1234\"}}");
  ::chmod(file.c_str(), 0644);
  FileSecretBackend backend(file);

  EXPECT_EQ(error_of([&] { backend.lookup("assemblyai-cli", "default"); }),
            "The secrets file " + file.string() +
                " has mode 0644, so other users can read it. | Run `chmod 600 " + file.string() +
                "`, then try again.");
  EXPECT_EQ(error_of([&] { backend.store("assemblyai-cli", "default", "", "x"); }),
            "The secrets file " + file.string() +
                " has mode 0644, so other users can read it. | Run `chmod 600 " + file.string() +
                "`, then try again.");
  EXPECT_EQ(mode_of(file), 0644u);
}

TEST(FileSecretBackendTest, RejectsGroupReadableFile) {
  TempDir dir;
  fs::path file = dir.path() / "secrets.json";
  write_text(file, "{}");
  ::chmod(file.c_str(), 0640);
  FileSecretBackend backend(file);

  EXPECT_EQ(error_of([&] { backend.lookup("s", "a"); }),
            "The secrets file " + file.string() +
                " has mode 0640, so other users can read it. | Run `chmod 600 " + file.string() +
                "`, then try again.");
}

TEST(FileSecretBackendTest, RejectsInvalidJsonAndKeepsFile) {
  TempDir dir;
  fs::path file = dir.path() / "secrets.json";
  for (const std::string text : {"{not json", "[]", "{\"s\": \"flat\"}", "{\"s\": {\"a\": 1}}"}) {
    write_text(file, text);
    ::chmod(file.c_str(), 0600);
    FileSecretBackend backend(file);

    EXPECT_EQ(error_of([&] { backend.store("s", "a", "", "x"); }),
              "The secrets file " + file.string() +
                  " is not a JSON object of the form {\"SERVICE\": {\"ACCOUNT\": \"SECRET\"}}. | "
                  "Fix the file or remove it; aai does not change a file it cannot read.")
        << text;
    EXPECT_EQ(read_text(file), text);
  }
}

TEST(FileSecretBackendTest, RejectsSymbolicLink) {
  TempDir dir;
  write_text(dir.path() / "elsewhere.json", "{}");
  fs::create_symlink(dir.path() / "elsewhere.json", dir.path() / "secrets.json");
  FileSecretBackend backend(dir.path() / "secrets.json");

  EXPECT_EQ(error_of([&] { backend.lookup("s", "a"); }),
            "The secrets file " + (dir.path() / "secrets.json").string() +
                " is a symbolic link. | Replace it with the file itself, with mode 0600.");
}

TEST(FileSecretBackendTest, DescribesItsPath) {
  FileSecretBackend backend("/data/aai/secrets.json");

  EXPECT_EQ(backend.describe(), "the file /data/aai/secrets.json");
  EXPECT_EQ(backend.file_path(), fs::path("/data/aai/secrets.json"));
  EXPECT_EQ(backend.kind(), SecretBackendKind::kFile);
}

TEST(AtomicFileTest, ReplacesWithoutLeavingTemporaryFiles) {
  TempDir dir;
  fs::path file = dir.path() / "new" / "marker";

  write_private_file(file, "one\n");
  write_private_file(file, "two\n");

  EXPECT_EQ(read_text(file), "two\n");
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(dir.path() / "new"), 0700u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "new"), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace aai::host
