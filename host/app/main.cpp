// SPDX-License-Identifier: Apache-2.0
// host/app/main.cpp — the `warden` executable.
#include "app/check_config.hpp"
#include "app/command_line.hpp"
#include "app/host_trust.hpp"
#include "app/list_plugins.hpp"
#include "app/logging.hpp"
#include "app/run_host.hpp"
#include "app/settings.hpp"
#include "app/show_status.hpp"
#include "app/start_svscan.hpp"
#include "config/host_config.hpp"
#include "net/http_probe.hpp"
#include "plugin_services/host_services.hpp"
#include "plugin_services/system_accounts.hpp"
#include "plugins/plugin_registry.hpp"
#include "s6/svscan.hpp"

#include <signal.h>

#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <variant>

namespace {

using warden::host::StatusFormat;

// `json_status` is set once the command line asks for `--status --json`:
// from then on every failure is told on stdout as a JSON object too.
int run(int argc, char **argv, bool &json_status) {
    using namespace warden::host;

    auto parsed = parse_command_line(argc, argv);
    if (const auto *early = std::get_if<EarlyExit>(&parsed)) {
        (early->status == 0 ? std::cout : std::cerr) << early->text;
        return early->status;
    }
    Options options = std::get<Options>(std::move(parsed));
    json_status = options.action == Action::status && options.json;
    const StatusFormat status_format = json_status ? StatusFormat::json : StatusFormat::table;

    // Without --config, the default file: running the host and checking
    // need it; the other actions read it when it is there.
    if (!options.config_file) {
        std::error_code error;
        if (std::filesystem::exists(default_config_file(), error)) {
            options.config_file = default_config_file();
        } else if (options.action == Action::run || options.action == Action::check_config) {
            std::cerr << "warden: no config file: " << default_config_file().string()
                      << " is not there; give one with --config FILE\n";
            return 1;
        }
    }

    // The file's own settings (plugin dirs, log level) apply even while
    // other parts of it have problems, so a check reports them all.
    std::string config_text;
    std::optional<HostConfig> file;
    if (options.config_file) {
        // A file that names plugin dirs and programs (checking a config runs
        // `benthos lint` from it) is judged as the plugins are, as root;
        // asking a running host for its status only reads the scan dir.
        Result<std::string> text = options.action == Action::status
                                       ? read_config_file(*options.config_file)
                                       : read_host_config(*options.config_file);
        if (!text) {
            if (options.action == Action::status)
                return status_failure(status_format, StatusErrorKind::config, text.error().message,
                                      1, std::cout, std::cerr);
            std::cerr << "warden: " << text.error().message << "\n";
            return 1;
        }
        config_text = std::move(text).value();
        file = parse_config(config_text).config;
    }
    const Settings settings = resolve_settings(options, file ? &*file : nullptr);
    set_up_logging(settings.log_level, settings.log_format);
    // libcurl's global setup is not safe once other threads run.
    init_http_probe();

    // An s6-svscan this process starts (or execs) inherits its limits.
    if (options.action == Action::run || options.action == Action::run_svscan ||
        options.action == Action::start_svscan)
        raise_open_files_limit();
    switch (options.action) {
        case Action::list_plugins:
        case Action::check_config: {
            PluginRegistry registry;
            for (const auto &dir : plugin_dirs_to_load(settings)) registry.load_directory(dir);
            if (options.action == Action::list_plugins) return list_plugins(registry, std::cout);
            // The plugins' checks settle accounts as this host would: with
            // the file's service_user, as the user running the check.
            set_service_accounts(this_host_account(settings.service_user));
            return check_config(*options.config_file, config_text, registry, std::cout);
        }
        case Action::start_svscan: return start_svscan(settings, std::cout, std::cerr);
        case Action::run_svscan: return run_svscan(settings, std::cerr);
        case Action::status: return show_status(settings, status_format, std::cout, std::cerr);
        case Action::run: return run_host(options, settings, std::move(config_text));
    }
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    // A pipe or FIFO whose reader went (an s6-supervise exiting between the
    // open and the write, a status client gone) is an error to handle, not
    // a reason to die.
    ::signal(SIGPIPE, SIG_IGN);
    bool json_status = false;
    std::string fatal;
    try {
        return run(argc, argv, json_status);
    } catch (const std::exception &e) {
        fatal = std::string("fatal: ") + e.what();
    } catch (...) {
        fatal = "fatal: an unknown exception";
    }
    std::cerr << "warden: " << fatal << '\n';
    if (json_status)
        std::cout << warden::host::status_error_json(warden::host::StatusErrorKind::internal,
                                                     fatal);
    return 70;  // EX_SOFTWARE
}
