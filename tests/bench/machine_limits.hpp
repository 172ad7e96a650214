// SPDX-License-Identifier: Apache-2.0
// tests/bench/machine_limits.hpp — whether this machine can take N exec
// workers under the warden binary, and how busy it is, as the scale
// benchmark checks before each size.
//
// Each worker is four processes (its service's and its logger's
// s6-supervise, s6-log, the program), two inotify watches of the host (its
// service dir and supervise/), and two descriptors of s6-svscan (the pipe
// from the service to its logger, held open for as long as both are
// supervised). Every limit these meet is read from /proc and /sys: the
// kernel's (pid_max, threads-max, inotify), this process's rlimits (the
// host and its embedded s6-svscan inherit them), the control group's
// pids.max, the memory left; and, once it runs, s6-svscan's own: its -c and
// the descriptors it may open. A limit that would be hit is named with what
// raises it.
//
// THREADING: every function reads /proc afresh and keeps no state.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace warden::bench {

/// Processes a worker costs: two s6-supervise, s6-log, the program.
inline constexpr int kProcessesPerWorker = 4;

/// The machine before a measurement: CPUs online, /proc/loadavg, and the
/// share of CPU time that was idle over one second.
struct IdleState {
    long cpus = 0;
    std::string loadavg;
    double idle_percent = 0;
};

/// Measures over one second (that second is the measurement).
IdleState idle_state();

/// "2 CPUs, loadavg 0.12 0.40 0.55 1/245 1234, 98.5% idle over 1 s".
std::string describe(const IdleState &state);

/// One limit N workers meet: what is left of it now, and what they need.
struct Limit {
    std::string what;  ///< "kernel.pid_max 32768 (45 tasks run now)"
    long long left = 0;
    long long needed = 0;
    std::string raise;  ///< how to raise it, for a limit that would be hit

    bool enough() const { return left >= needed; }
};

/// The limits `workers` workers (and the bench's raw s6 services, the same
/// number, never at the same time) meet before the host starts.
std::vector<Limit> machine_limits(int workers);

/// The limits of the running s6-svscan `pid`: the services its -c (or -C)
/// keeps, and the descriptors it may open.
std::vector<Limit> svscan_limits(pid_t pid, int workers);

/// Prints each limit on one line, "ok" or what is short and how to raise
/// it; false when one would be hit.
bool print_limits(const std::vector<Limit> &limits);

/// How many descriptors process `pid` holds open.
int open_fds_of(pid_t pid);

}  // namespace warden::bench
