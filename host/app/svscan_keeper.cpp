// SPDX-License-Identifier: Apache-2.0
// host/app/svscan_keeper.cpp
#include "app/svscan_keeper.hpp"

#include "s6/svscan.hpp"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>

namespace warden::host {
namespace {

constexpr std::chrono::milliseconds kFirstRetry{1000};
constexpr std::chrono::milliseconds kLastRetry{30000};
// A process that dies again this soon after it was started is backed off.
constexpr std::chrono::seconds kQuickDeath{10};

std::string list_of(const std::vector<std::string> &names) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < 5; ++i) text += (i ? ", " : "") + names[i];
    if (names.size() > 5) text += " and " + std::to_string(names.size() - 5) + " more";
    return text;
}

}  // namespace

Result<void> SvscanKeeper::ensure(std::chrono::milliseconds external_wait) {
    if (owner_ == Owner::service_manager) {
        if (Result<void> usable = check_scan_dir(scan_dir_); !usable) return usable.error();
        const auto deadline = Clock::now() + external_wait;
        std::optional<pid_t> pid = svscan_pid(scan_dir_);
        if (!pid)
            spdlog::info("waiting for the s6-svscan the service manager runs on {}",
                         scan_dir_.string());
        for (; !pid && Clock::now() < deadline; pid = svscan_pid(scan_dir_)) ::usleep(50 * 1000);
        if (!pid)
            return Error{"no s6-svscan watches " + scan_dir_.string() + " after " +
                             std::to_string(external_wait.count() / 1000) +
                             " s, and this host starts none (--external-svscan): is "
                             "warden-svscan.service running?",
                         ErrorKind::timeout};
        spdlog::info("s6-svscan pid {} watches {} (run by the service manager)", *pid,
                     scan_dir_.string());
        watch_external(*pid, Clock::now());
        hand_over(*pid);
        return {};
    }
    auto started = ensure_svscan(scan_dir_, log_dir_, paths_);
    if (!started) return started.error();
    if (started->how == SvscanStart::How::lost_race)
        spdlog::warn("{}", started->message);
    else
        spdlog::info("{}", started->message);
    watch_all(started.value());
    hand_over(started->pid);
    return {};
}

void SvscanKeeper::watch(Watched &watched, pid_t pid) {
    watched.pid = pid;
    watched.fd.reset();
    if (pid > 1) watched.fd.fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

bool SvscanKeeper::exited(Watched &watched) {
    if (watched.fd.fd < 0) return false;
    pollfd p{watched.fd.fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    watched.fd.reset();
    return true;
}

// s6-svscan, and the logger that reads its output if this host's kind
// started it (one a system's own supervisor runs has none to watch).
void SvscanKeeper::watch_all(const SvscanStart &started) {
    watch(svscan_, started.pid);
    watch(logger_, started.logger_pid);
    // A pid already gone when it was to be watched: look again at once.
    retry_at_.reset();
    if (svscan_.fd.fd < 0 || (logger_.pid > 1 && logger_.fd.fd < 0)) retry_at_ = Clock::now();
}

void SvscanKeeper::hand_over(pid_t svscan) {
    const std::vector<std::string> handed = hand_over_supervisors(scan_dir_, svscan);
    if (handed.empty()) return;
    spdlog::warn(
        "{} {} still supervised by s6-supervise processes an earlier s6-svscan left ({}); "
        "each passes to s6-svscan pid {} when its process next stops (not restarted for it); "
        "until then s6-svscan retries them every second (see {})",
        handed.size(), handed.size() == 1 ? "service is" : "services are", list_of(handed), svscan,
        (log_dir_ / "current").string());
}

// An external s6-svscan: wait for the next one, looking every second. One
// that could not be watched (no pidfd) is looked for every second too.
void SvscanKeeper::check_external(Clock::time_point now, bool svscan_gone) {
    if (svscan_gone) retry_at_ = now;
    if (!retry_at_ || *retry_at_ > now) return;
    retry_at_ = now + kFirstRetry;
    const std::optional<pid_t> pid = svscan_pid(scan_dir_);
    if (pid && *pid == svscan_.pid) return;  // the same one, unwatched
    if (svscan_.pid != 0) {
        spdlog::error(
            "s6-svscan pid {} on {} exited; its services keep running only while their "
            "supervisors do; waiting for the service manager to start the next s6-svscan",
            svscan_.pid, scan_dir_.string());
        svscan_.pid = 0;
    }
    if (!pid) return;
    spdlog::info("s6-svscan pid {} watches {} again (run by the service manager)", *pid,
                 scan_dir_.string());
    watch_external(*pid, now);
    hand_over(*pid);
}

// A pid that cannot be watched (gone already, or no pidfds here) is looked
// at again every second instead.
void SvscanKeeper::watch_external(pid_t pid, Clock::time_point now) {
    watch(svscan_, pid);
    if (svscan_.fd.fd >= 0)
        retry_at_.reset();
    else
        retry_at_ = now + kFirstRetry;
}

void SvscanKeeper::check(Clock::time_point now) {
    const bool svscan_gone = exited(svscan_);
    if (owner_ == Owner::service_manager) return check_external(now, svscan_gone);
    const bool logger_gone = exited(logger_);
    if (svscan_gone)
        spdlog::error(
            "s6-svscan pid {} on {} exited; its services keep running, but none could start; "
            "starting a new s6-svscan",
            svscan_.pid, scan_dir_.string());
    else if (logger_gone)
        spdlog::warn(
            "s6-log pid {}, which rotates s6-svscan's output into {}, exited; starting a new one",
            logger_.pid, log_dir_.string());
    if (svscan_gone || logger_gone) {
        // The first time at once; again and again within seconds, backed off.
        const bool quick = last_restore_ && now - *last_restore_ < kQuickDeath;
        backoff_ = quick ? std::clamp(backoff_ * 2, kFirstRetry, kLastRetry)
                         : std::chrono::milliseconds(0);
        retry_at_ = now + backoff_;
    }
    if (!retry_at_ || *retry_at_ > now) return;
    last_restore_ = now;
    auto started = ensure_svscan(scan_dir_, log_dir_, paths_);
    if (!started) {
        backoff_ = std::clamp(backoff_ * 2, kFirstRetry, kLastRetry);
        spdlog::error("{}; trying again in {} s", started.error().message, backoff_.count() / 1000);
        retry_at_ = now + backoff_;
        return;
    }
    if (started->how != SvscanStart::How::already_running) spdlog::info("{}", started->message);
    watch_all(started.value());
    if (started->how != SvscanStart::How::already_running) hand_over(started->pid);
}

}  // namespace warden::host
