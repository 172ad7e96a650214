// SPDX-License-Identifier: Apache-2.0
// host/common/clock.hpp — the host's two clocks, the same ones the host
// services table gives plugins: times in a snapshot (monotonic) and times a
// person reads (unix) compare with what a plugin reads itself.
#pragma once

#include <time.h>

#include <cstdint>

namespace warden::host {

inline int64_t clock_ns(clockid_t clock) noexcept {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// Nanoseconds on CLOCK_MONOTONIC.
inline int64_t monotonic_ns() noexcept {
    return clock_ns(CLOCK_MONOTONIC);
}

/// Nanoseconds since the Unix epoch (CLOCK_REALTIME).
inline int64_t unix_ns() noexcept {
    return clock_ns(CLOCK_REALTIME);
}

}  // namespace warden::host
