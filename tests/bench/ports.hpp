// SPDX-License-Identifier: Apache-2.0
// tests/bench/ports.hpp — the ports the benchmarks' services listen on.
//
// 25000-31999: outside the host's automatic range (24000-24999), so a test
// run on the same machine reserving from 24000 does not collide, and below
// the kernel's ephemeral range.
#pragma once

#include <cstdint>
#include <vector>

namespace warden::bench {

inline constexpr uint32_t kFirstPort = 25000;
inline constexpr uint32_t kLastPort = 31999;

/// `count` ports of the range a server could listen on now (bound with
/// SO_REUSEADDR, as servers bind, and closed), lowest first; throws when
/// the range has fewer.
std::vector<uint32_t> free_ports(int count);

}  // namespace warden::bench
