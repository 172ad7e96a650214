// host/app/main.cpp — the `warden` executable.
#include "app/command_line.hpp"
#include "app/list_plugins.hpp"
#include "app/logging.hpp"
#include "app/start_svscan.hpp"
#include "plugins/plugin_registry.hpp"

#include <exception>
#include <iostream>
#include <variant>

namespace {

int run(int argc, char **argv) {
    using namespace warden::host;

    auto parsed = parse_command_line(argc, argv);
    if (const auto *early = std::get_if<EarlyExit>(&parsed)) {
        (early->status == 0 ? std::cout : std::cerr) << early->text;
        return early->status;
    }
    const Options &options = std::get<Options>(parsed);
    set_up_logging(options.log_level);

    switch (options.action) {
        case Action::list_plugins: {
            PluginRegistry registry;
            for (const auto &dir : options.plugin_dirs) registry.load_directory(dir);
            return list_plugins(registry, std::cout);
        }
        case Action::start_svscan: return start_svscan(options, std::cout, std::cerr);
    }
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        std::cerr << "warden: fatal: " << e.what() << '\n';
    } catch (...) {
        std::cerr << "warden: fatal: an unknown exception\n";
    }
    return 70;  // EX_SOFTWARE
}
