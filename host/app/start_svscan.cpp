// host/app/start_svscan.cpp
#include "app/start_svscan.hpp"

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
    Result<SvscanStart> started =
        ensure_svscan(options.scan_dir, options.log_dir / "s6-svscan.log", S6Paths{});
    if (!started) {
        err << "warden: " << started.error().message << "\n";
        return 1;
    }
    if (started->how == SvscanStart::How::lost_race)
        spdlog::warn("{}", started->message);
    else
        spdlog::info("{}", started->message);
    out << started->message << "\n";
    return 0;
}

}  // namespace warden::host
