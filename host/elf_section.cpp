#include "elf_section.hpp"

#include "lazy_library.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace aai::host {

namespace {

// libelf's soname in Debian 12 (package libelf1).
constexpr const char* kLibElfName = "libelf.so.1";

// The libelf functions this file calls, looked up with dlsym. The declarations come from
// libelf-dev's headers, so the types are checked at compile time. The executable does not link
// libelf, because start-up time matters and only `aai plugins list`, `aai plugins install` and a
// start under a plugin policy read sections.
struct LibElf {
  decltype(&::elf_version) version = nullptr;
  decltype(&::elf_begin) begin = nullptr;
  decltype(&::elf_end) end = nullptr;
  decltype(&::elf_kind) kind = nullptr;
  decltype(&::gelf_getehdr) getehdr = nullptr;
  decltype(&::elf_getshdrnum) getshdrnum = nullptr;
  decltype(&::elf_getshdrstrndx) getshdrstrndx = nullptr;
  decltype(&::elf_nextscn) nextscn = nullptr;
  decltype(&::gelf_getshdr) getshdr = nullptr;
  decltype(&::elf_strptr) strptr = nullptr;
  decltype(&::elf_rawdata) rawdata = nullptr;
  decltype(&::elf_errmsg) errmsg = nullptr;
  decltype(&::elf_errno) errnum = nullptr;

  /// Reason the library cannot be used, or empty when every function was found.
  std::string load_error;

  /// Returns libelf's message for error `code`.
  std::string message(int code) const {
    const char* text = errmsg(code);
    return text != nullptr ? text : "unknown libelf error " + std::to_string(code);
  }

  /// Returns libelf's message for its last error, which clears it.
  std::string last_error() const { return message(errnum()); }
};

LibElf load_libelf() {
  LibElf library;
  LazyLibrary elf(kLibElfName);
  elf.resolve("elf_version", library.version);
  elf.resolve("elf_begin", library.begin);
  elf.resolve("elf_end", library.end);
  elf.resolve("elf_kind", library.kind);
  elf.resolve("gelf_getehdr", library.getehdr);
  elf.resolve("elf_getshdrnum", library.getshdrnum);
  elf.resolve("elf_getshdrstrndx", library.getshdrstrndx);
  elf.resolve("elf_nextscn", library.nextscn);
  elf.resolve("gelf_getshdr", library.getshdr);
  elf.resolve("elf_strptr", library.strptr);
  elf.resolve("elf_rawdata", library.rawdata);
  elf.resolve("elf_errmsg", library.errmsg);
  elf.resolve("elf_errno", library.errnum);
  if (elf.error().empty() && library.version(EV_CURRENT) == EV_NONE) {
    elf.fail(std::string(kLibElfName) + " does not support ELF version " +
             std::to_string(EV_CURRENT));
  }
  library.load_error = elf.error();
  return library;
}

const LibElf& libelf() {
  static const LibElf library = load_libelf();
  return library;
}

ElfSectionReading failure(std::string error) {
  ElfSectionReading reading;
  reading.status = ElfSectionReading::Status::failed;
  reading.error = std::move(error);
  return reading;
}

// Walks the section headers of an open ELF file and copies the named section.
ElfSectionReading find_section(const LibElf& library, Elf* elf, const std::string& section_name,
                               size_t max_size) {
  GElf_Ehdr file_header;
  size_t section_count = 0;
  if (library.getehdr(elf, &file_header) == nullptr ||
      library.getshdrnum(elf, &section_count) != 0) {
    return failure("could not read the ELF header: " + library.last_error());
  }
  // libelf reports no sections at all when the section header table lies past the end of the
  // file, which would make a truncated file look like one without the section.
  if ((file_header.e_shoff != 0 && section_count == 0) ||
      (file_header.e_shnum != 0 && section_count != file_header.e_shnum)) {
    return failure("its section header table lies outside the file");
  }
  size_t names_index = 0;
  if (library.getshdrstrndx(elf, &names_index) != 0) {
    return failure("could not read the section headers: " + library.last_error());
  }
  ElfSectionReading reading;
  reading.status = ElfSectionReading::Status::missing;
  library.errnum();  // Clears any earlier error, so the check after the loop reports only new ones.
  for (Elf_Scn* section = library.nextscn(elf, nullptr); section != nullptr;
       section = library.nextscn(elf, section)) {
    GElf_Shdr header;
    if (library.getshdr(section, &header) == nullptr) {
      return failure("could not read a section header: " + library.last_error());
    }
    const char* name = library.strptr(elf, names_index, header.sh_name);
    if (name == nullptr) {
      return failure("could not read a section name: " + library.last_error());
    }
    if (section_name != name) {
      continue;
    }
    if (reading.status == ElfSectionReading::Status::found) {
      return failure("it has more than one " + section_name + " section");
    }
    if (header.sh_type == SHT_NOBITS) {
      return failure("its " + section_name + " section has no contents in the file");
    }
    if (header.sh_size > max_size) {
      return failure("its " + section_name + " section is " + std::to_string(header.sh_size) +
                     " bytes, more than the maximum of " + std::to_string(max_size));
    }
    // libelf checks that the section's offset and size lie inside the file before reading.
    Elf_Data* data = library.rawdata(section, nullptr);
    if (data == nullptr) {
      if (header.sh_size == 0) {
        reading.status = ElfSectionReading::Status::found;
        continue;
      }
      return failure("could not read its " + section_name + " section: " + library.last_error());
    }
    reading.status = ElfSectionReading::Status::found;
    if (data->d_buf != nullptr) {
      reading.contents.assign(static_cast<const char*>(data->d_buf), data->d_size);
    }
  }
  if (int code = library.errnum(); code != 0) {
    return failure("could not read the section headers: " + library.message(code));
  }
  return reading;
}

}  // namespace

ElfSectionReading read_elf_section(const std::filesystem::path& file,
                                   const std::string& section_name, size_t max_size) {
  const LibElf& library = libelf();
  if (!library.load_error.empty()) {
    return failure(library.load_error);
  }
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return failure(std::string("could not open the file: ") + std::strerror(errno));
  }
  // ELF_C_READ reads with pread instead of mapping the file, so a file that shrinks while it is
  // read gives a read error instead of SIGBUS.
  Elf* elf = library.begin(fd, ELF_C_READ, nullptr);
  ElfSectionReading reading;
  if (elf == nullptr) {
    reading = failure("could not read the file: " + library.last_error());
  } else if (library.kind(elf) != ELF_K_ELF) {
    reading.status = ElfSectionReading::Status::not_elf;
  } else {
    reading = find_section(library, elf, section_name, max_size);
  }
  if (elf != nullptr) {
    library.end(elf);
  }
  ::close(fd);
  return reading;
}

}  // namespace aai::host
