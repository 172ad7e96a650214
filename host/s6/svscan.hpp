// host/s6/svscan.hpp — the scan directory and the s6-svscan that watches it.
//
// The host does not own s6-svscan: it finds the one that holds the scan
// dir's lock, or starts one (setsid, readiness on a notification fd) and
// leaves it running when the host exits, so services outlive the host. Two
// hosts starting one at the same moment is safe: the second s6-svscan exits
// 100 on the held lock, and its host uses the first.
// THREADING: these functions touch only the file system and child
// processes of their own; call from any thread.
#pragma once

#include "common/result.hpp"
#include "s6/s6_paths.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace warden::host {

/// A scan dir the host can use: it exists, is a directory, and is writable.
Result<void> check_scan_dir(const std::filesystem::path &scan_dir);

/// The pid of the s6-svscan that holds `scan_dir`, if one does.
std::optional<pid_t> svscan_pid(const std::filesystem::path &scan_dir);

struct SvscanStart {
    enum class How { already_running, started, lost_race };
    How how = How::already_running;
    pid_t pid = 0;
    std::string message;  ///< one line for the log, e.g. "s6-svscan pid 12 started on /run/x"
};

/// Makes sure an s6-svscan watches `scan_dir`, starting one whose output goes
/// to `output_file` (appended) if none does.
Result<SvscanStart> ensure_svscan(
    const std::filesystem::path &scan_dir, const std::filesystem::path &output_file,
    const S6Paths &paths, std::chrono::milliseconds ready_timeout = std::chrono::seconds(5));

/// Asks s6-svscan to pick up new service directories ("a") and, with
/// `prune`, to stop supervising vanished ones ("an").
Result<void> rescan(const std::filesystem::path &scan_dir, bool prune);

}  // namespace warden::host
