// SPDX-License-Identifier: Apache-2.0
// host/s6/svscan.hpp — the scan directory and the s6-svscan that watches it.
//
// The host does not own s6-svscan: it finds the one that holds the scan
// dir's lock, or starts one (setsid, readiness on a notification fd) and
// leaves it running when the host exits, so services outlive the host. Two
// hosts starting one at the same moment is safe: the second s6-svscan exits
// 100 on the held lock, and its host uses the first.
//
// s6-svscan's own output (and its supervisors' and loggers') goes to a FIFO
// in the host's state dir, <scan dir>/.warden/svscan-output, read by an
// s6-log of its own that rotates it into a log directory. The logger reads
// until every writer is gone: it outlives a killed s6-svscan (whose
// supervisors still write), serves the s6-svscan started after it, and
// ends with one stopped on purpose.
//
// A killed s6-svscan leaves its s6-supervise processes running (their
// services keep running); a new s6-svscan cannot supervise those services
// until they exit, and tries again every second. hand_over_supervisors asks
// each of them to exit once its service next stops (`x`), never restarting
// a service to hand it over.
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
#include <vector>

namespace warden::host {

/// A scan dir the host can use: it exists, is a directory, and is writable.
Result<void> check_scan_dir(const std::filesystem::path &scan_dir);

/// How many logged services s6-svscan keeps (its -c; in s6 2.11 a
/// service's logger shares its entry); its default of 500 is too few.
inline constexpr const char *kSvscanMaxServices = "8192";

/// s6-svscan holds two descriptors per logged service, and one it starts
/// inherits the limits of the process that started it: raises this
/// process's soft limit of open files to its hard limit. Returns the soft
/// limit now.
uint64_t raise_open_files_limit();

/// The pid of the s6-svscan that holds `scan_dir`, if one does.
std::optional<pid_t> svscan_pid(const std::filesystem::path &scan_dir);

struct SvscanStart {
    enum class How { already_running, started, lost_race };
    How how = How::already_running;
    pid_t pid = 0;
    std::string message;   ///< one line for the log, e.g. "s6-svscan pid 12 started on /run/x"
    pid_t logger_pid = 0;  ///< the s6-log that rotates its output; 0 when it has none of ours
};

/// Makes sure an s6-svscan watches `scan_dir`, starting one if none does,
/// with its output rotated by an s6-log into `log_dir` (started too when
/// none runs there).
Result<SvscanStart> ensure_svscan(
    const std::filesystem::path &scan_dir, const std::filesystem::path &log_dir,
    const S6Paths &paths, std::chrono::milliseconds ready_timeout = std::chrono::seconds(5));

/// Asks s6-svscan to pick up new service directories ("a") and, with
/// `prune`, to stop supervising vanished ones ("an").
Result<void> rescan(const std::filesystem::path &scan_dir, bool prune);

/// Services made by warden whose s6-supervise (or whose logger's) is not a
/// child of s6-svscan `svscan`: left by an s6-svscan that was killed. Each
/// such supervisor is asked to exit once its process next stops (`x`), so
/// `svscan` takes the service over then. Returns their names, sorted.
std::vector<std::string> hand_over_supervisors(const std::filesystem::path &scan_dir, pid_t svscan);

}  // namespace warden::host
