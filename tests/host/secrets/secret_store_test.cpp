#include "secrets/secret_store.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::TempDir;

// An in-memory backend that plays the keyring or the file; its probe fails on request.
class FakeBackend final : public SecretBackend {
 public:
  FakeBackend(SecretBackendKind kind, std::map<std::string, std::string>& entries)
      : kind_(kind), entries_(entries) {}

  std::optional<std::string> lookup(const std::string& service,
                                    const std::string& account) override {
    auto found = entries_.find(service + "/" + account);
    return found != entries_.end() ? std::optional(found->second) : std::nullopt;
  }
  void store(const std::string& service, const std::string& account, const std::string&,
             const std::string& value) override {
    entries_[service + "/" + account] = value;
  }
  bool remove(const std::string& service, const std::string& account) override {
    return entries_.erase(service + "/" + account) > 0;
  }
  std::string describe() const override {
    return kind_ == SecretBackendKind::kKeyring ? "the Secret Service keyring"
                                                : "the file /data/aai/secrets.json";
  }
  SecretBackendKind kind() const override { return kind_; }
  fs::path file_path() const override {
    return kind_ == SecretBackendKind::kFile ? fs::path("/data/aai/secrets.json") : fs::path();
  }
  void probe() override {
    if (!probe_error.empty()) {
      throw SecretStoreError(probe_error);
    }
  }

  std::string probe_error;

 private:
  SecretBackendKind kind_;
  std::map<std::string, std::string>& entries_;
};

class SecretStoreTest : public ::testing::Test {
 protected:
  SecretBackendSources sources() {
    SecretBackendSources fakes;
    fakes.is_session_bus_reachable = [this] { return bus_reachable; };
    fakes.open_keyring = [this]() -> std::unique_ptr<SecretBackend> {
      ++keyring_opens;
      if (!keyring_load_error.empty()) {
        throw SecretStoreError(keyring_load_error);
      }
      auto keyring = std::make_unique<FakeBackend>(SecretBackendKind::kKeyring, keyring_entries);
      keyring->probe_error = keyring_probe_error;
      return keyring;
    };
    fakes.open_file = [this]() -> std::unique_ptr<SecretBackend> {
      return std::make_unique<FakeBackend>(SecretBackendKind::kFile, file_entries);
    };
    return fakes;
  }

  SecretStore make_store() {
    return SecretStore(config, log, output, dir.path() / "data", sources());
  }

  std::string selection_error(SecretStoreChoice choice) {
    try {
      select_secret_backend(choice, sources(), [](const std::string&) {});
    } catch (const SecretStoreError& error) {
      return std::string(error.what()) + " | " + error.suggestion();
    }
    return "(no error)";
  }

  TempDir dir;
  ConfigStore config{dir.path() / "config.ini"};
  std::ostringstream messages;
  LogSink log{messages, 1, false};
  Output output{-1, messages, false, false};
  bool bus_reachable = true;
  std::string keyring_load_error;
  std::string keyring_probe_error;
  int keyring_opens = 0;
  std::map<std::string, std::string> keyring_entries;
  std::map<std::string, std::string> file_entries;
};

TEST_F(SecretStoreTest, ParsesChoices) {
  EXPECT_EQ(parse_secret_store_choice(std::nullopt), SecretStoreChoice::kAuto);
  EXPECT_EQ(parse_secret_store_choice(""), SecretStoreChoice::kAuto);
  EXPECT_EQ(parse_secret_store_choice("auto"), SecretStoreChoice::kAuto);
  EXPECT_EQ(parse_secret_store_choice("keyring"), SecretStoreChoice::kKeyring);
  EXPECT_EQ(parse_secret_store_choice("file"), SecretStoreChoice::kFile);
}

TEST_F(SecretStoreTest, RejectsUnknownChoice) {
  try {
    parse_secret_store_choice("vault");
    FAIL() << "no error";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_EQ(error.type(), "invalid_config");
    EXPECT_STREQ(error.what(),
                 "Invalid value 'vault' for core.secret_store: expected auto, keyring or file.");
    EXPECT_EQ(error.suggestion(), "Run `aai config set core.secret_store auto`.");
  }
}

TEST_F(SecretStoreTest, AutoPicksKeyringThatAnswers) {
  auto backend = select_secret_backend(SecretStoreChoice::kAuto, sources(),
                                       [](const std::string&) { FAIL(); });

  EXPECT_EQ(backend->kind(), SecretBackendKind::kKeyring);
}

TEST_F(SecretStoreTest, AutoWithoutBusNeverOpensKeyring) {
  bus_reachable = false;
  std::string reason;

  auto backend = select_secret_backend(SecretStoreChoice::kAuto, sources(),
                                       [&](const std::string& text) { reason = text; });

  EXPECT_EQ(backend->kind(), SecretBackendKind::kFile);
  EXPECT_EQ(keyring_opens, 0);
  EXPECT_EQ(reason,
            "The Secret Service keyring did not answer: no session bus (DBUS_SESSION_BUS_ADDRESS "
            "is unset and $XDG_RUNTIME_DIR/bus does not exist).");
}

TEST_F(SecretStoreTest, AutoFallsBackWhenProbeFails) {
  keyring_probe_error = "The Secret Service keyring did not answer: no such name.";
  std::string reason;

  auto backend = select_secret_backend(SecretStoreChoice::kAuto, sources(),
                                       [&](const std::string& text) { reason = text; });

  EXPECT_EQ(backend->kind(), SecretBackendKind::kFile);
  EXPECT_EQ(reason, keyring_probe_error);
}

TEST_F(SecretStoreTest, AutoFallsBackWhenLibraryMissing) {
  keyring_load_error = "could not load libaai-secrets.so";

  auto backend =
      select_secret_backend(SecretStoreChoice::kAuto, sources(), [](const std::string&) {});

  EXPECT_EQ(backend->kind(), SecretBackendKind::kFile);
}

TEST_F(SecretStoreTest, ForcedFileNeverOpensKeyring) {
  auto backend = select_secret_backend(SecretStoreChoice::kFile, sources(),
                                       [](const std::string&) { FAIL(); });

  EXPECT_EQ(backend->kind(), SecretBackendKind::kFile);
  EXPECT_EQ(keyring_opens, 0);
}

TEST_F(SecretStoreTest, ForcedKeyringWithoutBusFails) {
  bus_reachable = false;

  EXPECT_EQ(selection_error(SecretStoreChoice::kKeyring),
            "The Secret Service keyring did not answer: no session bus (DBUS_SESSION_BUS_ADDRESS "
            "is unset and $XDG_RUNTIME_DIR/bus does not exist). | Run `aai config set "
            "core.secret_store file` to keep secrets in a file instead.");
  EXPECT_EQ(keyring_opens, 0);
}

TEST_F(SecretStoreTest, ForcedKeyringThatDoesNotAnswerFails) {
  keyring_probe_error = "The Secret Service keyring did not answer: timed out.";

  EXPECT_EQ(selection_error(SecretStoreChoice::kKeyring),
            "The Secret Service keyring did not answer: timed out. | ");
}

TEST_F(SecretStoreTest, StoreLookupRemoveUseSelectedBackend) {
  config.set("core", "secret_store", "file");
  SecretStore store = make_store();

  store.store("assemblyai-cli", "default", "label", "key-1234");

  EXPECT_EQ(file_entries.at("assemblyai-cli/default"), "key-1234");
  EXPECT_TRUE(keyring_entries.empty());
  EXPECT_EQ(store.lookup("assemblyai-cli", "default"), "key-1234");
  EXPECT_TRUE(store.remove("assemblyai-cli", "default"));
  EXPECT_EQ(store.lookup("assemblyai-cli", "default"), std::nullopt);
  EXPECT_EQ(store.describe(), "the file /data/aai/secrets.json");
}

TEST_F(SecretStoreTest, InvalidConfigFailsEveryCall) {
  config.set("core", "secret_store", "vault");
  SecretStore store = make_store();

  EXPECT_THROW(store.lookup("s", "a"), CliError);
  EXPECT_THROW(store.describe(), CliError);
}

TEST_F(SecretStoreTest, FirstKeyringStoreAnnouncesOnce) {
  SecretStore store = make_store();

  store.store("s", "a", "", "value-1");
  store.store("s", "a", "", "value-2");
  SecretStore next_run = make_store();
  next_run.store("s", "a", "", "value-3");

  EXPECT_EQ(messages.str(), "Keeping secrets in the Secret Service keyring.\n");
  EXPECT_EQ(read_text(dir.path() / "data" / "secret-store"), "keyring\n");
}

TEST_F(SecretStoreTest, FileFallbackAnnouncesWhy) {
  bus_reachable = false;
  SecretStore store = make_store();

  store.store("s", "a", "", "value-1");

  EXPECT_NE(messages.str().find("Keeping secrets in /data/aai/secrets.json (readable only by "
                                "you): no Secret Service answered.\n"),
            std::string::npos)
      << messages.str();
  EXPECT_EQ(read_text(dir.path() / "data" / "secret-store"), "file\n");
}

TEST_F(SecretStoreTest, ForcedFileAnnouncesWithoutReason) {
  config.set("core", "secret_store", "file");
  SecretStore store = make_store();

  store.store("s", "a", "", "value-1");

  EXPECT_EQ(messages.str(), "Keeping secrets in /data/aai/secrets.json (readable only by you).\n");
}

TEST_F(SecretStoreTest, SwitchingBackendAnnouncesAgain) {
  SecretStore keyring_run = make_store();
  keyring_run.store("s", "a", "", "value-1");
  config.set("core", "secret_store", "file");
  SecretStore file_run = make_store();

  file_run.store("s", "a", "", "value-2");

  EXPECT_EQ(messages.str(),
            "Keeping secrets in the Secret Service keyring.\n"
            "Keeping secrets in /data/aai/secrets.json (readable only by you).\n");
  EXPECT_EQ(read_text(dir.path() / "data" / "secret-store"), "file\n");
}

TEST_F(SecretStoreTest, LookupAndFailedStoreAnnounceNothing) {
  SecretStore store = make_store();

  store.lookup("s", "a");
  store.remove("s", "a");

  EXPECT_EQ(messages.str(), "");
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "secret-store"));
}

TEST_F(SecretStoreTest, QuietHidesNoteAndKeepsItForLater) {
  Output quiet{-1, messages, false, true};
  SecretStore store(config, log, quiet, dir.path() / "data", sources());

  store.store("s", "a", "", "value-1");

  EXPECT_EQ(messages.str(), "");
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "secret-store"));
}

TEST_F(SecretStoreTest, MasksEverySecretItHandles) {
  keyring_entries["s/stored-before"] = "looked-up-secret";
  SecretStore store = make_store();

  store.store("s", "a", "", "stored-secret");
  store.lookup("s", "stored-before");

  EXPECT_EQ(log.mask("stored-secret and looked-up-secret"), "[redacted] and [redacted]");
}

}  // namespace
}  // namespace aai::host
