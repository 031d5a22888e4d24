#include "secrets/file_secret_backend.hpp"

#include "atomic_file.hpp"
#include "secrets/secret_wipe.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Owns a file descriptor for the length of one read.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
};

SecretStoreError read_error(const fs::path& path, const std::string& reason) {
  return SecretStoreError("Could not read the secrets file " + path.string() + ": " + reason + ".",
                          "Check that the file exists and that you own it.");
}

void check_private(const fs::path& path, const struct stat& status) {
  if (!S_ISREG(status.st_mode)) {
    throw SecretStoreError("The secrets file " + path.string() + " is not a regular file.",
                           "Remove it; aai then creates a new one.");
  }
  if (status.st_uid != ::geteuid()) {
    throw SecretStoreError("The secrets file " + path.string() + " belongs to another user.",
                           "Remove it, or run aai as the user who owns it.");
  }
  if ((status.st_mode & 077) != 0) {
    throw SecretStoreError("The secrets file " + path.string() + " has mode " +
                               mode_text(status.st_mode) + ", so other users can read it.",
                           "Run `chmod 600 " + path.string() + "`, then try again.");
  }
}

std::string read_all(int fd, const fs::path& path) {
  std::string text;
  char buffer[4096];
  for (;;) {
    ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      wipe_bytes(buffer, sizeof buffer);
      wipe_string(text);
      throw read_error(path, std::strerror(errno));
    }
    if (count == 0) {
      break;
    }
    text.append(buffer, static_cast<size_t>(count));
  }
  wipe_bytes(buffer, sizeof buffer);
  return text;
}

bool has_expected_layout(const nlohmann::json& secrets) {
  if (!secrets.is_object()) {
    return false;
  }
  for (const auto& accounts : secrets) {
    if (!accounts.is_object()) {
      return false;
    }
    for (const auto& value : accounts) {
      if (!value.is_string()) {
        return false;
      }
    }
  }
  return true;
}

void wipe_json(nlohmann::json& secrets) {
  if (!secrets.is_object()) {
    return;
  }
  for (auto& accounts : secrets) {
    for (auto& value : accounts) {
      if (value.is_string()) {
        wipe_string(value.get_ref<std::string&>());
      }
    }
  }
}

// Wipes every secret in the JSON object when the scope ends.
struct JsonWiper {
  nlohmann::json& secrets;
  ~JsonWiper() { wipe_json(secrets); }
};

}  // namespace

fs::path default_data_folder(const char* xdg_data_home, const char* home) {
  if (xdg_data_home != nullptr && *xdg_data_home != '\0') {
    return fs::path(xdg_data_home) / "aai";
  }
  return fs::path(home != nullptr ? home : "") / ".local" / "share" / "aai";
}

FileSecretBackend::FileSecretBackend(fs::path path) : path_(std::move(path)) {}

nlohmann::json FileSecretBackend::read() const {
  FileDescriptor file(::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (file.get() < 0) {
    if (errno == ENOENT) {
      return nlohmann::json::object();
    }
    if (errno == ELOOP) {
      throw SecretStoreError("The secrets file " + path_.string() + " is a symbolic link.",
                             "Replace it with the file itself, with mode 0600.");
    }
    throw read_error(path_, std::strerror(errno));
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) {
    throw read_error(path_, std::strerror(errno));
  }
  check_private(path_, status);

  std::string text = read_all(file.get(), path_);
  nlohmann::json secrets = nlohmann::json::parse(text, nullptr, false);
  wipe_string(text);
  if (secrets.is_discarded() || !has_expected_layout(secrets)) {
    wipe_json(secrets);
    throw SecretStoreError("The secrets file " + path_.string() +
                               " is not a JSON object of the form "
                               "{\"SERVICE\": {\"ACCOUNT\": \"SECRET\"}}.",
                           "Fix the file or remove it; aai does not change a file it cannot read.");
  }
  return secrets;
}

void FileSecretBackend::write(nlohmann::json& secrets) const {
  std::string text = secrets.dump(2) + "\n";
  try {
    write_private_file(path_, text);
  } catch (const PrivateFileError& error) {
    wipe_string(text);
    fs::path folder = error.folder().empty() ? path_.parent_path() : error.folder();
    throw SecretStoreError(
        "Could not write the secrets file " + path_.string() + ": " + error.what() + ".",
        "Check that the folder " + folder.string() + " is writable.");
  }
  wipe_string(text);
}

std::optional<std::string> FileSecretBackend::lookup(const std::string& service,
                                                     const std::string& account) {
  nlohmann::json secrets = read();
  JsonWiper wiper{secrets};
  auto accounts = secrets.find(service);
  if (accounts == secrets.end()) {
    return std::nullopt;
  }
  auto value = accounts->find(account);
  if (value == accounts->end()) {
    return std::nullopt;
  }
  return value->get<std::string>();
}

void FileSecretBackend::store(const std::string& service, const std::string& account,
                              const std::string&, const std::string& value) {
  nlohmann::json secrets = read();
  JsonWiper wiper{secrets};
  if (!secrets.contains(service)) {
    secrets[service] = nlohmann::json::object();
  }
  secrets[service][account] = value;
  write(secrets);
}

bool FileSecretBackend::remove(const std::string& service, const std::string& account) {
  nlohmann::json secrets = read();
  JsonWiper wiper{secrets};
  auto accounts = secrets.find(service);
  if (accounts == secrets.end() || !accounts->contains(account)) {
    return false;
  }
  wipe_string((*accounts)[account].get_ref<std::string&>());
  accounts->erase(account);
  if (accounts->empty()) {
    secrets.erase(accounts);
  }
  write(secrets);
  return true;
}

std::string FileSecretBackend::describe() const {
  return "the file " + path_.string();
}

}  // namespace aai::host
