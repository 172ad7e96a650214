// SPDX-License-Identifier: Apache-2.0
// tests/bench/proc_stats.hpp — processes as the benchmarks see them: what
// they cost (CPU, RSS, PSS, threads, open connections, read from /proc),
// which CPU they may run on, and a program run to its end.
//
// THREADING: every function reads /proc afresh and keeps no state.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace warden::bench {

struct Usage {
    double cpu_seconds = 0;  ///< utime + stime, every thread of the process
    long rss_kib = 0;
    long pss_kib = 0;  ///< resident, shared pages divided among their sharers
    long threads = 0;
};

/// utime + stime of a process, its resident set and its proportional share;
/// zeros for a process that is gone.
Usage usage_of(pid_t pid);

/// The sum over `pids` (RSS summed too, so shared pages count once per process).
Usage usage_of(const std::vector<pid_t> &pids);

/// Every process whose working directory lies under `root`.
std::vector<pid_t> processes_under(const std::filesystem::path &root);

/// Every process whose name is `comm` and whose working directory lies under `root`.
std::vector<pid_t> processes_named(const std::string &comm, const std::filesystem::path &root);

/// How many established TCP connections the process holds open.
int tcp_connections_of(pid_t pid);

/// Puts every thread of process `pid` (0: only the calling thread) on CPU
/// `cpu`, or back on every CPU when `cpu` is -1; false when one could not be moved.
bool pin_to_cpu(pid_t pid, int cpu);

/// Spawns `program` with `argv` (argv[0] included), its stdout on /dev/null,
/// and waits for it; throws when it cannot be spawned or does not exit 0.
void spawn_and_wait(const std::string &program, const std::vector<std::string> &argv);

}  // namespace warden::bench
