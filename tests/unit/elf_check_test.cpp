// SPDX-License-Identifier: Apache-2.0
// tests/unit/elf_check_test.cpp — the ELF check on handmade headers: a file
// the dynamic loader could map without reading past its end passes; each
// bound it checks refuses with its own cause.
#include "plugins/elf_check.hpp"

#include "elf_header.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace warden::host {
namespace {

using warden::test::TempDir;

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// A 4096-byte shared object: the ELF header, two program headers (a PT_LOAD
// of the first 3968 bytes, a PT_DYNAMIC inside it) and two section headers
// at the end. Each test breaks one field.
struct Image {
    Image() {
        elf = warden::test::shared_object_header(2, 4096 - 2 * sizeof(Elf64_Shdr), 2);
        segments[0].p_type = PT_LOAD;
        segments[0].p_filesz = 3968;
        segments[0].p_memsz = 3968;
        segments[1].p_type = PT_DYNAMIC;
        segments[1].p_offset = 2048;
        segments[1].p_filesz = 256;
        segments[1].p_memsz = 256;
    }

    std::string bytes() const {
        std::string image(size, '\0');
        std::memcpy(image.data(), &elf, std::min(sizeof elf, image.size()));
        if (image.size() >= sizeof elf + sizeof segments)
            std::memcpy(image.data() + sizeof elf, segments, sizeof segments);
        return image;
    }

    Elf64_Ehdr elf{};
    Elf64_Phdr segments[2]{};
    std::size_t size = 4096;
};

class ElfCheck : public ::testing::Test {
protected:
    std::string check(const Image &image) { return check_bytes(image.bytes()); }

    std::string check_bytes(const std::string &bytes) {
        const auto file = dir_ / ("image" + std::to_string(++files_) + ".so");
        warden::test::write_file(file, bytes);
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        EXPECT_GE(fd, 0);
        Result<void> checked = check_elf_file(fd);
        ::close(fd);
        return checked ? "accepted" : checked.error().message;
    }

    TempDir dir_;
    int files_ = 0;
};

std::string past_the_end(const std::string &what, std::uint64_t offset, std::uint64_t length) {
    return what + " (offset " + std::to_string(offset) + ", " + std::to_string(length) +
           " bytes) runs past the end of the file (4096 bytes): truncated or damaged";
}

TEST_F(ElfCheck, accepts_a_shared_object_whose_headers_fit_the_file) {
    EXPECT_EQ(check(Image{}), "accepted");
}

TEST_F(ElfCheck, refuses_a_file_without_the_elf_magic) {
    EXPECT_EQ(check_bytes(""), "not an ELF file: it does not begin with the ELF magic number");
    EXPECT_EQ(check_bytes("\177EL"),
              "not an ELF file: it does not begin with the ELF magic number");
    EXPECT_EQ(check_bytes("#!/bin/sh\necho hello\n"),
              "not an ELF file: it does not begin with the ELF magic number");
}

TEST_F(ElfCheck, refuses_a_file_shorter_than_an_elf_header) {
    Image image;
    image.size = 40;
    EXPECT_EQ(check(image), "truncated: 40 bytes, shorter than an ELF header (64 bytes)");
}

TEST_F(ElfCheck, refuses_another_class_byte_order_version_type_or_machine) {
    Image image;
    image.elf.e_ident[EI_CLASS] = ELFCLASS32;
    EXPECT_EQ(check(image), "ELF class 1; this host loads only 64-bit (ELFCLASS64) files");

    image = Image{};
    const bool little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
    image.elf.e_ident[EI_DATA] = little ? ELFDATA2MSB : ELFDATA2LSB;
    EXPECT_EQ(check(image), little ? "ELF data encoding 2 (big-endian); this host loads only "
                                     "little-endian files"
                                   : "ELF data encoding 1 (little-endian); this host loads only "
                                     "big-endian files");

    image = Image{};
    image.elf.e_version = 0;
    EXPECT_EQ(check(image), "ELF version 1/0; expected 1");

    image = Image{};
    image.elf.e_type = ET_EXEC;
    EXPECT_EQ(check(image), "ELF type 2 (an executable); a plugin is a shared object (ET_DYN)");
    image.elf.e_type = ET_REL;
    EXPECT_EQ(check(image),
              "ELF type 1 (a relocatable object); a plugin is a shared object (ET_DYN)");

    image = Image{};
    image.elf.e_machine = EM_SPARCV9;
    EXPECT_EQ(check(image),
              "built for machine 43 (e_machine); this host is " + std::to_string(warden::test::host_machine()));
}

TEST_F(ElfCheck, refuses_header_and_entry_sizes_of_another_layout) {
    Image image;
    image.elf.e_ehsize = 52;
    EXPECT_EQ(check(image), "ELF header size is 52 bytes; expected 64");

    image = Image{};
    image.elf.e_phentsize = 32;
    EXPECT_EQ(check(image), "program header entries are 32 bytes; expected 56");

    image = Image{};
    image.elf.e_phnum = 0;
    EXPECT_EQ(check(image), "no program headers");

    image = Image{};
    image.elf.e_shentsize = 40;
    EXPECT_EQ(check(image), "section header entries are 40 bytes; expected 64");
}

TEST_F(ElfCheck, refuses_a_program_header_table_past_the_end_of_the_file) {
    Image image;
    image.elf.e_phoff = 4096 - 100;
    EXPECT_EQ(check(image), past_the_end("the program header table", 3996, 112));
    image.elf.e_phoff = kMax - 50;
    EXPECT_EQ(check(image), past_the_end("the program header table", kMax - 50, 112));
    image.elf.e_phoff = 64;
    image.elf.e_phnum = 0xffff;
    EXPECT_EQ(check(image), past_the_end("the program header table", 64, 0xffffull * 56));
}

TEST_F(ElfCheck, refuses_a_load_or_dynamic_segment_past_the_end_of_the_file) {
    Image image;
    image.segments[0].p_filesz = 4097;
    EXPECT_EQ(check(image), past_the_end("PT_LOAD segment 0", 0, 4097));

    image = Image{};
    image.segments[0].p_offset = kMax;
    image.segments[0].p_filesz = 2;
    EXPECT_EQ(check(image), past_the_end("PT_LOAD segment 0", kMax, 2));

    image = Image{};
    image.segments[1].p_offset = 4000;
    EXPECT_EQ(check(image), past_the_end("PT_DYNAMIC segment 1", 4000, 256));

    image = Image{};
    image.segments[1].p_filesz = kMax;
    EXPECT_EQ(check(image), past_the_end("PT_DYNAMIC segment 1", 2048, kMax));
}

TEST_F(ElfCheck, looks_only_at_the_segments_the_loader_maps) {
    Image image;
    image.segments[1].p_type = PT_NOTE;
    image.segments[1].p_offset = kMax;
    EXPECT_EQ(check(image), "accepted");
    image.segments[0].p_type = PT_NOTE;
    EXPECT_EQ(check(image), "no loadable segment (PT_LOAD)");
}

TEST_F(ElfCheck, refuses_a_section_header_table_past_the_end_of_the_file) {
    Image image;
    image.elf.e_shnum = 3;
    EXPECT_EQ(check(image), past_the_end("the section header table", 3968, 192));
    image.elf.e_shoff = kMax;
    EXPECT_EQ(check(image), past_the_end("the section header table", kMax, 192));
    // More than 0xff00 sections: e_shnum is 0 and the count is in the first
    // entry, which must be in the file.
    image.elf.e_shnum = 0;
    image.elf.e_shoff = 4096 - 32;
    EXPECT_EQ(check(image), past_the_end("the section header table", 4064, 64));
    // No section header table: nothing to check, whatever e_shnum says.
    image.elf.e_shoff = 0;
    image.elf.e_shnum = 500;
    EXPECT_EQ(check(image), "accepted");
}

}  // namespace
}  // namespace warden::host
