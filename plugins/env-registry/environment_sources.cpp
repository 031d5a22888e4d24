#include "environment_sources.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

namespace env_registry {

namespace fs = std::filesystem;

FolderListing DiskEnvironmentFiles::list(const fs::path& folder) {
  FolderListing listing;
  std::error_code error;
  bool exists = fs::exists(folder, error);
  if (error) {
    listing.error = error.message();
    return listing;
  }
  if (!exists) {
    return listing;
  }
  fs::directory_iterator entries(folder, error);
  if (error) {
    listing.error = error.message();
    return listing;
  }
  for (const auto& entry : entries) {
    std::string name = entry.path().filename().string();
    std::error_code type_error;
    if (name.starts_with(".") || !name.ends_with(".ini") || !entry.is_regular_file(type_error)) {
      continue;
    }
    listing.files.push_back(entry.path());
  }
  std::sort(listing.files.begin(), listing.files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return listing;
}

FileText DiskEnvironmentFiles::read(const fs::path& file) {
  FileText result;
  std::error_code error;
  std::uintmax_t size = fs::file_size(file, error);
  if (error) {
    result.error = error.message();
    return result;
  }
  if (size > kMaxEnvironmentFileSize) {
    result.error = "it is larger than 1 MiB";
    return result;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    result.error = std::error_code(errno, std::generic_category()).message();
    return result;
  }
  result.text = text.str();
  return result;
}

fs::path system_environment_folder(const char* system_config_dir) {
  fs::path base = system_config_dir != nullptr && *system_config_dir != '\0'
                      ? fs::path(system_config_dir)
                      : fs::path("/etc");
  return base / "aai" / "environments.d";
}

fs::path user_environment_folder(const fs::path& config_file) {
  return config_file.parent_path() / "environments.d";
}

FileSettings compiled_in_settings(std::string_view name, VariableLookup lookup) {
  return {std::string(name) + " (compiled in)", "compiled in from " + std::string(name),
          std::move(lookup)};
}

namespace {

void add_file(EnvironmentCatalog& catalog, std::string_view text, const FileSettings& settings) {
  ParsedFile parsed = parse_environment_file(text, settings);
  for (auto& issue : parsed.issues) {
    catalog.warnings.push_back(std::move(issue.warning));
  }
  for (auto& environment : parsed.environments) {
    catalog.all.push_back(std::move(environment));
  }
}

void add_folder(EnvironmentCatalog& catalog, const fs::path& folder, EnvironmentFiles& files,
                const VariableLookup& lookup) {
  FolderListing listing = files.list(folder);
  if (!listing.error.empty()) {
    catalog.warnings.push_back("skipped the folder " + folder.string() + ": " + listing.error);
    return;
  }
  for (const auto& file : listing.files) {
    FileText content = files.read(file);
    if (!content.error.empty()) {
      catalog.warnings.push_back("skipped " + file.string() + ": " + content.error);
      continue;
    }
    add_file(catalog, content.text, {file.string(), file.string(), lookup});
  }
}

}  // namespace

EnvironmentCatalog load_environments(const EnvironmentSources& sources, EnvironmentFiles& files,
                                     const VariableLookup& lookup) {
  EnvironmentCatalog catalog;
  catalog.all = sources.built_in;
  for (const auto& embedded : sources.compiled_in) {
    add_file(catalog, embedded.text, compiled_in_settings(embedded.name, lookup));
  }
  add_folder(catalog, sources.system_folder, files, lookup);
  add_folder(catalog, sources.user_folder, files, lookup);

  for (const auto& environment : catalog.all) {
    auto earlier = std::find_if(catalog.merged.begin(), catalog.merged.end(),
                                [&](const auto& other) { return other.name == environment.name; });
    if (earlier == catalog.merged.end()) {
      catalog.merged.push_back(environment);
      continue;
    }
    catalog.replacements.push_back("environment '" + environment.name + "' from " +
                                   environment.origin + " replaces the one from " +
                                   earlier->origin);
    *earlier = environment;
  }
  return catalog;
}

}  // namespace env_registry
