// SPDX-License-Identifier: Apache-2.0
// command.cpp — the smallest useful worker type: one configured command, run
// by s6 as a supervised service, with honest states. The SDK's worker kit
// brings the rest: states and their reasons, actions, observing.
//
//   workers:
//     - type: command
//       name: clock
//       desired_state: running
//       config: { command: /usr/bin/sleep, args: [infinity] }
#include <warden/kit.hpp>

namespace command_sample {

class CommandWorker : public warden::kit::ServiceWorker<CommandWorker> {
public:
    static constexpr std::string_view type_name = "command";
    static constexpr std::string_view description = "runs one command as a supervised service";
    using ServiceWorker::ServiceWorker;

    // The config, checked key by key; the desired state is the command line.
    static std::string derive_desired(const warden::Host &, const warden::Identity &identity,
                                      std::string_view config_json) {
        auto config = warden::kit::ConfigReader::parse(config_json, "at least `command`");
        std::vector<std::string> argv = {config.absolute_path("command").value_or("")};
        const auto args = config.string_list("args").value_or(std::vector<std::string>{});
        argv.insert(argv.end(), args.begin(), args.end());
        config.finish();  // first: "comand" is a typo, not a missing `command`
        config.require("command", "the absolute path of the program to run");
        return nlohmann::json{{"service", identity.service_name()}, {"argv", argv}}.dump();
    }

    // What runs: one s6 service with that command line, running once it has
    // stayed up for a second (the kit's default hold).
    static warden::kit::Plan plan(const warden::Snapshot &snapshot, const warden::kit::Observed &) {
        const auto desired = nlohmann::json::parse(snapshot.desired_json());
        warden::ServiceSpec spec;
        spec.name = desired.at("service");
        spec.argv = desired.at("argv");
        warden::kit::Plan plan;
        plan.services.push_back(std::move(spec));
        return plan;
    }
};

// The plugin: a name, a version and its worker types. It needs the host's
// service operations, which hosts speaking ABI 1.1 or newer offer.
struct CommandPlugin {
    static constexpr std::string_view name = "command";
    static constexpr std::string_view version = "1.0.0";
    static constexpr uint32_t min_host_minor = 1;
    using WorkerTypes = warden::WorkerTypes<CommandWorker>;
};

}  // namespace command_sample

WARDEN_PLUGIN(command_sample::CommandPlugin)
