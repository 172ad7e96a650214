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
// The same pass reads the dynamic symbol table (the SHT_DYNSYM section and
// its string table, as `nm -D` does) for the symbols the plugin exports
// besides warden_plugin_entry [WP-LOAD-1]: such a symbol can clash with one
// of the host's or another plugin's of the same name, so the loader warns
// about it, and still loads the plugin. Every offset, size and name there
// is checked against the file and the table before it is read; a table
// that does not fit is a refusal like any other header past the end. Not
// counted: undefined symbols, local or hidden ones, SHN_ABS ones (the
// version definitions GNU ld adds, and old linkers' _end, _edata,
// __bss_start), and the few names toolchains define in every shared object
// (_init, _fini, _end, _edata, __bss_start). A file without section headers
// has nothing to read there and gives no warning.
//
// The error's message is the cause alone ("not an ELF file: ...").
// THREADING: reads through the descriptor with pread only; safe from any
// thread.
#pragma once

#include "common/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace warden::host {

/// How many of the extra exported symbols' names ElfFacts keeps.
inline constexpr std::size_t kNamedExtraSymbols = 5;
/// How many bytes of each such name it keeps (escaped: up to four times as
/// many characters, then "...").
inline constexpr std::size_t kSymbolNameText = 64;

/// What the ELF check read besides the bounds.
struct ElfFacts {
    /// Global, weak or unique symbols the dynamic symbol table defines
    /// besides warden_plugin_entry (the few every toolchain adds left out).
    std::size_t extra_symbol_count = 0;
    /// The first kNamedExtraSymbols names among them, in table order, each
    /// made printable, cut at kSymbolNameText bytes and shown once (a name
    /// can be defined in several versions).
    std::vector<std::string> extra_symbols;
};

/// Checks the ELF headers of the file open on `fd` (readable) against its
/// size, and reads its dynamic symbol table.
Result<ElfFacts> inspect_elf_file(int fd);

/// inspect_elf_file, the facts left out.
Result<void> check_elf_file(int fd);

/// The warning about extra exported symbols, for "plugin FILE: ..." and
/// `warden --list-plugins`: "exports 2 symbols besides warden_plugin_entry
/// (helper, counter): ...", naming the risk and the fix; nothing when
/// there are none.
std::optional<std::string> extra_symbols_warning(const ElfFacts &facts);

}  // namespace warden::host
