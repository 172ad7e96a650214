// SPDX-License-Identifier: Apache-2.0
// host/app/command_line.hpp — what the command line asks the host to do.
//
// parse_command_line never exits and never prints: it returns the options,
// or the text to print and the exit status (for --help, --version and
// errors), so main decides and tests can check every case. Values are kept
// as given (or absent): resolve_settings (settings.hpp) merges them with the
// config file and the defaults.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace warden::host {

enum class Action {
    run,           ///< the host itself, with --config FILE or the default config
    list_plugins,  ///< --list-plugins
    start_svscan,  ///< --start-svscan
    run_svscan,    ///< --run-svscan: become s6-svscan, for a service manager
    check_config,  ///< --check-config
    status,        ///< --status: ask the running host
};

struct Options {
    Action action = Action::run;
    /// As given; absent: the default config file (default_config_file()),
    /// which the host and --check-config need and the other actions read
    /// when it is there.
    std::optional<std::filesystem::path> config_file;
    std::vector<std::filesystem::path> plugin_dirs;  ///< empty: not given
    std::optional<std::filesystem::path> scan_dir;
    std::optional<std::filesystem::path> log_dir;
    std::optional<std::string> log_level;
    std::optional<std::string> log_format;
    bool remove_orphans = false;         ///< --remove-orphans (run)
    bool stop_services_on_exit = false;  ///< --stop-services-on-exit (run); or the file's
    bool external_svscan = false;        ///< --external-svscan (run)
    bool json = false;                   ///< --json (status): the report as JSON
};

/// The config file the host reads when --config is not given.
std::filesystem::path default_config_file();

/// Text for stdout (help, version) or stderr (usage errors), and the exit status.
struct EarlyExit {
    std::string text;
    int status = 0;  ///< 0 for help and version, 2 for usage errors
};

std::variant<Options, EarlyExit> parse_command_line(int argc, const char *const argv[]);

}  // namespace warden::host
