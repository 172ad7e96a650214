// SPDX-License-Identifier: Apache-2.0
// host/plugins/elf_check.cpp
#include "plugins/elf_check.hpp"

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <system_error>
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

}  // namespace

Result<void> check_elf_file(int fd) {
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
    if (Result<void> identity = check_identity(header); !identity) return identity;
    if (Result<void> sizes = check_sizes(header); !sizes) return sizes;

    const std::uint64_t table_size = std::uint64_t{header.e_phnum} * sizeof(Elf64_Phdr);
    if (Result<void> inside =
            inside_file("the program header table", header.e_phoff, table_size, size);
        !inside)
        return inside;
    std::vector<Elf64_Phdr> headers(header.e_phnum);
    Result<std::size_t> read = read_at(fd, headers.data(), table_size, header.e_phoff);
    if (!read) return read.error();
    if (read.value() != table_size) return fail("the program header table cannot be read whole");
    if (Result<void> segments = check_segments(headers, size); !segments) return segments;

    if (header.e_shoff != 0) {
        // e_shnum 0 with a table means more than 0xff00 sections, counted in
        // the first entry: that entry, at least, is in the file.
        const std::uint64_t count = header.e_shnum == 0 ? 1 : header.e_shnum;
        if (Result<void> inside = inside_file("the section header table", header.e_shoff,
                                              count * sizeof(Elf64_Shdr), size);
            !inside)
            return inside;
    }
    return {};
}

}  // namespace warden::host
