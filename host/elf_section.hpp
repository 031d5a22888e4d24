// Reads one named section of an ELF file without loading the file, through libelf.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace aai::host {

/// Result of looking for one section of a file.
struct ElfSectionReading {
  enum class Status {
    /// The section exists, and `contents` contains its bytes.
    found,
    /// The file is an ELF file without that section.
    missing,
    /// The file is not an ELF file.
    not_elf,
    /// The file could not be read, or its ELF structure is invalid. `error` contains the reason.
    failed,
  };

  Status status = Status::missing;
  std::string contents;
  std::string error;
};

/// Reads the section named `section_name` from `file`. Every offset and size comes from the file
/// and is checked by libelf before use. A section larger than `max_size` bytes, or a name that
/// occurs twice, is an error. libelf (libelf.so.1 from Debian's libelf1) is loaded on the first
/// call, so a run that never reads a section does not load it.
ElfSectionReading read_elf_section(const std::filesystem::path& file,
                                   const std::string& section_name, size_t max_size);

}  // namespace aai::host
