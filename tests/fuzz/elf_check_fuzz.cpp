// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/elf_check_fuzz.cpp — a plugin file's ELF headers and dynamic
// symbol table, any bytes, checked against the file's size before anything
// maps it; the warning about extra exported symbols made from what it read.
#include "plugins/elf_check.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    static const int fd = ::memfd_create("plugin", MFD_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, 0) != 0) return 0;
    if (::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) return 0;
    warden::host::Result<warden::host::ElfFacts> facts = warden::host::inspect_elf_file(fd);
    if (!facts) return 0;
    // What is kept of the names stays within its bounds, whatever the file.
    if (facts->extra_symbols.size() > warden::host::kNamedExtraSymbols ||
        facts->extra_symbols.size() > facts->extra_symbol_count)
        std::abort();
    for (const auto &name : facts->extra_symbols)
        if (name.size() > 4 * warden::host::kSymbolNameText + 3) std::abort();
    (void)warden::host::extra_symbols_warning(facts.value());
    return 0;
}
