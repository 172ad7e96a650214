// SPDX-License-Identifier: Apache-2.0
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
#include <optional>
#include <string>
#include <string_view>
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

/// Whether `dir` holds a manifest: the mark of a service directory Warden
/// made. One without it (a hand-made s6 service) is never touched.
bool made_by_warden(const std::filesystem::path &dir);

/// The layout of `spec` (which must have passed check_service_spec), with
/// its logs in `log_dir` and its instance records in `record_dir`
/// (NAME for the service, NAME.log for its logger).
ServiceLayout lay_out_service(const ServiceSpec &spec, const std::filesystem::path &log_dir,
                              const std::filesystem::path &record_dir, const S6Paths &paths);

/// Each path a manifest lists, with its whole line ("<hash> <mode> <path>"),
/// or nothing when `manifest` is not one this host writes: any line out of
/// form, or a path that is not a plain relative path inside the service
/// directory, refuses the whole manifest.
std::optional<std::map<std::string, std::string>> decode_manifest(std::string_view manifest);

}  // namespace warden::host
