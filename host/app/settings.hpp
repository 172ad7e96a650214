// SPDX-License-Identifier: Apache-2.0
// host/app/settings.hpp — what the host runs with: the command line over
// the config file over the defaults.
#pragma once

#include "app/command_line.hpp"
#include "config/host_config.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace warden::host {

struct Settings {
    std::vector<std::filesystem::path> plugin_dirs;
    std::filesystem::path scan_dir;
    bool create_scan_dir = false;  ///< not from the command line: made when missing
    std::filesystem::path log_dir;
    std::string log_level;
    std::string log_format;
    bool stop_services_on_exit = false;
};

/// `file` is the parsed config file, or nullptr when there is none.
Settings resolve_settings(const Options &options, const HostConfig *file);

}  // namespace warden::host
