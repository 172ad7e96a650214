// SPDX-License-Identifier: Apache-2.0
// host/s6/service_spec.hpp — what the S6Client is asked to run.
//
// The host's own copy of a service spec: every default already applied, so
// the rest of host/s6 never deals with "0 means default". check_service_spec
// refuses what s6 or execline could not run as asked, naming the field.
#pragma once

#include "common/result.hpp"

#include <warden/plugin.h>
#include <warden/host_rules.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden::host {

/// A file written under the service's data/ directory.
struct ServiceDataFile {
    std::string path;  ///< relative to data/
    std::string content;
    uint32_t mode = WARDEN_DEFAULT_FILE_MODE;
};

struct ServiceSpec {
    std::string name;
    std::vector<std::string> argv;  ///< argv[0] is an absolute path
    std::vector<std::string> env;   ///< "NAME=value", added to the environment
    std::string working_dir;        ///< empty = the service directory
    std::vector<ServiceDataFile> files;
    int notification_fd = 0;                                    ///< 0 = no readiness notification
    int down_signal = WARDEN_DEFAULT_DOWN_SIGNAL;               ///< SIGTERM
    uint32_t kill_timeout_ms = WARDEN_DEFAULT_KILL_TIMEOUT_MS;  ///< 0 = never SIGKILL
    bool start_down = false;  ///< a new service starts down (a `down` file)
    uint32_t log_max_files = WARDEN_DEFAULT_LOG_FILES;
    uint64_t log_max_file_bytes = WARDEN_DEFAULT_LOG_FILE_BYTES;
    /// The user the process is switched to (s6's s6-setuidgid, or
    /// s6-envuidgid and s6-applyuidgid): a name, looked up when the service
    /// starts. Empty = no switch: it runs as s6-supervise does. Only a host
    /// running as root sets it (rules::settle_service_account decides).
    std::string user;
    /// With `user`: the group it runs with; empty = the user's primary group.
    std::string group;
};

/// Whether `path` names a file inside a directory the host made (a
/// service's data/, a command's working dir): relative, at most
/// WARDEN_MAX_FILE_PATH_BYTES, no control characters, no empty, "." or ".."
/// parts. The SDK's rule, shared with the fake host.
using warden::rules::valid_data_path;

/// The first problem that stops `spec` from running as asked, or nothing.
Result<void> check_service_spec(const ServiceSpec &spec);

}  // namespace warden::host
