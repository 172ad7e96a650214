// SPDX-License-Identifier: Apache-2.0
// host/app/start_svscan.cpp
#include "app/start_svscan.hpp"

#include "app/host_paths.hpp"
#include "app/host_trust.hpp"
#include "s6/file_ops.hpp"
#include "s6/svscan.hpp"

#include <spdlog/spdlog.h>

namespace warden::host {

int start_svscan(const Settings &options, std::ostream &out, std::ostream &err) {
    if (options.create_scan_dir)
        if (Result<void> made = make_directories(options.scan_dir, 0755); !made) {
            err << "warden: " << made.error().message << "\n";
            return 1;
        }
    if (Result<void> made = make_directories(options.log_dir, 0755); !made) {
        err << "warden: " << made.error().message << "\n";
        return 1;
    }
    for (const Result<void> &trusted :
         {check_host_scan_dir(options.scan_dir), check_host_log_dir(options.log_dir)})
        if (!trusted) {
            err << "warden: " << trusted.error().message << "\n";
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

}  // namespace warden::host
