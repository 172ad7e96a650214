// SPDX-License-Identifier: Apache-2.0
// host/s6/process_identity.hpp — which process a pid names, now and later.
//
// The system gives a pid to a new process once the old one is gone, so a
// pid alone names nothing for long. Paired with the process's start time
// (clock ticks after boot, field 22 of /proc/PID/stat) it names one process
// for the life of the boot; the boot's id tells a record kept on disk from
// one written before a reboot.
// THREADING: plain functions over /proc; call from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace warden::host {

struct ProcessIdentity {
    pid_t pid = 0;
    uint64_t start_ticks = 0;  ///< clock ticks after boot

    bool operator==(const ProcessIdentity &o) const {
        return pid == o.pid && start_ticks == o.start_ticks;
    }
};

/// The identity of the live process `pid` (not a zombie), or nothing.
std::optional<ProcessIdentity> identify_process(pid_t pid);

/// The parent of the live process `pid`, or nothing.
std::optional<pid_t> parent_of(pid_t pid);

/// Whether the process `identity` names still runs (same pid, same start).
bool still_running(const ProcessIdentity &identity);

/// The unix time, in ns, at which a process started `start_ticks` after
/// boot (to within the kernel's 10 ms ticks and the boot time's whole second).
std::optional<int64_t> start_ticks_to_unix_ns(uint64_t start_ticks);

/// This boot's id (/proc/sys/kernel/random/boot_id), or "" when unreadable.
std::string boot_id();

/// Sends `signal` to the process group the process `identity` leads
/// (services lead one of their own) — also once the leader has ended and
/// processes it left in its group remain — unless its pid now names another
/// process: then the group is not its any more. A live leader that leads
/// no group gets the signal alone.
void signal_process_group(const ProcessIdentity &identity, int signal);

/// Waits until the process `identity` names has ended, or `timeout` passed;
/// true when it ended (or was gone already). Any process, not only a child.
bool wait_until_ended(const ProcessIdentity &identity, std::chrono::milliseconds timeout);

}  // namespace warden::host
