// SPDX-License-Identifier: Apache-2.0
// host/s6/s6_paths.hpp — where the s6 and execline programs are.
//
// The defaults are Debian's: execline keeps its commands in
// /usr/lib/execline/bin, off PATH. Run scripts name every program by
// absolute path. warden-guard is Warden's own (host/guard): installed in
// <prefix>/libexec/warden, and found there relative to the running
// executable (<exe dir>/../libexec/warden/warden-guard), else at the
// install prefix the host was built for.
#pragma once

#include <filesystem>

namespace warden::host {

/// Where the host keeps its own files in a scan dir (its lock, status
/// socket, port reservations, instance records, s6-svscan's output FIFO):
/// a hidden directory, which s6-svscan skips.
inline std::filesystem::path warden_state_dir(const std::filesystem::path &scan_dir) {
    return scan_dir / ".warden";
}

/// Where warden-guard is for the running executable.
std::filesystem::path default_guard_program();

struct S6Paths {
    std::filesystem::path execline_bin = "/usr/lib/execline/bin";  ///< execlineb, fdmove, export...
    std::filesystem::path s6_bin = "/usr/bin";                     ///< s6-svscan, s6-log
    /// warden-guard; empty: run scripts start their program directly (only
    /// for measuring raw s6: nothing then ends an instance left behind).
    std::filesystem::path guard = default_guard_program();

    std::filesystem::path execlineb() const { return execline_bin / "execlineb"; }
    std::filesystem::path svscan() const { return s6_bin / "s6-svscan"; }
    std::filesystem::path s6_log() const { return s6_bin / "s6-log"; }
    /// What switches a service to its user and group (host/s6/run_script.hpp).
    std::filesystem::path setuidgid() const { return s6_bin / "s6-setuidgid"; }
    std::filesystem::path envuidgid() const { return s6_bin / "s6-envuidgid"; }
    std::filesystem::path applyuidgid() const { return s6_bin / "s6-applyuidgid"; }
};

}  // namespace warden::host
