// SPDX-License-Identifier: Apache-2.0
// host/app/svscan_keeper.hpp — an s6-svscan on the scan dir, and the s6-log
// that rotates its output, for as long as the host runs.
//
// At start the keeper finds the s6-svscan that holds the scan dir, or starts
// one. It watches that process and its logger (pidfds). When s6-svscan exits
// — killed, or gone with a crash — services keep running under their
// s6-supervise processes, but nothing could start a new one; when its
// logger exits, s6-svscan and everything under it would block once the
// FIFO between them is full. Either way the keeper starts what is missing
// at once, and again after 1 s, 2 s, 4 s ... (at most 30 s) while that
// fails or keeps failing within seconds. Every time it starts an s6-svscan,
// supervisors an earlier one left are handed over (svscan.hpp): each exits
// when its service next stops and the new s6-svscan starts it then; no
// service is restarted for the hand-over.
//
// With an external s6-svscan (`--external-svscan`: a service manager runs
// it, as warden-svscan.service does) the keeper starts nothing: it waits
// for that s6-svscan at start (at most 30 s), and when it exits, for the
// one the manager starts next, looking every second; supervisors the old
// one left are handed over to the new one as above.
//
// THREADING: one thread (the host's main loop).
#pragma once

#include "common/result.hpp"
#include "common/unique_fd.hpp"
#include "s6/s6_paths.hpp"
#include "s6/svscan.hpp"

#include <sys/types.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <optional>

namespace warden::host {

class SvscanKeeper {
public:
    using Clock = std::chrono::steady_clock;

    /// Who starts s6-svscan on the scan dir.
    enum class Owner { host, service_manager };

    SvscanKeeper(std::filesystem::path scan_dir, std::filesystem::path log_dir, S6Paths paths,
                 Owner owner = Owner::host)
        : scan_dir_(std::move(scan_dir)),
          log_dir_(std::move(log_dir)),
          paths_(std::move(paths)),
          owner_(owner) {}

    /// Makes sure an s6-svscan watches the scan dir, and watches it; logs
    /// which one. An error when none runs and none could be started (or,
    /// with an external one, none came within `external_wait`).
    Result<void> ensure(std::chrono::milliseconds external_wait = std::chrono::seconds(30));
    /// For poll(): readable when the watched s6-svscan (first) or its
    /// logger (second) has exited; -1 for one not watched.
    std::array<int, 2> fds() const { return {svscan_.fd.fd, logger_.fd.fd}; }
    /// When to try again to start what is missing, if anything is.
    std::optional<Clock::time_point> retry_at() const { return retry_at_; }
    /// Call when an fd is readable or retry_at() has come: starts a new
    /// s6-svscan, or logger, if the watched one is gone.
    void check(Clock::time_point now);

private:
    struct Watched {
        pid_t pid = 0;
        UniqueFd fd;  ///< a pidfd; -1 when not watched
    };
    static void watch(Watched &watched, pid_t pid);
    static bool exited(Watched &watched);
    void watch_all(const SvscanStart &started);
    void hand_over(pid_t svscan);
    void check_external(Clock::time_point now, bool svscan_gone);
    void watch_external(pid_t pid, Clock::time_point now);

    std::filesystem::path scan_dir_;
    std::filesystem::path log_dir_;
    S6Paths paths_;
    Owner owner_;
    Watched svscan_;
    Watched logger_;
    std::optional<Clock::time_point> retry_at_;
    std::optional<Clock::time_point> last_restore_;
    std::chrono::milliseconds backoff_{0};
};

}  // namespace warden::host
