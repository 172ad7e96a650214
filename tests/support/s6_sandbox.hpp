// SPDX-License-Identifier: Apache-2.0
// tests/support/s6_sandbox.hpp — a real s6-svscan of the test's own.
//
// S6Sandbox makes a temporary directory with a scan dir and a log root,
// starts s6-svscan on the scan dir (through the host's ensure_svscan), and
// when it goes — also when the test failed — kills that s6-svscan and every
// process whose working directory lies in the sandbox (services, their
// supervisors, children they forked), by pid, and reaps them. The test
// process is made a child subreaper, so orphans come back to it to be reaped
// instead of lingering as zombies.
#pragma once

#include "temp_dir.hpp"

#include "s6/s6_client.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace warden::test {

class S6Sandbox {
public:
    /// With `start_svscan` false, no s6-svscan runs until start_svscan().
    explicit S6Sandbox(bool start_svscan = true);
    ~S6Sandbox();
    S6Sandbox(const S6Sandbox &) = delete;
    S6Sandbox &operator=(const S6Sandbox &) = delete;

    const std::filesystem::path &root() const { return dir_.path(); }
    std::filesystem::path scan_dir() const { return dir_ / "scan"; }
    std::filesystem::path log_root() const { return dir_ / "logs"; }
    /// Where s6-svscan's own output is rotated into.
    std::filesystem::path svscan_log_dir() const { return dir_ / "svscan-log"; }
    /// s6-svscan's output so far (its log's `current`), for failure messages.
    std::string svscan_output() const;
    /// The programs the host would use, warden-guard from this build.
    static host::S6Paths s6_paths();
    host::S6Options options() const;

    void start_svscan();
    /// Tells s6-svscan to take everything down and exit, and waits for it.
    void stop_svscan();
    pid_t svscan_pid() const { return svscan_pid_; }
    /// The s6-log that rotates s6-svscan's output, or 0.
    pid_t svscan_logger_pid() const;

    /// Pids of live processes whose working directory is under the sandbox.
    std::vector<pid_t> processes() const;

private:
    void kill_everything();

    TempDir dir_;
    pid_t svscan_pid_ = 0;
};

/// Waits until `condition` holds or `timeout` passes; true when it held.
bool wait_until(const std::function<bool()> &condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Sends `signal` to process `pid` alone; false (and nothing sent) for a
/// pid that names no single process (0, 1, negative): kill(0, ...) would hit
/// the test's own process group.
bool signal_process(pid_t pid, int signal);

/// Whether a process with this pid exists (zombies do not count).
bool process_alive(pid_t pid);

}  // namespace warden::test
