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
        ("plugin-dir", po::value<std::vector<std::string>>()->value_name("DIR"),
         "load plugins from DIR; may be given more than once "
         "(default: " WARDEN_DEFAULT_PLUGIN_DIR ")")
        ("list-plugins", "load the plugins, print what each offers or why it was refused, "
                         "and exit (0 when at least one loaded)")
        ("start-svscan", "make sure an s6-svscan watches the scan dir, starting one if none "
                         "does, and exit; it keeps running")
        ("scan-dir", po::value<std::string>()->value_name("DIR"),
         "the s6 scan dir (default: " WARDEN_DEFAULT_SCAN_DIR ", created if missing)")
        ("log-dir", po::value<std::string>()->value_name("DIR")->default_value(WARDEN_DEFAULT_LOG_DIR),
         "where services and s6-svscan log")
        ("log-level", po::value<std::string>()->value_name("LEVEL")->default_value("info"),
         "trace, debug, info, warn or error");
    // clang-format on
    return options;
}

EarlyExit usage_error(const std::string &message) {
    return EarlyExit{"warden: " + message + "\nTry 'warden --help' for more information.\n", 2};
}

}  // namespace

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
        text << "Usage: warden --list-plugins [--plugin-dir DIR]...\n"
             << "       warden --start-svscan [--scan-dir DIR] [--log-dir DIR]\n\n"
             << "Warden keeps long-running services in the state its config asks for,\n"
             << "through s6, with worker types loaded from plugins.\n\n"
             << options;
        return EarlyExit{text.str(), 0};
    }
    if (vm.count("version") != 0) return EarlyExit{version_text() + "\n", 0};

    Options parsed;
    parsed.log_level = vm["log-level"].as<std::string>();
    if (!valid_log_level(parsed.log_level))
        return usage_error("invalid --log-level '" + parsed.log_level +
                           "' (expected trace, debug, info, warn or error)");
    if (vm.count("plugin-dir") != 0)
        for (const auto &dir : vm["plugin-dir"].as<std::vector<std::string>>()) {
            if (dir.empty()) return usage_error("--plugin-dir needs a directory");
            parsed.plugin_dirs.emplace_back(dir);
        }
    if (parsed.plugin_dirs.empty()) parsed.plugin_dirs.emplace_back(WARDEN_DEFAULT_PLUGIN_DIR);

    parsed.default_scan_dir = vm.count("scan-dir") == 0;
    parsed.scan_dir =
        parsed.default_scan_dir ? WARDEN_DEFAULT_SCAN_DIR : vm["scan-dir"].as<std::string>();
    parsed.log_dir = vm["log-dir"].as<std::string>();
    if (parsed.scan_dir.empty()) return usage_error("--scan-dir needs a directory");
    if (parsed.log_dir.empty()) return usage_error("--log-dir needs a directory");

    const bool list = vm.count("list-plugins") != 0;
    const bool svscan = vm.count("start-svscan") != 0;
    if (list && svscan)
        return usage_error("give one of --list-plugins and --start-svscan, not both");
    if (!list && !svscan)
        return usage_error("nothing to do: give --list-plugins or --start-svscan");
    parsed.action = list ? Action::list_plugins : Action::start_svscan;
    return parsed;
}

}  // namespace warden::host
