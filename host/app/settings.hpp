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
    /// plugin_dirs are the built-in ones: a missing one is skipped quietly
    /// (/usr/local/lib/warden/plugins is there only once something is
    /// installed into it).
    bool default_plugin_dirs = false;
    std::filesystem::path scan_dir;
    bool create_scan_dir = false;  ///< not from the command line: made when missing
    std::filesystem::path log_dir;
    std::string log_level;
    std::string log_format;
    bool stop_services_on_exit = false;
    /// warden.yaml's service_user: who a service without a user of its own
    /// runs as; empty = the host's own user (no switch). Read at start only.
    std::string service_user;
};

/// `file` is the parsed config file, or nullptr when there is none.
Settings resolve_settings(const Options &options, const HostConfig *file);

/// The plugin dirs to load, in order: every dir given, or the built-in
/// ones that exist.
std::vector<std::filesystem::path> plugin_dirs_to_load(const Settings &settings);

}  // namespace warden::host
