// SPDX-License-Identifier: Apache-2.0
// host/plugins/elf_check.hpp — is this file a shared library the dynamic
// loader can map without reading past its end?
//
// The dynamic loader maps a library's segments straight from the file: one
// that claims bytes past the end of a truncated file is mapped anyway, and
// the first read of it kills the host with SIGBUS. So before anything maps
// a plugin, its ELF headers are read with pread and checked against the
// file's size [WP-LOAD-4]: the ELF magic; a 64-bit, little-endian (the
// host's byte order), current-version shared object (ET_DYN) for this
// host's machine; header and entry sizes of this ELF class; the program
// header table, every PT_LOAD and PT_DYNAMIC segment's file bytes, and the
// section header table when there is one, all inside the file, offsets and
// sizes added without overflow.
//
// The error's message is the cause alone ("not an ELF file: ...").
// THREADING: reads through the descriptor with pread only; safe from any
// thread.
#pragma once

#include "common/result.hpp"

namespace warden::host {

/// Checks the ELF headers of the file open on `fd` (readable) against its
/// size.
Result<void> check_elf_file(int fd);

}  // namespace warden::host
