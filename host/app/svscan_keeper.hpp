// host/app/svscan_keeper.hpp — an s6-svscan on the scan dir for as long as
// the host runs.
//
// At start the keeper finds the s6-svscan that holds the scan dir, or starts
// one. It watches that process (a pidfd): when it exits — killed, or gone
// with a crash — services keep running under their s6-supervise processes,
// but nothing could start a new one, so the keeper starts a new s6-svscan
// at once, and again after 1 s, 2 s, 4 s ... (at most 30 s) while that
// fails. Every time it has one, supervisors an earlier s6-svscan left are
// handed over (svscan.hpp): each exits when its service next stops and the
// new s6-svscan starts it then; no service is restarted for the hand-over.
//
// THREADING: one thread (the host's main loop).
#pragma once

#include "common/result.hpp"
#include "common/unique_fd.hpp"
#include "s6/s6_paths.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>

namespace warden::host {

class SvscanKeeper {
public:
    using Clock = std::chrono::steady_clock;

    SvscanKeeper(std::filesystem::path scan_dir, std::filesystem::path log_dir, S6Paths paths)
        : scan_dir_(std::move(scan_dir)), log_dir_(std::move(log_dir)), paths_(std::move(paths)) {}

    /// Makes sure an s6-svscan watches the scan dir, and watches it; logs
    /// which one. An error when none runs and none could be started.
    Result<void> ensure();
    /// For poll(): readable when the watched s6-svscan has exited; -1 when
    /// none is watched.
    int fd() const { return pidfd_.fd; }
    /// When to try again to start one, if the last try failed.
    std::optional<Clock::time_point> retry_at() const { return retry_at_; }
    /// Call when fd() is readable or retry_at() has come: starts a new
    /// s6-svscan if the watched one is gone.
    void check(Clock::time_point now);

private:
    void watch(pid_t pid);
    void hand_over(pid_t pid);

    std::filesystem::path scan_dir_;
    std::filesystem::path log_dir_;
    S6Paths paths_;
    pid_t pid_ = 0;
    UniqueFd pidfd_;
    std::optional<Clock::time_point> retry_at_;
    std::chrono::milliseconds backoff_{1000};
};

}  // namespace warden::host
