#include "elf_section.hpp"

#include "plugin_manifest.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <elf.h>

#include <cstring>
#include <random>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::fixture;
using testing::TempDir;
using Status = ElfSectionReading::Status;

constexpr const char* kSection = ".aai_manifest";

// Returns the offset of the section header of `name` in the 64-bit ELF image `bytes`, found by
// reading the headers directly so the tests can damage exactly that header.
size_t section_header_offset(const std::string& bytes, const std::string& name) {
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  Elf64_Shdr names;
  std::memcpy(&names, bytes.data() + header.e_shoff + header.e_shstrndx * sizeof(Elf64_Shdr),
              sizeof names);
  for (size_t index = 0; index < header.e_shnum; ++index) {
    size_t offset = header.e_shoff + index * sizeof(Elf64_Shdr);
    Elf64_Shdr section;
    std::memcpy(&section, bytes.data() + offset, sizeof section);
    if (name == bytes.data() + names.sh_offset + section.sh_name) {
      return offset;
    }
  }
  return 0;
}

TEST(ElfSectionTest, ReadsManifestSection) {
  auto reading = read_elf_section(fixture("fixture_good.so"), kSection, kMaxManifestBytes);

  ASSERT_EQ(reading.status, Status::found) << reading.error;
  EXPECT_TRUE(reading.contents.starts_with(R"({"manifest": 1, "name": "fixture-good")"));
  EXPECT_EQ(reading.contents.back(), '\0');
}

TEST(ElfSectionTest, TellsMissingSectionFromOtherFiles) {
  TempDir dir;
  testing::write_text(dir.path() / "junk.so", "#!/bin/sh\n");
  testing::write_text(dir.path() / "empty.so", "");

  EXPECT_EQ(read_elf_section(fixture("fixture_no_entry.so"), kSection, 100).status,
            Status::missing);
  EXPECT_EQ(read_elf_section(dir.path() / "junk.so", kSection, 100).status, Status::not_elf);
  EXPECT_EQ(read_elf_section(dir.path() / "empty.so", kSection, 100).status, Status::not_elf);
}

TEST(ElfSectionTest, RejectsSectionLargerThanMaximum) {
  auto whole = read_elf_section(fixture("fixture_good.so"), kSection, kMaxManifestBytes);

  auto reading = read_elf_section(fixture("fixture_good.so"), kSection, 10);

  EXPECT_EQ(reading.status, Status::failed);
  EXPECT_EQ(reading.error, "its .aai_manifest section is " + std::to_string(whole.contents.size()) +
                               " bytes, more than the maximum of 10");
}

TEST(ElfSectionTest, ReportsUnreadableFile) {
  TempDir dir;

  auto reading = read_elf_section(dir.path() / "missing.so", kSection, 100);

  EXPECT_EQ(reading.status, Status::failed);
  EXPECT_EQ(reading.error, "could not open the file: No such file or directory");
}

TEST(ElfSectionTest, ReportsDamagedHeaders) {
  TempDir dir;
  std::string good = testing::read_text(fixture("fixture_good.so"));
  size_t manifest_header = section_header_offset(good, kSection);
  ASSERT_NE(manifest_header, 0u);

  std::string truncated = good.substr(0, good.size() / 2);
  std::string outside = good;
  Elf64_Shdr section;
  std::memcpy(&section, outside.data() + manifest_header, sizeof section);
  section.sh_offset = outside.size() - 4;
  std::memcpy(outside.data() + manifest_header, &section, sizeof section);
  std::string bad_name = good;
  std::memcpy(&section, bad_name.data() + manifest_header, sizeof section);
  section.sh_name = 0x7fffffff;
  std::memcpy(bad_name.data() + manifest_header, &section, sizeof section);
  std::string no_bits = good;
  std::memcpy(&section, no_bits.data() + manifest_header, sizeof section);
  section.sh_type = SHT_NOBITS;
  std::memcpy(no_bits.data() + manifest_header, &section, sizeof section);
  // Gives the .dynsym section the manifest section's name, so the name occurs twice.
  std::string twice = good;
  std::memcpy(&section, twice.data() + manifest_header, sizeof section);
  Elf64_Shdr symbols;
  size_t symbols_header = section_header_offset(good, ".dynsym");
  ASSERT_NE(symbols_header, 0u);
  std::memcpy(&symbols, twice.data() + symbols_header, sizeof symbols);
  symbols.sh_name = section.sh_name;
  std::memcpy(twice.data() + symbols_header, &symbols, sizeof symbols);
  testing::write_text(dir.path() / "truncated.so", truncated);
  testing::write_text(dir.path() / "no_bits.so", no_bits);
  testing::write_text(dir.path() / "twice.so", twice);
  testing::write_text(dir.path() / "outside.so", outside);
  testing::write_text(dir.path() / "bad_name.so", bad_name);

  auto cut = read_elf_section(dir.path() / "truncated.so", kSection, kMaxManifestBytes);
  auto past_end = read_elf_section(dir.path() / "outside.so", kSection, kMaxManifestBytes);
  auto no_name = read_elf_section(dir.path() / "bad_name.so", kSection, kMaxManifestBytes);
  auto empty = read_elf_section(dir.path() / "no_bits.so", kSection, kMaxManifestBytes);
  auto two = read_elf_section(dir.path() / "twice.so", kSection, kMaxManifestBytes);

  EXPECT_EQ(cut.status, Status::failed);
  EXPECT_EQ(cut.error, "its section header table lies outside the file");
  EXPECT_EQ(past_end.status, Status::failed);
  EXPECT_EQ(past_end.error, "could not read its .aai_manifest section: invalid section header");
  EXPECT_EQ(no_name.status, Status::failed);
  EXPECT_EQ(no_name.error, "could not read a section name: offset out of range");
  EXPECT_EQ(empty.status, Status::failed);
  EXPECT_EQ(empty.error, "its .aai_manifest section has no contents in the file");
  EXPECT_EQ(two.status, Status::failed);
  EXPECT_EQ(two.error, "it has more than one .aai_manifest section");
}

// Damages random bytes of the headers of a real plugin many times over. Every reading must end
// in one of the four outcomes without crashing; the seed is fixed so a failure repeats.
TEST(ElfSectionTest, SurvivesRandomDamage) {
  TempDir dir;
  std::string good = testing::read_text(fixture("fixture_good.so"));
  Elf64_Ehdr header;
  std::memcpy(&header, good.data(), sizeof header);
  size_t table_start = header.e_shoff;
  size_t table_size = static_cast<size_t>(header.e_shnum) * sizeof(Elf64_Shdr);
  std::mt19937 random(20261205);
  fs::path file = dir.path() / "damaged.so";

  for (int round = 0; round < 300; ++round) {
    std::string damaged = good;
    for (int change = 0; change < 8; ++change) {
      // Half the changes hit the ELF header, half the section header table.
      size_t offset =
          change % 2 == 0 ? random() % sizeof header : table_start + random() % table_size;
      damaged[offset] = static_cast<char>(random());
    }
    testing::write_text(file, damaged);

    auto reading = read_elf_section(file, kSection, kMaxManifestBytes);
    auto manifest = read_plugin_manifest(file);

    EXPECT_LE(reading.contents.size(), kMaxManifestBytes) << "round " << round;
    EXPECT_TRUE(reading.status != Status::failed || !reading.error.empty()) << "round " << round;
    EXPECT_TRUE(manifest.state != ManifestReading::State::invalid || !manifest.problem.empty())
        << "round " << round;
  }
}

}  // namespace
}  // namespace aai::host
