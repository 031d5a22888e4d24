#include "plugin_loader.hpp"

#include "file_permissions.hpp"
#include "plugin_specs.hpp"
#include "registrar.hpp"

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstddef>
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

const aai_plugin_descriptor_t* open_plugin(const fs::path& file) {
  // Loading runs the library's constructors, so a file that another user could have replaced is
  // refused before anything else reads it.
  if (auto problem = check_plugin_file_permissions(file)) {
    throw std::invalid_argument(*problem);
  }
  if (auto problem = check_elf_file(file)) {
    throw std::invalid_argument(*problem);
  }
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

std::vector<fs::path> plugin_directories(const fs::path& executable_dir,
                                         const char* aai_plugin_path, const char* xdg_data_home,
                                         const char* home) {
  std::vector<fs::path> folders = {executable_dir.parent_path() / "lib" / "aai" / "plugins"};
  std::string path_list = aai_plugin_path != nullptr ? aai_plugin_path : "";
  size_t start = 0;
  while (start <= path_list.size()) {
    size_t colon = std::min(path_list.find(':', start), path_list.size());
    if (colon > start) {
      folders.emplace_back(path_list.substr(start, colon - start));
    }
    start = colon + 1;
  }
  if (xdg_data_home != nullptr && *xdg_data_home != '\0') {
    folders.push_back(fs::path(xdg_data_home) / "aai" / "plugins");
  } else {
    folders.push_back(fs::path(home != nullptr ? home : "") / ".local" / "share" / "aai" /
                      "plugins");
  }
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

bool load_plugin(Application& application, const fs::path& file) {
  try {
    const aai_plugin_descriptor_t* descriptor = open_plugin(file);
    register_plugin(application, file, *descriptor);
    return true;
  } catch (const std::exception& error) {
    application.catalog().skipped.push_back({file, error.what()});
    application.output().warning("skipped plugin " + file.string() + ": " + error.what());
    return false;
  }
}

void load_plugins(Application& application, const std::vector<fs::path>& folders) {
  std::set<fs::path> searched;
  for (const auto& folder : folders) {
    std::error_code error;
    fs::path canonical = fs::weakly_canonical(folder, error);
    if (!searched.insert(error ? folder : canonical).second) {
      continue;
    }
    for (const auto& file : list_plugin_files(folder)) {
      load_plugin(application, file);
    }
  }
}

}  // namespace aai::host
