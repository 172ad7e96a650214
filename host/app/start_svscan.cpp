// SPDX-License-Identifier: Apache-2.0
// host/app/start_svscan.cpp
#include "app/start_svscan.hpp"

#include "app/host_paths.hpp"
#include "app/host_trust.hpp"
#include "s6/file_ops.hpp"
#include "s6/svscan.hpp"

#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace warden::host {
namespace {

// The scan dir made when it may be, then judged as the host judges it; the
// log dir too when s6-svscan's output goes there.
Result<void> prepare_dirs(const Settings &settings, bool with_log_dir) {
    if (settings.create_scan_dir)
        if (Result<void> made = make_directories(settings.scan_dir, 0755); !made) return made;
    if (with_log_dir)
        if (Result<void> made = make_directories(settings.log_dir, 0755); !made) return made;
    if (Result<void> trusted = check_host_scan_dir(settings.scan_dir); !trusted) return trusted;
    if (with_log_dir) return check_host_log_dir(settings.log_dir);
    return {};
}

}  // namespace

int start_svscan(const Settings &options, std::ostream &out, std::ostream &err) {
    if (Result<void> ready = prepare_dirs(options, /*with_log_dir=*/true); !ready) {
        err << "warden: " << ready.error().message << "\n";
        return 1;
    }
    Result<SvscanStart> started =
        ensure_svscan(options.scan_dir, svscan_log_dir(options.log_dir), S6Paths{});
    if (!started) {
        err << "warden: " << started.error().message << "\n";
        return 1;
    }
    if (started->how == SvscanStart::How::lost_race)
        spdlog::warn("{}", started->message);
    else
        spdlog::info("{}", started->message);
    out << started->message << "\n";
    const std::vector<std::string> handed = hand_over_supervisors(options.scan_dir, started->pid);
    if (!handed.empty())
        spdlog::warn(
            "{} services are still supervised by s6-supervise processes an earlier "
            "s6-svscan left; each passes to s6-svscan pid {} when its process next stops",
            handed.size(), started->pid);
    return 0;
}

int run_svscan(const Settings &settings, std::ostream &err) {
    // s6-svscan's output goes where the service manager put this process's.
    if (Result<void> ready = prepare_dirs(settings, /*with_log_dir=*/false); !ready) {
        err << "warden: " << ready.error().message << "\n";
        return 1;
    }
    if (auto pid = svscan_pid(settings.scan_dir)) {
        err << "warden: s6-svscan pid " << *pid << " already watches " << settings.scan_dir.string()
            << "\n";
        return 100;
    }
    // Services inherit s6-svscan's environment: a service manager's
    // notification socket is not theirs to write to.
    for (const char *name : {"NOTIFY_SOCKET", "WATCHDOG_PID", "WATCHDOG_USEC"}) ::unsetenv(name);
    // main() ignores SIGPIPE for the host; s6-svscan starts as it would.
    ::signal(SIGPIPE, SIG_DFL);
    const std::string program = S6Paths{}.svscan().string();
    const std::string dir = settings.scan_dir.string();
    const char *const argv[] = {"s6-svscan", "-c", kSvscanMaxServices, "--", dir.c_str(), nullptr};
    ::execv(program.c_str(), const_cast<char *const *>(argv));
    err << "warden: cannot execute " << program << ": " << std::strerror(errno) << "\n";
    return 1;
}

}  // namespace warden::host
