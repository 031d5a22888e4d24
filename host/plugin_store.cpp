#include "plugin_store.hpp"

#include "atomic_file.hpp"
#include "cli_error.hpp"
#include "plugin_loader.hpp"
#include "plugin_manifest.hpp"
#include "sha256.hpp"

#include <aai/plugin.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

// Size of the blocks a plugin file is copied in.
constexpr size_t kCopyBlockSize = 64 * 1024;

fs::path canonical_or_same(const fs::path& path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path : canonical;
}

bool same_path(const fs::path& left, const fs::path& right) {
  return !left.empty() && !right.empty() && canonical_or_same(left) == canonical_or_same(right);
}

bool path_exists(const fs::path& path) {
  std::error_code error;
  return fs::exists(fs::symlink_status(path, error));
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : separator) + item;
  }
  return text;
}

CliError invalid_plugin(const std::string& source, const std::string& reason,
                        std::string suggestion) {
  return CliError(2, "invalid_plugin", "Cannot install " + source + ": " + reason + ".",
                  std::move(suggestion));
}

CliError store_error(const std::string& what, const PrivateFileError& error) {
  std::string message = "Could not " + what + ": " + error.what() + ".";
  if (!error.folder().empty()) {
    message = "Could not " + what + ": creating the folder " + error.folder().string() + ": " +
              std::strerror(error.error_number()) + ".";
  }
  return CliError(1, "plugin_store_error", message,
                  "Check that the folder exists and that you can write to it.");
}

CliError invalid_record(const InvalidInstalledPlugins& error) {
  return CliError(2, "invalid_install_record",
                  std::string("The install record ") + error.what() + ".",
                  "Fix the file, or delete it and install the plugins again.");
}

std::vector<InstalledPlugin> read_records(const fs::path& folder) {
  try {
    return read_installed_plugins(folder);
  } catch (const InvalidInstalledPlugins& error) {
    throw invalid_record(error);
  }
}

// Checks the manifest's "MAJOR.MINOR" against the host's ABI, as the loader checks the
// descriptor's version. Returns the problem, or nullopt when this aai can load the plugin.
std::optional<std::string> abi_problem(const std::string& abi) {
  size_t dot = abi.find('.');
  unsigned long major = std::stoul(abi.substr(0, dot));
  unsigned long minor = std::stoul(abi.substr(dot + 1));
  std::string host_abi =
      std::to_string(AAI_ABI_VERSION_MAJOR) + "." + std::to_string(AAI_ABI_VERSION_MINOR);
  if (major != AAI_ABI_VERSION_MAJOR) {
    return "its manifest says it is built for plugin ABI " + abi + ", but this aai supports ABI " +
           host_abi + " and older " + std::to_string(AAI_ABI_VERSION_MAJOR) + ".x only";
  }
  if (minor > AAI_ABI_VERSION_MINOR) {
    return "its manifest says it is built for plugin ABI " + abi + ", newer than this aai's ABI " +
           host_abi;
  }
  return std::nullopt;
}

// Whether `longer` is `shorter` followed by more words, so that `aai LONGER` would be taken
// from `aai SHORTER ARGUMENTS` or `aai SHORTER` would turn into a group.
bool extends(const std::string& longer, const std::string& shorter) {
  return longer.size() > shorter.size() && longer.starts_with(shorter) &&
         longer[shorter.size()] == ' ';
}

// The plugin file being installed: the argument as typed, for messages, and what identifies it.
struct SourcePlugin {
  std::string argument;
  fs::path path;
  std::string name;
  std::string sha256;
};

// Returns whether the loaded plugin `plugin_name` in `file` is the plugin being installed, loaded
// from a folder on AAI_PLUGIN_PATH such as its build folder. It is when it has the same manifest
// name, real path or SHA-256, and lies outside the built-in and the user plugin folders.
bool is_source_on_plugin_path(const PluginStoreContext& context, const SourcePlugin& source,
                              const std::string& plugin_name, const fs::path& file) {
  fs::path folder = file.parent_path();
  if (same_path(folder, context.builtin_folder) || same_path(folder, context.folder)) {
    return false;
  }
  if (plugin_name == source.name || same_path(file, source.path)) {
    return true;
  }
  try {
    return sha256_file_hex(file) == source.sha256;
  } catch (const Sha256Error&) {
    // A file that cannot be read is not shown to be the same plugin, so the generic advice stays.
    return false;
  }
}

// Returns the advice for a plugin that aai already loads from `file` in a folder on
// AAI_PLUGIN_PATH. Renaming would not help there, but taking that folder off the path does.
std::string take_off_plugin_path(const SourcePlugin& source, const fs::path& file) {
  std::string folder = file.parent_path().string();
  return "aai already loads this plugin from " + folder +
         ", which is on AAI_PLUGIN_PATH. Take that folder off AAI_PLUGIN_PATH, then run `aai "
         "plugins install " +
         source.argument + "` again.";
}

// A command of the plugin being installed that equals or overlaps an existing command.
struct Collision {
  std::string description;
  const ExistingCommand* other;
};

// Returns the commands of `commands` that equal or overlap an existing command, leaving out the
// commands of `replaced_file`, the installed copy being replaced.
std::vector<Collision> find_collisions(const std::vector<std::string>& commands,
                                       const std::vector<ExistingCommand>& existing,
                                       const fs::path& replaced_file) {
  std::vector<Collision> collisions;
  for (const auto& command : commands) {
    for (const auto& other : existing) {
      if (!other.plugin_name.empty() && same_path(other.plugin_file, replaced_file)) {
        continue;
      }
      if (command != other.name && !extends(command, other.name) && !extends(other.name, command)) {
        continue;
      }
      std::string owner = other.plugin_name.empty() ? "built into aai"
                                                    : "from the plugin '" + other.plugin_name +
                                                          "' (" + other.plugin_file.string() + ")";
      collisions.push_back(
          {"its command '" + command + "' collides with `aai " + other.name + "`, " + owner,
           &other});
    }
  }
  return collisions;
}

void check_collisions(const SourcePlugin& source, const std::vector<std::string>& commands,
                      const PluginStoreContext& context, const fs::path& target) {
  std::vector<Collision> collisions = find_collisions(commands, context.commands, target);
  if (collisions.empty()) {
    return;
  }
  std::vector<std::string> descriptions;
  bool all_from_source = true;
  for (const auto& collision : collisions) {
    descriptions.push_back(collision.description);
    const ExistingCommand& other = *collision.other;
    all_from_source =
        all_from_source && !other.plugin_name.empty() &&
        is_source_on_plugin_path(context, source, other.plugin_name, other.plugin_file);
  }
  std::string suggestion =
      all_from_source ? take_off_plugin_path(source, collisions.front().other->plugin_file)
                      : "Rename the plugin's commands: an installed plugin cannot take over a "
                        "command that aai already has.";
  throw CliError(1, "plugin_conflict",
                 "Cannot install " + source.argument + ": " + join(descriptions, "; ") + ".",
                 suggestion);
}

void check_policy(const std::string& source, const PluginStoreContext& context,
                  const std::string& name, const std::string& sha256) {
  const PolicyReading& reading = context.policy;
  if (reading.state == PolicyReading::State::invalid) {
    throw CliError(1, "plugin_not_allowed",
                   "Cannot install " + source + ": the plugin policy " + reading.file.string() +
                       " is invalid (" + reading.problem + "), so only the plugins in " +
                       context.builtin_folder.string() + " load.",
                   "Ask the administrator to fix " + reading.file.string() + ".");
  }
  if (reading.state != PolicyReading::State::in_force) {
    return;
  }
  if (decide_by_policy(reading.policy, name, [&] { return sha256; }) !=
      PolicyVerdict::not_allowed) {
    return;
  }
  std::string who = reading.policy.set_by.empty() ? "the administrator" : reading.policy.set_by;
  throw CliError(1, "plugin_not_allowed",
                 "Cannot install " + source + ": " + not_allowed_reason(reading) + ".",
                 "Ask " + who + " to add '" + name + "' to allow, or " + sha256 +
                     " to allow_sha256, in " + reading.file.string() + ".");
}

// Rejects a name that a plugin outside the install target already uses. The loader would skip
// the installed copy, because the first plugin of a name wins.
void check_name_is_free(const SourcePlugin& source, const PluginStoreContext& context,
                        const fs::path& target) {
  for (const auto& plugin : context.loaded) {
    if (plugin.name != source.name || same_path(plugin.file, target)) {
      continue;
    }
    std::string suggestion =
        is_source_on_plugin_path(context, source, plugin.name, plugin.file)
            ? take_off_plugin_path(source, plugin.file)
            : "Give the plugin another name in its descriptor and manifest; an installed plugin "
              "cannot replace one that aai loads from another file.";
    throw CliError(1, "plugin_conflict",
                   "Cannot install " + source.argument + ": a plugin named '" + source.name +
                       "' is already loaded from " + plugin.file.string() + ".",
                   suggestion);
  }
}

void check_not_installed(const std::string& source, const InstalledPlugin* record,
                         const fs::path& target, const PluginManifest& manifest) {
  std::string suggestion = "Run `aai plugins install --force " + source + "` to replace it with " +
                           manifest.version + ".";
  if (record != nullptr) {
    throw CliError(1, "already_installed",
                   "The plugin '" + record->name + "' " + record->version +
                       " is already installed, and " + source + " is version " + manifest.version +
                       ".",
                   suggestion);
  }
  if (path_exists(target)) {
    throw CliError(1, "already_installed",
                   target.string() + " already exists without an install record, and " + source +
                       " is " + manifest.name + " version " + manifest.version + ".",
                   suggestion);
  }
}

// Creates the plugin folder with mode 0755 whatever the umask, so the loader's permission check
// passes. Missing folders above it get 0700, like aai's other data folders. An existing folder
// keeps its mode.
void create_plugin_folder(const fs::path& folder) {
  if (path_exists(folder)) {
    return;
  }
  create_private_folders(folder.parent_path());
  if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) {
    throw PrivateFileError("creating the folder", errno, folder);
  }
  if (::chmod(folder.c_str(), 0755) != 0) {
    throw PrivateFileError("setting the mode of the folder", errno, folder);
  }
}

void write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written < 0) {
      throw PrivateFileError("writing the copy", errno);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
}

// Copies `source` into `fd` and returns the SHA-256 of the bytes written.
std::string copy_and_hash(const fs::path& source, int fd) {
  int input = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (input < 0) {
    throw PrivateFileError("opening the plugin file", errno);
  }
  Sha256 digest;
  std::string block(kCopyBlockSize, '\0');
  while (true) {
    ssize_t count = ::read(input, block.data(), block.size());
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      int error = errno;
      ::close(input);
      throw PrivateFileError("reading the plugin file", error);
    }
    if (count == 0) {
      break;
    }
    try {
      write_all(fd, block.data(), static_cast<size_t>(count));
    } catch (const PrivateFileError&) {
      ::close(input);
      throw;
    }
    digest.update(std::string_view(block.data(), static_cast<size_t>(count)));
  }
  ::close(input);
  return digest.hex_digest();
}

// A copy of the plugin in a temporary file of the plugin folder. Its name does not end in
// ".so", so a start of aai meanwhile does not load it.
struct TemporaryCopy {
  fs::path path;
  std::string sha256;
};

TemporaryCopy copy_to_folder(const fs::path& source, const fs::path& folder,
                             const std::string& name) {
  std::string path = (folder / ("." + name + ".so.XXXXXX")).string();
  int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    throw PrivateFileError("creating a temporary file", errno);
  }
  TemporaryCopy copy{path, {}};
  try {
    copy.sha256 = copy_and_hash(source, fd);
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
      throw PrivateFileError("syncing the copy", errno);
    }
  } catch (...) {
    ::close(fd);
    ::unlink(path.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    PrivateFileError error("closing the copy", errno);
    ::unlink(path.c_str());
    throw error;
  }
  return copy;
}

// Makes renames in `folder` durable. A failure leaves correct files, so it is ignored.
void sync_folder(const fs::path& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::vector<InstalledPlugin> without(std::vector<InstalledPlugin> records,
                                     const std::string& name) {
  std::erase_if(records, [&](const InstalledPlugin& record) { return record.name == name; });
  return records;
}

// Checks the copy by loading it once, then records it and renames it into place. The record is
// written first, so a failed rename can put the old record back.
// NOTE: installs and removals are not locked against each other, so of two that run at once the
// last to write installed.json wins.
void commit_copy(const SourcePlugin& source, const PluginStoreContext& context,
                 const TemporaryCopy& copy, const fs::path& target, const PluginManifest& manifest,
                 const std::vector<InstalledPlugin>& records, const InstalledPlugin& plugin,
                 std::vector<std::string>& commands) {
  TrialLoad trial = context.trial_load(copy.path);
  if (!trial.loaded) {
    throw invalid_plugin(source.argument, "it does not load: " + trial.reason,
                         "Fix the plugin and build it again; `aai plugins list` shows the same "
                         "reason for a file copied into a plugin folder by hand.");
  }
  if (trial.name != manifest.name) {
    throw invalid_plugin(
        source.argument,
        "its manifest names it '" + manifest.name + "', but its descriptor '" + trial.name + "'",
        "Use the same name in AAI_PLUGIN_MANIFEST and in the descriptor.");
  }
  check_collisions(source, trial.commands, context, target);
  commands = trial.commands;

  std::vector<InstalledPlugin> updated = without(records, plugin.name);
  updated.push_back(plugin);
  try {
    write_installed_plugins(context.folder, updated);
  } catch (const PrivateFileError& error) {
    throw store_error("write the install record " + installed_plugins_path(context.folder).string(),
                      error);
  }
  if (::rename(copy.path.c_str(), target.c_str()) != 0) {
    PrivateFileError error("renaming the copy", errno);
    try {
      write_installed_plugins(context.folder, records);
    } catch (const PrivateFileError&) {
      // The record then lists a file that did not change, and `aai plugins verify` reports it.
    }
    throw store_error("install " + target.string(), error);
  }
  sync_folder(context.folder);
}

}  // namespace

namespace {

CliError hash_error(const std::string& source, const Sha256Error& error) {
  return CliError(1, "plugin_store_error",
                  "Could not compute the SHA-256 of " + source + ": " + error.what() + ".");
}

// Checks that `source` is a plugin file with a valid manifest for this ABI, without loading it,
// and returns the manifest.
PluginManifest read_installable_manifest(const std::string& source, const fs::path& source_path,
                                         const PluginStoreContext& context) {
  std::error_code error;
  fs::file_status status = fs::status(source_path, error);
  if (!fs::exists(status)) {
    throw CliError(2, "file_not_found", "Plugin file not found: " + source + ".",
                   "Check the path; pass the .so file that the plugin's build wrote.");
  }
  if (!fs::is_regular_file(status)) {
    throw invalid_plugin(source, "it is not a regular file",
                         "Pass the .so file that the plugin's build wrote.");
  }
  if (auto problem = check_elf_file(source_path)) {
    throw invalid_plugin(source, *problem, "Pass the .so file that the plugin's build wrote.");
  }

  ManifestReading reading = read_plugin_manifest(source_path);
  if (reading.state == ManifestReading::State::absent) {
    throw invalid_plugin(source, "it has no manifest",
                         "Add one with AAI_PLUGIN_MANIFEST (see docs/plugin-guide.md), or copy the "
                         "file into " +
                             context.folder.string() +
                             " by hand, which loads it without the install checks.");
  }
  if (reading.state == ManifestReading::State::invalid) {
    throw invalid_plugin(source, "its manifest is invalid: " + reading.problem,
                         "Fix the AAI_PLUGIN_MANIFEST text in the plugin's source and rebuild it.");
  }
  if (auto problem = abi_problem(reading.manifest.abi)) {
    throw invalid_plugin(source, *problem, "Rebuild the plugin against this aai's SDK.");
  }
  return reading.manifest;
}

}  // namespace

InstallResult install_plugin(const PluginStoreContext& context, const std::string& source,
                             bool force) {
  if (source.empty()) {
    throw usage_error("The plugin path is empty.",
                      "Pass the plugin's .so file, such as `aai plugins install build/hello.so`.");
  }
  fs::path source_path = fs::absolute(source).lexically_normal();
  PluginManifest manifest = read_installable_manifest(source, source_path, context);
  std::string source_sha256;
  try {
    source_sha256 = sha256_file_hex(source_path);
  } catch (const Sha256Error& error) {
    throw hash_error(source, error);
  }
  check_policy(source, context, manifest.name, source_sha256);

  SourcePlugin source_plugin{source, source_path, manifest.name, source_sha256};
  fs::path target = context.folder / (manifest.name + ".so");
  check_name_is_free(source_plugin, context, target);
  std::vector<InstalledPlugin> records = read_records(context.folder);
  if (!force) {
    check_not_installed(source, find_installed(records, manifest.name), target, manifest);
  }
  check_collisions(source_plugin, manifest.commands, context, target);

  TemporaryCopy copy;
  try {
    create_plugin_folder(context.folder);
    copy = copy_to_folder(source_path, context.folder, manifest.name);
  } catch (const PrivateFileError& error) {
    throw store_error("copy " + source + " into " + context.folder.string(), error);
  } catch (const Sha256Error& error) {
    throw hash_error(source, error);
  }

  InstallResult result;
  result.plugin = {manifest.name, manifest.version, copy.sha256, source_path.string()};
  result.file = target;
  try {
    if (copy.sha256 != source_sha256) {
      throw CliError(1, "plugin_store_error",
                     "Cannot install " + source + ": the file changed while it was being copied.",
                     "Run the command again once the file no longer changes.");
    }
    commit_copy(source_plugin, context, copy, target, manifest, records, result.plugin,
                result.commands);
  } catch (...) {
    ::unlink(copy.path.c_str());
    throw;
  }
  return result;
}

namespace {

// Returns the error for removing `name`, which installed.json does not list: where a loaded
// plugin of that name comes from, or the names that can be removed.
CliError not_installed_error(const PluginStoreContext& context, const std::string& name,
                             const std::vector<InstalledPlugin>& records) {
  for (const auto& plugin : context.loaded) {
    if (plugin.name != name) {
      continue;
    }
    std::string suggestion =
        "Its folder is on AAI_PLUGIN_PATH; delete the file or take the folder off "
        "AAI_PLUGIN_PATH.";
    if (same_path(plugin.file.parent_path(), context.builtin_folder)) {
      suggestion =
          "It comes with aai; an administrator can keep it from loading with the plugin policy "
          "(see docs/plugins.md).";
    } else if (same_path(plugin.file.parent_path(), context.folder)) {
      suggestion = "It was copied there by hand; delete the file to remove it.";
    }
    return CliError(2, "not_installed",
                    "The plugin '" + name + "' is loaded from " + plugin.file.string() +
                        ", which `aai plugins install` did not write; only plugins installed "
                        "with `aai plugins install` can be removed.",
                    suggestion);
  }

  std::vector<std::string> names;
  for (const auto& installed : records) {
    names.push_back(installed.name);
  }
  return usage_error("Unknown plugin '" + name + "'.",
                     names.empty() ? "No plugins are installed with `aai plugins install`."
                                   : "Installed plugins: " + join(names, ", ") + ".");
}

}  // namespace

InstalledPlugin remove_plugin(const PluginStoreContext& context, const std::string& name) {
  std::vector<InstalledPlugin> records = read_records(context.folder);
  const InstalledPlugin* record = find_installed(records, name);
  if (record == nullptr) {
    throw not_installed_error(context, name, records);
  }
  InstalledPlugin removed = *record;

  // The file is moved aside first and deleted only once the record no longer lists it, so a
  // failed write of the record can put it back.
  fs::path target = context.folder / removed.file_name();
  fs::path aside = context.folder / ("." + removed.file_name() + ".removed");
  bool moved = ::rename(target.c_str(), aside.c_str()) == 0;
  if (!moved && errno != ENOENT) {
    throw store_error("remove " + target.string(), PrivateFileError("renaming it", errno));
  }
  try {
    write_installed_plugins(context.folder, without(records, name));
  } catch (const PrivateFileError& error) {
    if (moved) {
      ::rename(aside.c_str(), target.c_str());
    }
    throw store_error("write the install record " + installed_plugins_path(context.folder).string(),
                      error);
  }

  if (moved) {
    ::unlink(aside.c_str());
    sync_folder(context.folder);
  }
  return removed;
}

const char* status_name(VerifiedPlugin::Status status) {
  switch (status) {
    case VerifiedPlugin::Status::ok:
      return "ok";
    case VerifiedPlugin::Status::changed:
      return "changed";
    case VerifiedPlugin::Status::missing:
      return "missing";
    case VerifiedPlugin::Status::unreadable:
      return "unreadable";
  }
  return "unknown";
}

std::vector<VerifiedPlugin> verify_plugins(const fs::path& folder) {
  std::vector<InstalledPlugin> records = read_records(folder);
  if (records.empty()) {
    return {};
  }
  try {
    // Loads libnettle once up front, so a missing library is one error and not a status per file.
    sha256_hex("");
  } catch (const Sha256Error& error) {
    throw CliError(1, "internal_error",
                   std::string("Could not compute SHA-256 digests: ") + error.what() + ".",
                   "Install the libnettle8 package.");
  }
  std::sort(records.begin(), records.end(),
            [](const auto& left, const auto& right) { return left.name < right.name; });
  std::vector<VerifiedPlugin> results;
  for (const auto& record : records) {
    VerifiedPlugin result;
    result.plugin = record;
    result.file = folder / record.file_name();
    if (!path_exists(result.file)) {
      result.status = VerifiedPlugin::Status::missing;
    } else {
      try {
        result.sha256 = sha256_file_hex(result.file);
        result.status = result.sha256 == record.sha256 ? VerifiedPlugin::Status::ok
                                                       : VerifiedPlugin::Status::changed;
      } catch (const Sha256Error& error) {
        result.status = VerifiedPlugin::Status::unreadable;
        result.problem = error.what();
      }
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace aai::host
