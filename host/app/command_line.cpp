// SPDX-License-Identifier: Apache-2.0
// host/app/command_line.cpp
#include "app/command_line.hpp"

#include "app/logging.hpp"
#include "app/version.hpp"

#include <boost/program_options.hpp>

#include <sstream>

namespace warden::host {
namespace po = boost::program_options;

namespace {

po::options_description describe_options() {
    po::options_description options("Options", 100, 50);
    // clang-format off
    options.add_options()
        ("help,h", "print this help and exit")
        ("version", "print the version and exit")
        ("config", po::value<std::string>()->value_name("FILE"),
         "the config file (warden.yaml): scan dir, plugin dirs, logging, workers "
         "(default: " WARDEN_DEFAULT_CONFIG_FILE "); without an action, run the host with it "
         "until SIGTERM or SIGINT (SIGHUP or a change of the file reloads it)")
        ("check-config", "check the config file (YAML, keys, names, worker types, each "
                         "plugin's own check of its workers' configs), print every problem "
                         "with its line, and exit (0 when clean)")
        ("status", "print one line per worker of the host running on the scan dir "
                   "(of the config file, or --scan-dir) and exit; exit 3 when no host runs")
        ("json", "with --status: print the report as one JSON document, and a failure as "
                 "one JSON error object, on stdout (see warden(8), STATUS AS JSON); the "
                 "exit status is the same")
        ("remove-orphans", "when running the host: remove services that carry a worker type's "
                           "prefix but that no worker in the file claims (default: warn and "
                           "leave them)")
        ("stop-services-on-exit", "when running the host: on SIGTERM or SIGINT, stop every "
                                  "worker's services before exiting (default: leave them "
                                  "running)")
        ("external-svscan", "when running the host: never start an s6-svscan; wait for the one "
                            "a service manager runs on the scan dir (warden-svscan.service), "
                            "and for its successor when it exits")
        ("list-plugins", "load the plugins, print what each offers or why it was refused, "
                         "and exit (0 when at least one loaded)")
        ("start-svscan", "make sure an s6-svscan watches the scan dir, starting one if none "
                         "does, and exit; it keeps running")
        ("run-svscan", "become the s6-svscan of the scan dir (exec), for a service manager "
                       "that runs it as a service of its own (warden-svscan.service); exit "
                       "100 when another s6-svscan watches it")
        ("plugin-dir", po::value<std::vector<std::string>>()->value_name("DIR"),
         "load plugins from DIR; may be given more than once "
         "(default: the config file's plugin_dirs, else " WARDEN_DEFAULT_PLUGIN_DIRS_TEXT ")")
        ("scan-dir", po::value<std::string>()->value_name("DIR"),
         "the s6 scan dir (default: the config file's scan_dir, else "
         WARDEN_DEFAULT_SCAN_DIR ", created if missing)")
        ("log-dir", po::value<std::string>()->value_name("DIR"),
         "where services and s6-svscan log (default: " WARDEN_DEFAULT_LOG_DIR ")")
        ("log-level", po::value<std::string>()->value_name("LEVEL"),
         "trace, debug, info (default), warn or error")
        ("log-format", po::value<std::string>()->value_name("FORMAT"),
         "text (default) or json: one JSON object per line");
    // clang-format on
    return options;
}

EarlyExit usage_error(const std::string &message) {
    return EarlyExit{"warden: " + message + "\nTry 'warden --help' for more information.\n", 2};
}

}  // namespace

std::filesystem::path default_config_file() {
    return WARDEN_DEFAULT_CONFIG_FILE;
}

std::variant<Options, EarlyExit> parse_command_line(int argc, const char *const argv[]) {
    const po::options_description options = describe_options();
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error &e) {
        return usage_error(e.what());
    }

    if (vm.count("help") != 0) {
        std::ostringstream text;
        text << "Usage: warden [--config FILE] [--remove-orphans] [--stop-services-on-exit]\n"
             << "              [--external-svscan]\n"
             << "       warden [--config FILE] --check-config\n"
             << "       warden [--config FILE] --status [--json]\n"
             << "       warden --list-plugins [--plugin-dir DIR]...\n"
             << "       warden --start-svscan [--scan-dir DIR] [--log-dir DIR]\n"
             << "       warden --run-svscan [--config FILE] [--scan-dir DIR]\n\n"
             << "Warden keeps long-running services in the state its config asks for,\n"
             << "through s6, with worker types loaded from plugins.\n\n"
             << options;
        return EarlyExit{text.str(), 0};
    }
    if (vm.count("version") != 0) return EarlyExit{version_text() + "\n", 0};

    Options parsed;
    const auto path_of = [&](const char *name) -> std::optional<std::filesystem::path> {
        if (vm.count(name) == 0) return std::nullopt;
        return std::filesystem::path(vm[name].as<std::string>());
    };
    parsed.config_file = path_of("config");
    parsed.scan_dir = path_of("scan-dir");
    parsed.log_dir = path_of("log-dir");
    for (const char *name : {"config", "scan-dir", "log-dir"})
        if (vm.count(name) != 0 && vm[name].as<std::string>().empty())
            return usage_error(std::string("--") + name + " needs a value");
    if (vm.count("plugin-dir") != 0)
        for (const auto &dir : vm["plugin-dir"].as<std::vector<std::string>>()) {
            if (dir.empty()) return usage_error("--plugin-dir needs a directory");
            parsed.plugin_dirs.emplace_back(dir);
        }
    if (vm.count("log-level") != 0) {
        parsed.log_level = vm["log-level"].as<std::string>();
        if (!valid_log_level(*parsed.log_level))
            return usage_error("invalid --log-level '" + *parsed.log_level +
                               "' (expected trace, debug, info, warn or error)");
    }
    if (vm.count("log-format") != 0) {
        parsed.log_format = vm["log-format"].as<std::string>();
        if (*parsed.log_format != "text" && *parsed.log_format != "json")
            return usage_error("invalid --log-format '" + *parsed.log_format +
                               "' (expected text or json)");
    }

    parsed.remove_orphans = vm.count("remove-orphans") != 0;
    parsed.stop_services_on_exit = vm.count("stop-services-on-exit") != 0;
    parsed.external_svscan = vm.count("external-svscan") != 0;
    parsed.json = vm.count("json") != 0;
    const int actions =
        static_cast<int>(vm.count("list-plugins") + vm.count("start-svscan") +
                         vm.count("run-svscan") + vm.count("check-config") + vm.count("status"));
    if (actions > 1)
        return usage_error(
            "give one of --list-plugins, --start-svscan, --run-svscan, --check-config and "
            "--status");
    parsed.action = vm.count("list-plugins") != 0   ? Action::list_plugins
                    : vm.count("start-svscan") != 0 ? Action::start_svscan
                    : vm.count("run-svscan") != 0   ? Action::run_svscan
                    : vm.count("check-config") != 0 ? Action::check_config
                    : vm.count("status") != 0       ? Action::status
                                                    : Action::run;
    if (parsed.action != Action::run) {
        const char *only_run = parsed.remove_orphans          ? "--remove-orphans"
                               : parsed.stop_services_on_exit ? "--stop-services-on-exit"
                               : parsed.external_svscan       ? "--external-svscan"
                                                              : nullptr;
        if (only_run != nullptr)
            return usage_error(std::string(only_run) + " goes only with running the host");
    }
    if (parsed.json && parsed.action != Action::status)
        return usage_error("--json goes only with --status");
    return parsed;
}

}  // namespace warden::host
