// host/s6/service_spec.hpp — what the S6Client is asked to run.
//
// The host's own copy of a service spec: every default already applied, so
// the rest of host/s6 never deals with "0 means default". check_service_spec
// refuses what s6 or execline could not run as asked, naming the field.
#pragma once

#include "common/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden::host {

/// A file written under the service's data/ directory.
struct ServiceDataFile {
    std::string path;  ///< relative to data/
    std::string content;
    uint32_t mode = 0644;
};

struct ServiceSpec {
    std::string name;
    std::vector<std::string> argv;  ///< argv[0] is an absolute path
    std::vector<std::string> env;   ///< "NAME=value", added to the environment
    std::string working_dir;        ///< empty = the service directory
    std::vector<ServiceDataFile> files;
    int notification_fd = 0;           ///< 0 = no readiness notification
    int down_signal = 15;              ///< SIGTERM
    uint32_t kill_timeout_ms = 10000;  ///< 0 = never SIGKILL
    bool start_down = false;           ///< a new service starts down (a `down` file)
    uint32_t log_max_files = 10;
    uint64_t log_max_file_bytes = 1000000;
};

/// Whether `path` names a file inside a directory the host made (a
/// service's data/, a command's working dir): relative, at most 255 bytes,
/// no control characters, no empty, "." or ".." parts.
bool valid_data_path(std::string_view path);

/// The first problem that stops `spec` from running as asked, or nothing.
Result<void> check_service_spec(const ServiceSpec &spec);

}  // namespace warden::host
