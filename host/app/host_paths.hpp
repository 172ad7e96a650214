// SPDX-License-Identifier: Apache-2.0
// host/app/host_paths.hpp — where the host keeps its own files: in the
// scan dir's hidden state directory (warden_state_dir: s6-svscan skips
// names with a leading dot), so the host's lock, status socket and port
// reservations sit with the services they are about; and s6-svscan's log.
#pragma once

#include "s6/s6_paths.hpp"

#include <filesystem>

namespace warden::host {

inline std::filesystem::path status_socket_path(const std::filesystem::path &scan_dir) {
    return warden_state_dir(scan_dir) / "control";
}

/// The workers' port reservations, kept across host restarts.
inline std::filesystem::path port_registry_path(const std::filesystem::path &scan_dir) {
    return warden_state_dir(scan_dir) / "ports";
}

/// Where s6-svscan's own output is rotated into, under the log dir: a name
/// no service can have (service names begin with a letter or digit), so no
/// service's logs can share it.
inline std::filesystem::path svscan_log_dir(const std::filesystem::path &log_dir) {
    return log_dir / "_s6-svscan";
}

}  // namespace warden::host
