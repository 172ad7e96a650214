// SPDX-License-Identifier: Apache-2.0
// tests/support/elf_header.hpp — the ELF header of a handmade shared object
// for the tests of the host's ELF check: this machine's, 64-bit, with its
// program headers right after it.
#pragma once

#include <gtest/gtest.h>

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

namespace warden::test {

/// This very test program's machine: the one a plugin must be built for.
inline Elf64_Half host_machine() {
    Elf64_Ehdr self{};
    const int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    EXPECT_EQ(::pread(fd, &self, sizeof self, 0), static_cast<ssize_t>(sizeof self));
    ::close(fd);
    return self.e_machine;
}

/// A shared object's header: `phnum` program headers after it, `shnum`
/// section headers at `shoff`.
inline Elf64_Ehdr shared_object_header(Elf64_Half phnum, Elf64_Off shoff, Elf64_Half shnum) {
    Elf64_Ehdr elf{};
    std::memcpy(elf.e_ident, ELFMAG, SELFMAG);
    elf.e_ident[EI_CLASS] = ELFCLASS64;
    elf.e_ident[EI_DATA] = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
    elf.e_ident[EI_VERSION] = EV_CURRENT;
    elf.e_type = ET_DYN;
    elf.e_machine = host_machine();
    elf.e_version = EV_CURRENT;
    elf.e_phoff = sizeof(Elf64_Ehdr);
    elf.e_shoff = shoff;
    elf.e_ehsize = sizeof(Elf64_Ehdr);
    elf.e_phentsize = sizeof(Elf64_Phdr);
    elf.e_phnum = phnum;
    elf.e_shentsize = sizeof(Elf64_Shdr);
    elf.e_shnum = shnum;
    return elf;
}

}  // namespace warden::test
