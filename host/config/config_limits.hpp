// SPDX-License-Identifier: Apache-2.0
// host/config/config_limits.hpp — how much of a config file the host reads.
//
// A config file is a few kilobytes; these bounds sit far above any real one
// and far below what would hurt the host, so a broken, hostile or truncated
// file costs a refusal, never the host. Each is checked as the file is read,
// before anything past it is built.
#pragma once

#include <cstddef>

namespace warden::host {

/// The whole file, in bytes: 4 MiB.
inline constexpr std::size_t kMaxConfigBytes = 4u << 20;
/// Mappings and lists open at once (the top-level mapping is level 1).
inline constexpr int kMaxConfigDepth = 64;
/// One scalar's text, in bytes: 256 KiB.
inline constexpr std::size_t kMaxScalarBytes = 256u << 10;
/// Values (scalars, lists, mappings, keys included) in the whole document,
/// with every alias counted as the value it repeats.
inline constexpr std::size_t kMaxConfigNodes = 200'000;
/// Values that aliases repeat, over the whole document.
inline constexpr std::size_t kMaxAliasNodes = 10'000;
/// Scalar text that aliases repeat, over the whole document, in bytes: 4 MiB.
/// Without it, 10,000 aliases of one long scalar would make gigabytes of JSON.
inline constexpr std::size_t kMaxAliasBytes = 4u << 20;

}  // namespace warden::host
