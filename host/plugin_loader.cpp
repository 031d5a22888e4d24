#include "plugin_loader.hpp"

#include "file_permissions.hpp"
#include "plugin_manifest.hpp"
#include "plugin_specs.hpp"
#include "registrar.hpp"
#include "sha256.hpp"

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <set>
#include <stdexcept>

#include <dlfcn.h>
#include <elf.h>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

// Plugins are never unloaded: their code may still be referenced by registered callbacks and
// static destructors until exit. The list is reachable from this pointer, so leak checkers do
// not report it.
std::deque<boost::dll::shared_library>& loaded_libraries() {
  static auto* libraries = new std::deque<boost::dll::shared_library>();
  return *libraries;
}

std::string version_text(const aai_abi_version_t& version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor) + "." +
         std::to_string(version.patch);
}

// Checks the object type and that the section and program header tables fit in the file.
template <typename Header>
std::optional<std::string> check_elf_header(const std::string& bytes, uint64_t file_size) {
  if (bytes.size() < sizeof(Header)) {
    return "truncated ELF file (" + std::to_string(file_size) + " bytes)";
  }
  Header header;
  std::memcpy(&header, bytes.data(), sizeof header);
  if (header.e_type != ET_DYN) {
    return "not a shared library (ELF type " + std::to_string(header.e_type) + ")";
  }
  uint64_t sections_end = static_cast<uint64_t>(header.e_shoff) +
                          static_cast<uint64_t>(header.e_shnum) * header.e_shentsize;
  uint64_t segments_end = static_cast<uint64_t>(header.e_phoff) +
                          static_cast<uint64_t>(header.e_phnum) * header.e_phentsize;
  uint64_t needed = std::max(sections_end, segments_end);
  if (needed > file_size) {
    return "truncated ELF file (" + std::to_string(file_size) + " bytes, its headers need " +
           std::to_string(needed) + ")";
  }
  return std::nullopt;
}

// Reads only the ELF header, so checking a large plugin costs no more than a small one.
std::string read_header(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::string bytes(sizeof(Elf64_Ehdr), '\0');
  stream.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(stream.gcount()));
  return bytes;
}

// Returns the text of dlerror() after Boost.DLL's load failed, without the file name prefix.
std::string load_failure_reason(const fs::path& file) {
  const char* text = dlerror();
  std::string reason = text != nullptr ? text : "dlopen failed";
  std::string prefix = file.string() + ": ";
  if (reason.rfind(prefix, 0) == 0) {
    reason.erase(0, prefix.size());
  }
  return "could not be loaded: " + reason;
}

const aai_plugin_descriptor_t* check_descriptor(const aai_plugin_descriptor_t* descriptor) {
  if (descriptor == nullptr) {
    throw std::invalid_argument("aai_plugin_entry returned no descriptor");
  }
  if (descriptor->struct_size <
      offsetof(aai_plugin_descriptor_t, register_plugin) + sizeof descriptor->register_plugin) {
    throw std::invalid_argument("its descriptor is too small (" +
                                std::to_string(descriptor->struct_size) + " bytes)");
  }
  const aai_abi_version_t& abi = descriptor->abi_version;
  std::string host_abi =
      std::to_string(AAI_ABI_VERSION_MAJOR) + "." + std::to_string(AAI_ABI_VERSION_MINOR);
  if (abi.major != AAI_ABI_VERSION_MAJOR) {
    throw std::invalid_argument("built for plugin ABI " + version_text(abi) +
                                ", but this aai supports ABI " + host_abi + ".x only");
  }
  if (abi.minor > AAI_ABI_VERSION_MINOR) {
    throw std::invalid_argument("built for plugin ABI " + version_text(abi) +
                                ", newer than this aai's ABI " + host_abi + "; update aai");
  }
  std::string name = descriptor->name != nullptr ? descriptor->name : "";
  if (!is_valid_word(name)) {
    throw std::invalid_argument("invalid plugin name '" + name + "'");
  }
  if (descriptor->version == nullptr || descriptor->register_plugin == nullptr) {
    throw std::invalid_argument("its descriptor has no version or no register_plugin");
  }
  return descriptor;
}

// The SHA-256 of one plugin file, computed at most once however many checks need it.
class FileDigest {
 public:
  explicit FileDigest(const fs::path& file) : file_(file) {}

  const std::string& get() {
    if (!digest_) {
      try {
        digest_ = sha256_file_hex(file_);
      } catch (const Sha256Error& error) {
        throw std::invalid_argument(std::string("could not compute its SHA-256: ") + error.what());
      }
    }
    return *digest_;
  }

 private:
  const fs::path& file_;
  std::optional<std::string> digest_;
};

// Rejects an installed file whose contents differ from what `aai plugins install` recorded.
void check_install_record(const InstalledPlugin* record, FileDigest& digest) {
  if (record == nullptr || digest.get() == record->sha256) {
    return;
  }
  throw std::invalid_argument(
      "it changed since it was installed (SHA-256 " + short_digest(record->sha256) + " recorded, " +
      short_digest(digest.get()) + " now); reinstall it with `aai plugins install --force " +
      record->source + "` or remove it with `aai plugins remove " + record->name + "`");
}

// Applies the policy from the file's bytes and manifest alone. Returns the manifest name the
// policy allowed the file by, which its descriptor must then carry, or nullopt when the name
// does not matter.
std::optional<std::string> check_policy(const fs::path& file, const PluginFileChecks& checks,
                                        FileDigest& digest) {
  if (checks.policy == nullptr) {
    return std::nullopt;
  }
  switch (checks.policy->state) {
    case PolicyReading::State::none:
      return std::nullopt;
    case PolicyReading::State::invalid:
      // Failing closed for every folder would leave aai without any command. The plugins that
      // came with aai therefore still load, and everything else waits for a valid policy.
      if (!checks.in_builtin_folder) {
        throw std::invalid_argument(invalid_policy_reason(*checks.policy, checks.builtin_folder));
      }
      return std::nullopt;
    case PolicyReading::State::in_force:
      break;
  }
  ManifestReading manifest = read_plugin_manifest(file);
  std::optional<std::string> manifest_name;
  if (manifest.state == ManifestReading::State::valid) {
    manifest_name = manifest.manifest.name;
  }
  switch (decide_by_policy(checks.policy->policy, manifest_name, [&] { return digest.get(); })) {
    case PolicyVerdict::allowed_by_name:
      return manifest_name;
    case PolicyVerdict::allowed_by_sha256:
      return std::nullopt;
    case PolicyVerdict::not_allowed:
      break;
  }
  throw std::invalid_argument(not_allowed_reason(*checks.policy));
}

// A file in a plugin folder that is no ELF shared library at all, such as a stray text file. Its
// warning adds a next step, because no rebuild or reinstall fixes it.
class NotAPluginLibrary : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Runs every check that needs none of the file's code: owner and permissions, the install
// record, the ELF headers and the policy. Returns the name the policy allowed the file by, as
// check_policy does; throws std::invalid_argument with the reason the file is skipped.
std::optional<std::string> check_before_loading(const fs::path& file,
                                                const PluginFileChecks& checks) {
  // Loading runs the library's constructors, so a file that another user could have replaced is
  // refused before anything else reads it.
  if (auto problem = check_plugin_file_permissions(file)) {
    throw std::invalid_argument(*problem);
  }
  // An installed file that changed is reported as changed, before any other check of its
  // contents can report a consequence of the change.
  FileDigest digest(file);
  check_install_record(checks.record, digest);
  if (auto problem = check_elf_file(file)) {
    throw NotAPluginLibrary(*problem);
  }
  return check_policy(file, checks, digest);
}

const aai_plugin_descriptor_t* open_plugin(const fs::path& file, const PluginFileChecks& checks) {
  // NOTE: the file is checked here and loaded by path below, so a file replaced in between loads
  // unchecked. The permission check leaves only this user and root able to do that.
  std::optional<std::string> allowed_name = check_before_loading(file, checks);
  boost::dll::shared_library library;
  std::error_code error;
  library.load(file, error, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
  if (error) {
    throw std::invalid_argument(load_failure_reason(file));
  }
  if (!library.has(AAI_PLUGIN_ENTRY_SYMBOL)) {
    throw std::invalid_argument(std::string("no ") + AAI_PLUGIN_ENTRY_SYMBOL + " symbol");
  }
  auto& entry = library.get<const aai_plugin_descriptor_t*()>(AAI_PLUGIN_ENTRY_SYMBOL);
  const aai_plugin_descriptor_t* descriptor = check_descriptor(entry());
  // Any file can claim an allowed name in its manifest. The descriptor's name is the one the
  // plugin registers under, so it must be the name the policy allowed.
  // NOTE: by now the file's constructors and entry point have run; only allow_sha256 keeps
  // unknown code from running.
  if (allowed_name && *allowed_name != descriptor->name) {
    throw std::invalid_argument(std::string("its descriptor names it '") + descriptor->name +
                                "', but the plugin policy allowed it by the name '" +
                                *allowed_name + "' in its manifest");
  }
  loaded_libraries().push_back(std::move(library));
  return descriptor;
}

std::string registration_failure(aai_status_t status, const Registration& registration,
                                 const std::vector<std::string>& errors) {
  if (!registration.rejection.empty()) {
    return "invalid registration: " + registration.rejection;
  }
  std::string reason = "register_plugin failed (status " + std::to_string(status) + ")";
  if (!errors.empty()) {
    reason += ": " + errors.back();
  }
  return reason;
}

void register_plugin(Application& application, const fs::path& file,
                     const aai_plugin_descriptor_t& descriptor) {
  if (const LoadedPlugin* existing = application.catalog().find(descriptor.name)) {
    throw std::invalid_argument("a plugin named '" + existing->name + "' is already loaded from " +
                                existing->file.string());
  }
  PluginHost& host = application.create_plugin_host(descriptor.name);
  Registration registration;
  registration.host = &host;
  registration.file = file;
  aai_registrar_t registrar = make_registrar(registration);
  std::vector<std::string> errors;
  host.captured_errors = &errors;
  aai_status_t status = AAI_STATUS_ERROR;
  try {
    status = descriptor.register_plugin(&host.raw, &registrar);
  } catch (const std::exception& error) {
    errors.push_back(std::string("it threw: ") + error.what());
  } catch (...) {
    errors.push_back("it threw an unknown exception");
  }
  host.captured_errors = nullptr;
  if (status != AAI_STATUS_OK || !registration.rejection.empty()) {
    throw std::invalid_argument(registration_failure(status, registration, errors));
  }
  for (const auto& line : errors) {
    application.log().write(host.plugin_name, AAI_LOG_ERROR, line);
  }

  LoadedPlugin plugin;
  plugin.name = descriptor.name;
  plugin.version = descriptor.version;
  plugin.summary = descriptor.summary != nullptr ? descriptor.summary : "";
  plugin.abi_version = descriptor.abi_version;
  plugin.file = file;
  plugin.commands = commit_registration(application, registration);
  application.log().write(
      "aai", AAI_LOG_DEBUG,
      "loaded plugin " + plugin.name + " " + plugin.version + " from " + file.string());
  application.catalog().loaded.push_back(std::move(plugin));
}

}  // namespace

fs::path builtin_plugin_folder(const fs::path& executable_dir) {
  return executable_dir.parent_path() / "lib" / "aai" / "plugins";
}

fs::path user_plugin_folder(const char* xdg_data_home, const char* home) {
  if (xdg_data_home != nullptr && *xdg_data_home != '\0') {
    return fs::path(xdg_data_home) / "aai" / "plugins";
  }
  return fs::path(home != nullptr ? home : "") / ".local" / "share" / "aai" / "plugins";
}

PluginLoadRules plugin_load_rules_from_environment() {
  std::error_code error;
  fs::path executable = fs::read_symlink("/proc/self/exe", error);
  PluginLoadRules rules;
  rules.policy = read_plugin_policy(plugin_policy_path(std::getenv("AAI_SYSTEM_CONFIG_DIR")));
  rules.builtin_folder = builtin_plugin_folder(executable.parent_path());
  rules.user_folder = user_plugin_folder(std::getenv("XDG_DATA_HOME"), std::getenv("HOME"));
  return rules;
}

std::vector<fs::path> plugin_directories(const fs::path& executable_dir,
                                         const char* aai_plugin_path, const char* xdg_data_home,
                                         const char* home) {
  std::vector<fs::path> folders = {builtin_plugin_folder(executable_dir)};
  std::string path_list = aai_plugin_path != nullptr ? aai_plugin_path : "";
  size_t start = 0;
  while (start <= path_list.size()) {
    size_t colon = std::min(path_list.find(':', start), path_list.size());
    if (colon > start) {
      folders.emplace_back(path_list.substr(start, colon - start));
    }
    start = colon + 1;
  }
  folders.push_back(user_plugin_folder(xdg_data_home, home));
  return folders;
}

std::vector<fs::path> list_plugin_files(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".so" && it->is_regular_file(error)) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::string> check_elf_file(const fs::path& file) {
  std::string bytes = read_header(file);
  std::error_code error;
  uint64_t file_size = fs::file_size(file, error);
  if (bytes.size() < EI_NIDENT || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) {
    return "not an ELF shared library";
  }
  if (bytes[EI_CLASS] == ELFCLASS64) {
    return check_elf_header<Elf64_Ehdr>(bytes, file_size);
  }
  if (bytes[EI_CLASS] == ELFCLASS32) {
    return check_elf_header<Elf32_Ehdr>(bytes, file_size);
  }
  return "unknown ELF class " + std::to_string(static_cast<int>(bytes[EI_CLASS]));
}

namespace {

// Returns the manifest's "MAJOR.MINOR" as a version when this host could load a plugin built for
// it, or nullopt (the full load then reports why it cannot).
std::optional<aai_abi_version_t> loadable_abi(const std::string& abi) {
  size_t dot = abi.find('.');
  unsigned long major = std::stoul(abi.substr(0, dot));
  unsigned long minor = std::stoul(abi.substr(dot + 1));
  if (major != AAI_ABI_VERSION_MAJOR || minor > AAI_ABI_VERSION_MINOR) {
    return std::nullopt;
  }
  return aai_abi_version_t{static_cast<uint32_t>(major), static_cast<uint32_t>(minor), 0};
}

// Adds the plugin and its commands to the catalog and the command registry from its manifest
// alone. The commands can be listed but not run, which is all the main help needs.
void add_described_plugin(Application& application, const fs::path& file,
                          const PluginManifest& manifest, const aai_abi_version_t& abi) {
  if (const LoadedPlugin* existing = application.catalog().find(manifest.name)) {
    throw std::invalid_argument("a plugin named '" + existing->name + "' is already loaded from " +
                                existing->file.string());
  }
  LoadedPlugin plugin;
  plugin.name = manifest.name;
  plugin.version = manifest.version;
  plugin.summary = manifest.summary;
  plugin.abi_version = abi;
  plugin.file = file;
  plugin.commands = manifest.commands;
  plugin.described_by_manifest = true;
  for (const auto& name : manifest.commands) {
    Command command;
    command.spec.name = name;
    command.spec.summary = manifest.summaries.at(name);
    command.plugin_name = manifest.name;
    command.plugin_file = file;
    command.run = [name](const ParsedCommandLine&) -> int {
      throw CliError(1, "internal_error",
                     "The command '" + name +
                         "' was listed from its plugin's manifest and "
                         "cannot run in this process.");
    };
    if (const Command* existing = application.commands().add(std::move(command))) {
      application.output().warning(command_conflict_warning(existing->plugin_file, file, name));
    }
  }
  application.log().write("aai", AAI_LOG_DEBUG,
                          "listed plugin " + plugin.name + " " + plugin.version +
                              " from the manifest of " + file.string() + " without loading it");
  application.catalog().loaded.push_back(std::move(plugin));
}

void skip_plugin(Application& application, const fs::path& file, const std::exception& error) {
  std::string reason = error.what();
  application.catalog().skipped.push_back({file, reason});
  std::string warning = "skipped plugin " + file.string() + ": " + reason;
  if (dynamic_cast<const NotAPluginLibrary*>(&error) != nullptr) {
    warning += ". Remove it or move it out of " + file.parent_path().string() + ".";
  }
  application.output().warning(warning);
}

}  // namespace

bool describe_plugin(Application& application, const fs::path& file,
                     const PluginFileChecks& checks) {
  try {
    std::optional<std::string> allowed_name = check_before_loading(file, checks);
    ManifestReading reading = read_plugin_manifest(file);
    if (reading.state == ManifestReading::State::valid &&
        reading.manifest.summarises_every_command() &&
        (!allowed_name || *allowed_name == reading.manifest.name)) {
      if (auto abi = loadable_abi(reading.manifest.abi)) {
        add_described_plugin(application, file, reading.manifest, *abi);
        return true;
      }
    }
  } catch (const std::exception& error) {
    skip_plugin(application, file, error);
    return false;
  }
  return load_plugin(application, file, checks);
}

bool load_plugin(Application& application, const fs::path& file, const PluginFileChecks& checks) {
  try {
    const aai_plugin_descriptor_t* descriptor = open_plugin(file, checks);
    register_plugin(application, file, *descriptor);
    return true;
  } catch (const std::exception& error) {
    skip_plugin(application, file, error);
    return false;
  }
}

namespace {

fs::path canonical_or_same(const fs::path& folder) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(folder, error);
  return error ? folder : canonical;
}

// Returns the records of the user folder. A file that cannot be read or parsed gives one warning
// and no records, so the folder's plugins load as if copied there by hand. The record detects
// accidental change, not this user, who can edit it as well.
std::vector<InstalledPlugin> read_records_or_warn(Application& application,
                                                  const fs::path& folder) {
  try {
    return read_installed_plugins(folder);
  } catch (const InvalidInstalledPlugins& error) {
    application.output().warning(std::string("ignored the install record: ") + error.what() +
                                 "; the plugins in " + folder.string() +
                                 " load without their SHA-256 check until it is fixed or removed");
    return {};
  }
}

}  // namespace

void load_plugins(Application& application, const std::vector<fs::path>& folders,
                  const PluginLoadRules& rules) {
  PluginCatalog& catalog = application.catalog();
  catalog.policy = rules.policy;
  catalog.builtin_folder = rules.builtin_folder;
  catalog.user_folder = rules.user_folder;
  if (catalog.policy.state == PolicyReading::State::invalid) {
    application.output().warning("the plugin policy " + catalog.policy.file.string() +
                                 " is invalid (" + catalog.policy.problem +
                                 "); until it is fixed, only the plugins in " +
                                 rules.builtin_folder.string() + " load");
  }
  fs::path builtin_folder = canonical_or_same(rules.builtin_folder);
  fs::path user_folder = canonical_or_same(rules.user_folder);
  std::set<fs::path> searched;
  for (const auto& folder : folders) {
    fs::path canonical = canonical_or_same(folder);
    if (!searched.insert(canonical).second) {
      continue;
    }
    std::vector<fs::path> files = list_plugin_files(folder);
    std::vector<InstalledPlugin> records;
    // Only installed plugins are hashed, so a start without any costs no more than before.
    if (canonical == user_folder && !files.empty()) {
      records = read_records_or_warn(application, folder);
    }
    PluginFileChecks checks;
    checks.policy = &catalog.policy;
    checks.builtin_folder = rules.builtin_folder;
    checks.in_builtin_folder = canonical == builtin_folder;
    for (const auto& file : files) {
      std::string file_name = file.filename().string();
      checks.record = nullptr;
      for (const auto& record : records) {
        if (record.file_name() == file_name) {
          checks.record = &record;
        }
      }
      if (rules.describe_from_manifests) {
        describe_plugin(application, file, checks);
      } else {
        load_plugin(application, file, checks);
      }
    }
  }
}

void load_plugins(Application& application, const std::vector<fs::path>& folders) {
  load_plugins(application, folders, plugin_load_rules_from_environment());
}

}  // namespace aai::host
