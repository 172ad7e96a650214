// SPDX-License-Identifier: Apache-2.0
// host/supervisor/supervisor_clock.hpp — where the supervisor reads the
// time: the host's own clocks (common/clock.hpp), or a clock a test moves
// by hand. Every time the supervisor keeps (observations, states, actions,
// backoffs) is read here; only the loop's own sleep between ticks is real.
//
// THREADING: now_ns and unix_now_ns may be called from any thread.
#pragma once

#include <cstdint>

namespace warden::host {

class SupervisorClock {
public:
    virtual ~SupervisorClock() = default;
    /// Monotonic nanoseconds: the times of snapshots and the supervisor's timers.
    virtual int64_t now_ns() const = 0;
    /// Nanoseconds since the Unix epoch: the times status reports show.
    virtual int64_t unix_now_ns() const = 0;
};

/// CLOCK_MONOTONIC and CLOCK_REALTIME.
const SupervisorClock &system_clock();

}  // namespace warden::host
