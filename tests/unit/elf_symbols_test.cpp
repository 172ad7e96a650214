// SPDX-License-Identifier: Apache-2.0
// tests/unit/elf_symbols_test.cpp — the ELF check's reading of a plugin's
// dynamic symbol table, on handmade files: which symbols count as exported
// besides the entry, how their names are shown (escaped, cut, the first few),
// and a table whose offsets, sizes, links or names do not fit refused with
// its own cause, never read past.
#include "plugins/elf_check.hpp"

#include "elf_header.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

// A namespace of its own: the unity build compiles this file with
// elf_check_test.cpp, whose helpers have the same names.
namespace warden::host::elf_symbols_test {
namespace {

using warden::test::TempDir;

constexpr std::size_t kSize = 8192;
constexpr std::size_t kStringsAt = 256;
constexpr std::size_t kSymbolsAt = 2048;
constexpr Elf64_Half kText = 5;  // the section index defined symbols name

// A shared object of kSize bytes: the ELF header, one PT_LOAD of the whole
// file, a string table at kStringsAt, a symbol table at kSymbolsAt, and
// three section headers at the end: null, .dynsym (linked to 2), .dynstr.
// Each test adds symbols, then breaks what it means to.
struct Image {
    Image() {
        elf = warden::test::shared_object_header(1, kSize - 3 * sizeof(Elf64_Shdr), 3);
        load.p_type = PT_LOAD;
        load.p_filesz = kSize;
        load.p_memsz = kSize;
        sections[1].sh_type = SHT_DYNSYM;
        sections[1].sh_offset = kSymbolsAt;
        sections[1].sh_entsize = sizeof(Elf64_Sym);
        sections[1].sh_link = 2;
        sections[2].sh_type = SHT_STRTAB;
        sections[2].sh_offset = kStringsAt;
        strings.push_back('\0');
        symbols.push_back(Elf64_Sym{});  // index 0: the null symbol
        add("warden_plugin_entry");
    }

    // A symbol named `name`; by default a global function defined here.
    Elf64_Sym &add(const std::string &name, unsigned char binding = STB_GLOBAL,
                   Elf64_Half section = kText, unsigned char visibility = STV_DEFAULT) {
        Elf64_Sym symbol{};
        symbol.st_name = static_cast<Elf64_Word>(strings.size());
        strings.append(name).push_back('\0');
        symbol.st_info = ELF64_ST_INFO(binding, STT_FUNC);
        symbol.st_other = visibility;
        symbol.st_shndx = section;
        symbols.push_back(symbol);
        return symbols.back();
    }

    std::string bytes() {
        if (sections[1].sh_size == 0) sections[1].sh_size = symbols.size() * sizeof(Elf64_Sym);
        if (sections[2].sh_size == 0) sections[2].sh_size = strings.size();
        std::string image(kSize, '\0');
        std::memcpy(image.data(), &elf, sizeof elf);
        std::memcpy(image.data() + elf.e_phoff, &load, sizeof load);
        std::memcpy(image.data() + kStringsAt, strings.data(), strings.size());
        std::memcpy(image.data() + kSymbolsAt, symbols.data(), symbols.size() * sizeof(Elf64_Sym));
        std::memcpy(image.data() + kSize - sizeof sections, sections, sizeof sections);
        return image;
    }

    Elf64_Ehdr elf{};
    Elf64_Phdr load{};
    Elf64_Shdr sections[3]{};
    std::string strings;
    std::vector<Elf64_Sym> symbols;
};

class ElfSymbols : public ::testing::Test {
protected:
    Result<ElfFacts> inspect(Image &image) {
        const auto file = dir_ / ("image" + std::to_string(++files_) + ".so");
        warden::test::write_file(file, image.bytes());
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        EXPECT_GE(fd, 0);
        Result<ElfFacts> facts = inspect_elf_file(fd);
        // check_elf_file refuses exactly what inspect_elf_file refuses.
        Result<void> checked = check_elf_file(fd);
        EXPECT_EQ(checked.ok(), facts.ok());
        if (!checked && !facts) {
            EXPECT_EQ(checked.error().message, facts.error().message);
        }
        ::close(fd);
        return facts;
    }

    // The warning, or the refusal's cause, or "no warning".
    std::string outcome(Image &image) {
        Result<ElfFacts> facts = inspect(image);
        if (!facts) return "refused: " + facts.error().message;
        return extra_symbols_warning(facts.value()).value_or("no warning");
    }

    TempDir dir_;
    int files_ = 0;
};

constexpr const char *kRisk =
    " can clash with symbols of the same name in the host or in other plugins; build it with "
    "-fvisibility=hidden, or with warden_add_plugin from the SDK's CMake package";

TEST_F(ElfSymbols, the_entry_alone_gives_no_warning) {
    Image image;
    EXPECT_EQ(outcome(image), "no warning");
}

TEST_F(ElfSymbols, counts_defined_visible_global_weak_and_unique_symbols_only) {
    Image image;
    image.add("helper");
    image.add("undefined_here", STB_GLOBAL, SHN_UNDEF);
    image.add("WARDEN_1.0", STB_GLOBAL, SHN_ABS);  // a version definition, as GNU ld writes it
    image.add("local_one", STB_LOCAL);
    image.add("hidden_one", STB_GLOBAL, kText, STV_HIDDEN);
    image.add("internal_one", STB_GLOBAL, kText, STV_INTERNAL);
    image.add("weak_one", STB_WEAK);
    image.add("unique_one", STB_GNU_UNIQUE);
    image.add("protected_one", STB_GLOBAL, kText, STV_PROTECTED);
    for (const char *toolchain : {"_init", "_fini", "_end", "_edata", "__bss_start"})
        image.add(toolchain);
    Result<ElfFacts> facts = inspect(image);
    ASSERT_TRUE(facts) << facts.error().message;
    EXPECT_EQ(facts->extra_symbol_count, 4u);
    EXPECT_EQ(facts->extra_symbols,
              (std::vector<std::string>{"helper", "weak_one", "unique_one", "protected_one"}));
    EXPECT_EQ(extra_symbols_warning(facts.value()),
              "exports 4 symbols besides warden_plugin_entry (helper, weak_one, unique_one, "
              "protected_one): they" +
                  std::string(kRisk));
}

TEST_F(ElfSymbols, one_symbol_is_named_in_the_singular) {
    Image image;
    image.add("helper");
    EXPECT_EQ(outcome(image),
              "exports 1 symbol besides warden_plugin_entry (helper): it" + std::string(kRisk));
}

TEST_F(ElfSymbols, names_the_first_five_and_counts_the_rest) {
    Image image;
    for (int i = 1; i <= 8; ++i) image.add("f" + std::to_string(i));
    EXPECT_EQ(
        outcome(image),
        "exports 8 symbols besides warden_plugin_entry (f1, f2, f3, f4, f5 and 3 more): they" +
            std::string(kRisk));
}

TEST_F(ElfSymbols, names_a_symbol_defined_in_two_versions_once) {
    Image image;
    image.add("twice");
    image.add("twice");
    EXPECT_EQ(outcome(image),
              "exports 2 symbols besides warden_plugin_entry (twice and 1 more): they" +
                  std::string(kRisk));
}

TEST_F(ElfSymbols, escapes_and_cuts_the_names_it_shows) {
    Image image;
    image.add("red\x1b[31m\nforged line");
    image.add(std::string(200, 'x'));
    image.add(std::string(64, 'y'));
    Result<ElfFacts> facts = inspect(image);
    ASSERT_TRUE(facts) << facts.error().message;
    EXPECT_EQ(facts->extra_symbol_count, 3u);
    EXPECT_EQ(facts->extra_symbols,
              (std::vector<std::string>{"red\\x1b[31m\\x0aforged line",
                                        std::string(64, 'x') + "...", std::string(64, 'y')}));
    // A name longer than what is read of it is never taken for the entry.
    Image long_entry;
    long_entry.add("warden_plugin_entry" + std::string(100, '_'));
    EXPECT_EQ(inspect(long_entry)->extra_symbol_count, 1u);
}

TEST_F(ElfSymbols, a_file_without_section_headers_or_dynamic_symbols_gives_no_warning) {
    Image image;
    image.add("helper");
    image.elf.e_shoff = 0;
    EXPECT_EQ(outcome(image), "no warning");

    Image no_dynsym;
    no_dynsym.add("helper");
    no_dynsym.sections[1].sh_type = SHT_SYMTAB;  // the static table: not what is exported
    EXPECT_EQ(outcome(no_dynsym), "no warning");
}

TEST_F(ElfSymbols, reads_a_section_count_kept_in_the_first_entry) {
    Image image;
    image.add("helper");
    image.elf.e_shnum = 0;
    image.sections[0].sh_size = 3;
    EXPECT_EQ(outcome(image),
              "exports 1 symbol besides warden_plugin_entry (helper): it" + std::string(kRisk));

    image.sections[0].sh_size = 4;  // one more entry than the file holds
    EXPECT_EQ(outcome(image),
              "refused: the section header table (offset 8000, 256 bytes) runs past the end of "
              "the file (8192 bytes): truncated or damaged");

    image.sections[0].sh_size = std::uint64_t{1} << 60;
    EXPECT_EQ(outcome(image),
              "refused: the section header table claims 1152921504606846976 sections, more than "
              "any file holds: damaged");
}

TEST_F(ElfSymbols, refuses_a_symbol_table_of_another_layout) {
    Image image;
    image.sections[1].sh_entsize = 16;
    EXPECT_EQ(outcome(image),
              "refused: the dynamic symbol table (section 1) has entries of 16 bytes; expected 24");

    image = Image{};
    image.sections[1].sh_size = 2 * sizeof(Elf64_Sym) + 5;
    EXPECT_EQ(outcome(image),
              "refused: the dynamic symbol table (section 1) is 53 bytes, not a whole number of "
              "24-byte entries");
}

TEST_F(ElfSymbols, refuses_a_symbol_or_string_table_past_the_end_of_the_file) {
    Image image;
    image.sections[1].sh_size =
        (kSize - kSymbolsAt) / sizeof(Elf64_Sym) * sizeof(Elf64_Sym) + sizeof(Elf64_Sym);
    EXPECT_EQ(outcome(image),
              "refused: the dynamic symbol table (section 1) (offset 2048, 6168 bytes) runs past "
              "the end of the file (8192 bytes): truncated or damaged");

    image = Image{};
    image.sections[1].sh_offset = ~std::uint64_t{0} - 10;
    EXPECT_EQ(outcome(image),
              "refused: the dynamic symbol table (section 1) (offset 18446744073709551605, 48 "
              "bytes) runs past the end of the file (8192 bytes): truncated or damaged");

    image = Image{};
    image.sections[2].sh_size = kSize;
    EXPECT_EQ(outcome(image),
              "refused: its string table (section 2) (offset 256, 8192 bytes) runs past the end "
              "of the file (8192 bytes): truncated or damaged");
}

TEST_F(ElfSymbols, refuses_a_symbol_table_linked_to_anything_but_a_string_table) {
    Image image;
    image.sections[1].sh_link = 3;
    EXPECT_EQ(outcome(image),
              "refused: the dynamic symbol table (section 1) names section 3 as its string "
              "table, of 3 sections");
    image.sections[1].sh_link = 0;
    EXPECT_EQ(outcome(image),
              "refused: the dynamic symbol table (section 1) names section 0 as its string "
              "table, of 3 sections");
    image.sections[1].sh_link = 1;
    EXPECT_EQ(outcome(image),
              "refused: the dynamic symbol table (section 1) names section 1 as its string "
              "table, which is of type 11, not SHT_STRTAB");
}

TEST_F(ElfSymbols, refuses_a_name_outside_its_string_table) {
    Image image;
    image.add("helper").st_name = 4000;
    EXPECT_EQ(outcome(image),
              "refused: symbol 2 of the dynamic symbol table has its name at offset 4000, "
              "outside its string table (28 bytes)");

    // The string table ends in the middle of the last name: no NUL in it.
    Image cut;
    cut.add("helper");
    cut.sections[2].sh_size = cut.strings.size() - 3;
    EXPECT_EQ(outcome(cut),
              "refused: symbol 2 of the dynamic symbol table has a name that runs past the end "
              "of its string table");
}

TEST_F(ElfSymbols, an_undefined_or_local_symbol_with_a_broken_name_is_never_read) {
    Image image;
    image.add("undefined", STB_GLOBAL, SHN_UNDEF).st_name = 0xffffffff;
    image.add("local", STB_LOCAL).st_name = 0xffffffff;
    EXPECT_EQ(outcome(image), "no warning");
}

}  // namespace
}  // namespace warden::host::elf_symbols_test
