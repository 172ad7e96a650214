// host/s6/service_layout.hpp — every file of a service directory, and the
// manifest that names them.
//
// A service directory holds what s6-supervise reads (run, notification-fd,
// down-signal, timeout-kill), the logger (log/run), and the plugin's files
// under data/ — a name s6 promises never to use. The manifest lists every
// file with its mode and a hash of its content; the S6Client stores it as
// .warden-manifest and compares it to decide between "unchanged" (leave the
// process alone) and "update in place". The `down` file is state, not
// configuration: it is not part of the layout.
#pragma once

#include "common/result.hpp"
#include "s6/s6_paths.hpp"
#include "s6/service_spec.hpp"

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace warden::host {

struct LayoutFile {
    std::string path;  ///< relative to the service directory
    std::string content;
    mode_t mode = 0644;
};

struct ServiceLayout {
    std::vector<LayoutFile> files;  ///< sorted by path
    std::string manifest;  ///< "warden-manifest 1\n" then "<hash> <mode> <path>\n" per file
};

/// Where the manifest lives in a service directory.
inline constexpr const char *kManifestFile = ".warden-manifest";

/// The layout of `spec` (which must have passed check_service_spec), with
/// its logs in `log_dir`.
ServiceLayout lay_out_service(const ServiceSpec &spec, const std::filesystem::path &log_dir,
                              const S6Paths &paths);

/// Each path a manifest lists, with its whole line ("<hash> <mode> <path>").
std::map<std::string, std::string> manifest_entries(const std::string &manifest);

}  // namespace warden::host
