// host/app/command_line.hpp — what the command line asks the host to do.
//
// parse_command_line never exits and never prints: it returns the options,
// or the text to print and the exit status (for --help, --version and
// errors), so main decides and tests can check every case.
#pragma once

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace warden::host {

enum class Action {
    list_plugins,  ///< --list-plugins
    start_svscan,  ///< --start-svscan
};

struct Options {
    Action action = Action::list_plugins;
    std::vector<std::filesystem::path> plugin_dirs;  ///< never empty
    std::filesystem::path scan_dir;                  ///< where s6-svscan looks for services
    bool default_scan_dir = true;                    ///< not given: the host may create it
    std::filesystem::path log_dir;                   ///< service logs and s6-svscan's output
    std::string log_level = "info";
};

/// Text for stdout (help, version) or stderr (usage errors), and the exit status.
struct EarlyExit {
    std::string text;
    int status = 0;  ///< 0 for help and version, 2 for usage errors
};

std::variant<Options, EarlyExit> parse_command_line(int argc, const char *const argv[]);

}  // namespace warden::host
