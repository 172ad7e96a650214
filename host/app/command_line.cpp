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
    po::options_description options("Options");
    // clang-format off
    options.add_options()
        ("help,h", "print this help and exit")
        ("version", "print the version and exit")
        ("plugin-dir", po::value<std::vector<std::string>>()->value_name("DIR"),
         "load plugins from DIR; may be given more than once "
         "(default: " WARDEN_DEFAULT_PLUGIN_DIR ")")
        ("list-plugins", "load the plugins, print what each offers or why it was refused, "
                         "and exit (0 when at least one loaded)")
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
        text << "Usage: warden --list-plugins [--plugin-dir DIR]...\n\n"
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

    if (vm.count("list-plugins") == 0) return usage_error("nothing to do: give --list-plugins");
    parsed.action = Action::list_plugins;
    return parsed;
}

}  // namespace warden::host
