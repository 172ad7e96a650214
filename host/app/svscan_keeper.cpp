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

std::string list_of(const std::vector<std::string> &names) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < 5; ++i) text += (i ? ", " : "") + names[i];
    if (names.size() > 5) text += " and " + std::to_string(names.size() - 5) + " more";
    return text;
}

}  // namespace

Result<void> SvscanKeeper::ensure() {
    auto started = ensure_svscan(scan_dir_, log_dir_, paths_);
    if (!started) return started.error();
    if (started->how == SvscanStart::How::lost_race)
        spdlog::warn("{}", started->message);
    else
        spdlog::info("{}", started->message);
    watch(started->pid);
    hand_over(started->pid);
    return {};
}

void SvscanKeeper::watch(pid_t pid) {
    pid_ = pid;
    pidfd_.reset();
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd >= 0) {
        pidfd_.fd = fd;
        retry_at_.reset();
    } else {
        // Gone already (ESRCH): look again at once.
        retry_at_ = Clock::now();
    }
    backoff_ = kFirstRetry;
}

void SvscanKeeper::hand_over(pid_t pid) {
    const std::vector<std::string> handed = hand_over_supervisors(scan_dir_, pid);
    if (handed.empty()) return;
    spdlog::warn(
        "{} {} still supervised by s6-supervise processes an earlier s6-svscan left ({}); "
        "each passes to s6-svscan pid {} when its process next stops (not restarted for it); "
        "until then s6-svscan retries them every second (see {})",
        handed.size(), handed.size() == 1 ? "service is" : "services are", list_of(handed), pid,
        (log_dir_ / "current").string());
}

void SvscanKeeper::check(Clock::time_point now) {
    if (pidfd_.fd >= 0) {
        pollfd p{pidfd_.fd, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) return;  // still running
        spdlog::error(
            "s6-svscan pid {} on {} exited; its services keep running, but none could start; "
            "starting a new s6-svscan",
            pid_, scan_dir_.string());
        pidfd_.reset();
        retry_at_ = now;
    }
    if (!retry_at_ || *retry_at_ > now) return;
    auto started = ensure_svscan(scan_dir_, log_dir_, paths_);
    if (!started) {
        spdlog::error("{}; trying again in {} s", started.error().message, backoff_.count() / 1000);
        retry_at_ = now + backoff_;
        backoff_ = std::min(backoff_ * 2, kLastRetry);
        return;
    }
    spdlog::info("{}", started->message);
    watch(started->pid);
    hand_over(started->pid);
}

}  // namespace warden::host
