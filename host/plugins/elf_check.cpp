// SPDX-License-Identifier: Apache-2.0
// host/plugins/elf_check.cpp
#include "plugins/elf_check.hpp"

#include <warden/plugin.h>
#include <warden/validation.hpp>

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace warden::host {
namespace {

#if defined(__x86_64__)
constexpr unsigned kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kHostMachine = EM_AARCH64;
#elif defined(__riscv) && __riscv_xlen == 64
constexpr unsigned kHostMachine = EM_RISCV;
#elif defined(__powerpc64__)
constexpr unsigned kHostMachine = EM_PPC64;
#elif defined(__s390x__)
constexpr unsigned kHostMachine = EM_S390;
#elif defined(__loongarch64)
constexpr unsigned kHostMachine = EM_LOONGARCH;
#else
#error "the ELF check does not know this host's e_machine"
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char kHostData = ELFDATA2LSB;
#else
constexpr unsigned char kHostData = ELFDATA2MSB;
#endif

std::string number(std::uint64_t value) {
    return std::to_string(value);
}

std::string byte_order_name(unsigned data) {
    if (data == ELFDATA2LSB) return "little-endian";
    if (data == ELFDATA2MSB) return "big-endian";
    return "unknown";
}

std::string type_name(unsigned type) {
    switch (type) {
        case ET_NONE: return "no type";
        case ET_REL: return "a relocatable object";
        case ET_EXEC: return "an executable";
        case ET_CORE: return "a core file";
        default: return "unknown";
    }
}

// Reads `length` bytes at `offset`, or fewer at the end of the file.
Result<std::size_t> read_at(int fd, void *buffer, std::size_t length, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < length) {
        const ssize_t got = ::pread(fd, static_cast<char *>(buffer) + done, length - done,
                                    static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return fail("cannot be read: ", std::generic_category().message(errno));
        if (got == 0) break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}

// `what` covers bytes [offset, offset + length) of a file of `size` bytes,
// the sum taken without overflow.
Result<void> inside_file(const std::string &what, std::uint64_t offset, std::uint64_t length,
                         std::uint64_t size) {
    std::uint64_t end = 0;
    if (__builtin_add_overflow(offset, length, &end) || end > size)
        return fail(what, " (offset ", number(offset), ", ", number(length),
                    " bytes) runs past the end of the file (", number(size),
                    " bytes): truncated or damaged");
    return {};
}

Result<void> check_identity(const Elf64_Ehdr &header) {
    const unsigned char *ident = header.e_ident;
    if (ident[EI_CLASS] != ELFCLASS64)
        return fail("ELF class ", number(ident[EI_CLASS]),
                    "; this host loads only 64-bit (ELFCLASS64) files");
    if (ident[EI_DATA] != kHostData)
        return fail("ELF data encoding ", number(ident[EI_DATA]), " (",
                    byte_order_name(ident[EI_DATA]), "); this host loads only ",
                    byte_order_name(kHostData), " files");
    if (ident[EI_VERSION] != EV_CURRENT || header.e_version != EV_CURRENT)
        return fail("ELF version ", number(ident[EI_VERSION]), "/", number(header.e_version),
                    "; expected ", number(EV_CURRENT));
    if (header.e_type != ET_DYN)
        return fail("ELF type ", number(header.e_type), " (", type_name(header.e_type),
                    "); a plugin is a shared object (ET_DYN)");
    if (header.e_machine != kHostMachine)
        return fail("built for machine ", number(header.e_machine), " (e_machine); this host is ",
                    number(kHostMachine));
    return {};
}

Result<void> check_sizes(const Elf64_Ehdr &header) {
    if (header.e_ehsize != sizeof(Elf64_Ehdr))
        return fail("ELF header size is ", number(header.e_ehsize), " bytes; expected ",
                    number(sizeof(Elf64_Ehdr)));
    if (header.e_phentsize != sizeof(Elf64_Phdr))
        return fail("program header entries are ", number(header.e_phentsize), " bytes; expected ",
                    number(sizeof(Elf64_Phdr)));
    if (header.e_phnum == 0) return fail("no program headers");
    if (header.e_shoff != 0 && header.e_shentsize != sizeof(Elf64_Shdr))
        return fail("section header entries are ", number(header.e_shentsize), " bytes; expected ",
                    number(sizeof(Elf64_Shdr)));
    return {};
}

// What the dynamic loader maps from the file: the PT_LOAD segments, and the
// dynamic section it reads first.
Result<void> check_segments(const std::vector<Elf64_Phdr> &headers, std::uint64_t size) {
    bool loadable = false;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const Elf64_Phdr &segment = headers[i];
        if (segment.p_type != PT_LOAD && segment.p_type != PT_DYNAMIC) continue;
        loadable = loadable || segment.p_type == PT_LOAD;
        const std::string what = std::string(segment.p_type == PT_LOAD ? "PT_LOAD" : "PT_DYNAMIC") +
                                 " segment " + number(i);
        if (Result<void> inside = inside_file(what, segment.p_offset, segment.p_filesz, size);
            !inside)
            return inside;
    }
    if (!loadable) return fail("no loadable segment (PT_LOAD)");
    return {};
}

// Reads exactly `length` bytes at `offset`, already known to be inside the
// file; `what` names them when the file changed under the check.
Result<void> read_whole(int fd, void *buffer, std::size_t length, std::uint64_t offset,
                        const std::string &what) {
    Result<std::size_t> got = read_at(fd, buffer, length, offset);
    if (!got) return got.error();
    if (got.value() != length) return fail(what, " cannot be read whole");
    return {};
}

// The section header table: inside the file, and how many entries it has.
Result<std::uint64_t> section_count(int fd, const Elf64_Ehdr &header, std::uint64_t size) {
    std::uint64_t count = header.e_shnum;
    if (count == 0) {
        // More than 0xff00 sections: e_shnum is 0 and the count is the first
        // entry's sh_size (0 there: no sections but that entry).
        if (Result<void> inside =
                inside_file("the section header table", header.e_shoff, sizeof(Elf64_Shdr), size);
            !inside)
            return inside.error();
        Elf64_Shdr first{};
        if (Result<void> read =
                read_whole(fd, &first, sizeof first, header.e_shoff, "the section header table");
            !read)
            return read.error();
        count = std::max<std::uint64_t>(first.sh_size, 1);
    }
    std::uint64_t table_size = 0;
    if (__builtin_mul_overflow(count, sizeof(Elf64_Shdr), &table_size))
        return fail("the section header table claims ", number(count),
                    " sections, more than any file holds: damaged");
    if (Result<void> inside =
            inside_file("the section header table", header.e_shoff, table_size, size);
        !inside)
        return inside.error();
    return count;
}

Result<Elf64_Shdr> section_header(int fd, const Elf64_Ehdr &header, std::uint64_t index) {
    Elf64_Shdr section{};
    if (Result<void> read =
            read_whole(fd, &section, sizeof section, header.e_shoff + index * sizeof(Elf64_Shdr),
                       "section header " + number(index));
        !read)
        return read.error();
    return section;
}

// The dynamic symbol table and its string table, both inside the file.
struct SymbolTable {
    Elf64_Shdr symbols{};
    Elf64_Shdr strings{};
};

// The first SHT_DYNSYM section, if any, read through a bounded buffer.
Result<std::optional<SymbolTable>> find_symbol_table(int fd, const Elf64_Ehdr &header,
                                                     std::uint64_t count, std::uint64_t size) {
    constexpr std::uint64_t kBatch = 64;
    std::vector<Elf64_Shdr> batch(kBatch);
    std::uint64_t index = 0;
    std::optional<Elf64_Shdr> found;
    for (std::uint64_t first = 0; first < count && !found; first += kBatch) {
        const std::uint64_t n = std::min(kBatch, count - first);
        if (Result<void> read =
                read_whole(fd, batch.data(), n * sizeof(Elf64_Shdr),
                           header.e_shoff + first * sizeof(Elf64_Shdr), "the section header table");
            !read)
            return read.error();
        for (std::uint64_t i = 0; i < n && !found; ++i)
            if (batch[i].sh_type == SHT_DYNSYM) {
                found = batch[i];
                index = first + i;
            }
    }
    if (!found) return std::optional<SymbolTable>{};

    const std::string what = "the dynamic symbol table (section " + number(index) + ")";
    if (found->sh_entsize != sizeof(Elf64_Sym))
        return fail(what, " has entries of ", number(found->sh_entsize), " bytes; expected ",
                    number(sizeof(Elf64_Sym)));
    if (found->sh_size % sizeof(Elf64_Sym) != 0)
        return fail(what, " is ", number(found->sh_size), " bytes, not a whole number of ",
                    number(sizeof(Elf64_Sym)), "-byte entries");
    if (Result<void> inside = inside_file(what, found->sh_offset, found->sh_size, size); !inside)
        return inside.error();
    if (found->sh_link == SHN_UNDEF || found->sh_link >= count)
        return fail(what, " names section ", number(found->sh_link), " as its string table, of ",
                    number(count), " sections");
    Result<Elf64_Shdr> strings = section_header(fd, header, found->sh_link);
    if (!strings) return strings.error();
    const std::string strings_what = "its string table (section " + number(found->sh_link) + ")";
    if (strings->sh_type != SHT_STRTAB)
        return fail(what, " names section ", number(found->sh_link),
                    " as its string table, which is of type ", number(strings->sh_type),
                    ", not SHT_STRTAB");
    if (Result<void> inside = inside_file(strings_what, strings->sh_offset, strings->sh_size, size);
        !inside)
        return inside.error();
    return std::optional<SymbolTable>{SymbolTable{*found, strings.value()}};
}

// A symbol other modules can bind to: defined here (not SHN_ABS, what the
// linker sets, such as GNU ld's version definitions), global, weak or
// unique, and visible outside.
bool exported(const Elf64_Sym &symbol) {
    const unsigned binding = ELF64_ST_BIND(symbol.st_info);
    if (binding != STB_GLOBAL && binding != STB_WEAK && binding != STB_GNU_UNIQUE) return false;
    if (symbol.st_shndx == SHN_UNDEF || symbol.st_shndx == SHN_ABS) return false;
    const unsigned visibility = ELF64_ST_VISIBILITY(symbol.st_other);
    return visibility == STV_DEFAULT || visibility == STV_PROTECTED;
}

// What toolchains define in every shared object, whatever the plugin's
// author does: crti's _init and _fini (exported by older toolchains), and
// the ends of the sections some linkers (gold) export as plain symbols.
bool toolchain_symbol(std::string_view name) {
    for (const char *own : {"_init", "_fini", "_end", "_edata", "__bss_start"})
        if (name == own) return true;
    return false;
}

// The name of symbol `index`: at most kSymbolNameText + 1 bytes of it, up to
// its NUL, which must be inside the string table.
Result<std::string> symbol_name(int fd, const Elf64_Shdr &strings, const Elf64_Sym &symbol,
                                std::uint64_t index) {
    const std::string what = "symbol " + number(index) + " of the dynamic symbol table";
    if (symbol.st_name >= strings.sh_size)
        return fail(what, " has its name at offset ", number(symbol.st_name),
                    ", outside its string table (", number(strings.sh_size), " bytes)");
    char buffer[kSymbolNameText + 1];
    const std::uint64_t room = strings.sh_size - symbol.st_name;
    const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(room, sizeof buffer));
    if (Result<void> read =
            read_whole(fd, buffer, length, strings.sh_offset + symbol.st_name, what + "'s name");
        !read)
        return read.error();
    if (const void *end = std::memchr(buffer, '\0', length))
        return std::string(buffer,
                           static_cast<std::size_t>(static_cast<const char *>(end) - buffer));
    if (length == room) return fail(what, " has a name that runs past the end of its string table");
    return std::string(buffer, length);  // longer than kSymbolNameText: shown cut
}

Result<ElfFacts> read_exports(int fd, const SymbolTable &table) {
    ElfFacts facts;
    constexpr std::uint64_t kBatch = 256;
    std::vector<Elf64_Sym> batch(kBatch);
    const std::uint64_t count = table.symbols.sh_size / sizeof(Elf64_Sym);
    for (std::uint64_t first = 0; first < count; first += kBatch) {
        const std::uint64_t n = std::min(kBatch, count - first);
        if (Result<void> read = read_whole(fd, batch.data(), n * sizeof(Elf64_Sym),
                                           table.symbols.sh_offset + first * sizeof(Elf64_Sym),
                                           "the dynamic symbol table");
            !read)
            return read.error();
        for (std::uint64_t i = 0; i < n; ++i) {
            if (!exported(batch[i])) continue;
            Result<std::string> name = symbol_name(fd, table.strings, batch[i], first + i);
            if (!name) return name.error();
            if (name.value() == WARDEN_PLUGIN_ENTRY_SYMBOL || toolchain_symbol(name.value()))
                continue;
            // A name defined in several versions is shown once.
            std::string shown = printable(name.value(), kSymbolNameText);
            if (facts.extra_symbols.size() < kNamedExtraSymbols &&
                std::find(facts.extra_symbols.begin(), facts.extra_symbols.end(), shown) ==
                    facts.extra_symbols.end())
                facts.extra_symbols.push_back(std::move(shown));
            ++facts.extra_symbol_count;
        }
    }
    return facts;
}

}  // namespace

Result<ElfFacts> inspect_elf_file(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return fail("cannot be inspected: ", std::generic_category().message(errno));
    const auto size = static_cast<std::uint64_t>(st.st_size);

    Elf64_Ehdr header{};
    Result<std::size_t> got = read_at(fd, &header, sizeof header, 0);
    if (!got) return got.error();
    if (got.value() < SELFMAG || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
        return fail("not an ELF file: it does not begin with the ELF magic number");
    if (got.value() < sizeof header)
        return fail("truncated: ", number(size), " bytes, shorter than an ELF header (",
                    number(sizeof header), " bytes)");
    if (Result<void> identity = check_identity(header); !identity) return identity.error();
    if (Result<void> sizes = check_sizes(header); !sizes) return sizes.error();

    const std::uint64_t table_size = std::uint64_t{header.e_phnum} * sizeof(Elf64_Phdr);
    if (Result<void> inside =
            inside_file("the program header table", header.e_phoff, table_size, size);
        !inside)
        return inside.error();
    std::vector<Elf64_Phdr> headers(header.e_phnum);
    Result<std::size_t> read = read_at(fd, headers.data(), table_size, header.e_phoff);
    if (!read) return read.error();
    if (read.value() != table_size) return fail("the program header table cannot be read whole");
    if (Result<void> segments = check_segments(headers, size); !segments) return segments.error();

    if (header.e_shoff == 0) return ElfFacts{};
    Result<std::uint64_t> count = section_count(fd, header, size);
    if (!count) return count.error();
    Result<std::optional<SymbolTable>> table = find_symbol_table(fd, header, count.value(), size);
    if (!table) return table.error();
    if (!table.value()) return ElfFacts{};
    return read_exports(fd, *table.value());
}

Result<void> check_elf_file(int fd) {
    Result<ElfFacts> facts = inspect_elf_file(fd);
    if (!facts) return facts.error();
    return {};
}

std::optional<std::string> extra_symbols_warning(const ElfFacts &facts) {
    const std::size_t count = facts.extra_symbol_count;
    if (count == 0) return std::nullopt;
    std::string names;
    for (const std::string &name : facts.extra_symbols) {
        if (!names.empty()) names += ", ";
        names += name;
    }
    if (count > facts.extra_symbols.size())
        names += " and " + number(count - facts.extra_symbols.size()) + " more";
    return "exports " + number(count) + (count == 1 ? " symbol" : " symbols") +
           " besides " WARDEN_PLUGIN_ENTRY_SYMBOL " (" + names +
           "): " + (count == 1 ? "it" : "they") +
           " can clash with symbols of the same name in the host or in other plugins; build it "
           "with -fvisibility=hidden, or with warden_add_plugin from the SDK's CMake package";
}

}  // namespace warden::host
