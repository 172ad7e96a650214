// host/app/host_paths.hpp — where the host keeps its own files: a hidden
// directory in the scan dir (s6-svscan skips names with a leading dot), so
// the host's lock, status socket and port reservations sit with the
// services they are about.
#pragma once

#include <filesystem>

namespace warden::host {

inline std::filesystem::path host_state_dir(const std::filesystem::path &scan_dir) {
    return scan_dir / ".warden";
}

inline std::filesystem::path status_socket_path(const std::filesystem::path &scan_dir) {
    return host_state_dir(scan_dir) / "control";
}

/// The workers' port reservations, kept across host restarts.
inline std::filesystem::path port_registry_path(const std::filesystem::path &scan_dir) {
    return host_state_dir(scan_dir) / "ports";
}

}  // namespace warden::host
