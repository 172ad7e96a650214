// SPDX-License-Identifier: Apache-2.0
// host/app/settings.cpp
#include "app/settings.hpp"

#include <system_error>

namespace warden::host {

Settings resolve_settings(const Options &options, const HostConfig *file) {
    Settings s;
    s.plugin_dirs = options.plugin_dirs;
    if (s.plugin_dirs.empty() && file != nullptr) s.plugin_dirs = file->plugin_dirs;
    if (s.plugin_dirs.empty()) {
        // WARDEN_DEFAULT_PLUGIN_DIRS: directories separated by ':'.
        const std::string dirs = WARDEN_DEFAULT_PLUGIN_DIRS;
        for (std::size_t begin = 0; begin <= dirs.size();) {
            const std::size_t end = std::min(dirs.find(':', begin), dirs.size());
            if (end > begin) s.plugin_dirs.emplace_back(dirs.substr(begin, end - begin));
            begin = end + 1;
        }
        s.default_plugin_dirs = true;
    }

    // A scan dir given on the command line must exist, so a typo there is
    // an error, not a new dir; the file's (often under /run) and the
    // default are made when missing.
    if (options.scan_dir) {
        s.scan_dir = *options.scan_dir;
    } else {
        s.scan_dir =
            file != nullptr && !file->scan_dir.empty() ? file->scan_dir : WARDEN_DEFAULT_SCAN_DIR;
        s.create_scan_dir = true;
    }
    s.log_dir = options.log_dir.value_or(WARDEN_DEFAULT_LOG_DIR);
    s.log_level = options.log_level.value_or(
        file != nullptr && !file->log_level.empty() ? file->log_level : "info");
    s.log_format = options.log_format.value_or(
        file != nullptr && !file->log_format.empty() ? file->log_format : "text");
    // s6 runs in directories of its own: every path it sees is absolute.
    s.scan_dir = std::filesystem::absolute(s.scan_dir).lexically_normal();
    s.log_dir = std::filesystem::absolute(s.log_dir).lexically_normal();
    s.stop_services_on_exit =
        options.stop_services_on_exit || (file != nullptr && file->stop_services_on_exit);
    if (file != nullptr) s.service_user = file->service_user;
    return s;
}

std::vector<std::filesystem::path> plugin_dirs_to_load(const Settings &settings) {
    if (!settings.default_plugin_dirs) return settings.plugin_dirs;
    std::vector<std::filesystem::path> dirs;
    for (const auto &dir : settings.plugin_dirs) {
        // Anything else than "not there" is for the loader to report.
        std::error_code error;
        if (std::filesystem::symlink_status(dir, error).type() !=
            std::filesystem::file_type::not_found)
            dirs.push_back(dir);
    }
    return dirs;
}

}  // namespace warden::host
