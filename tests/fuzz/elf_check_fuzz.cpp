// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/elf_check_fuzz.cpp — a plugin file's ELF headers, any bytes,
// checked against the file's size before anything maps it.
#include "plugins/elf_check.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    static const int fd = ::memfd_create("plugin", MFD_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, 0) != 0) return 0;
    if (::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) return 0;
    (void)warden::host::check_elf_file(fd);
    return 0;
}
