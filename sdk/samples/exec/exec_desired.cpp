// SPDX-License-Identifier: Apache-2.0
// exec_desired.cpp — checking a config and deriving the desired state.
//
// derive_desired_state is the plugin's one chance to refuse a config before
// anything runs: `warden --check-config` calls it, and so does every reload.
// So every check lives here, and every error names the key and says what is
// wrong with it. The kit's config reader writes the errors users see from
// every worker type; the desired document is nlohmann/json, as the kit's.
#include "exec_desired.hpp"

#include <warden/kit/config_reader.hpp>
#include <warden/kit/json_value.hpp>

#include <nlohmann/json.hpp>

namespace exec_sample {

using nlohmann::json;

// from_config shows the checks a derive hook makes, through the kit's config
// reader: the shape of the config, each key's type, no unknown keys (a typo
// should be an error, not a silent default), and values the service can
// actually use. It throws warden::ConfigError; the wrapper turns that into
// WARDEN_ERR_INVALID_ARGUMENT and the message reaches the user.
ExecDesired ExecDesired::from_config(const warden::Identity &identity,
                                     std::string_view config_json) {
    auto config = warden::kit::ConfigReader::parse(config_json, "at least `command`");
    ExecDesired d;
    d.service = identity.service_name();
    d.command = config.absolute_path("command").value_or("");
    d.args = config.string_list("args").value_or(d.args);
    d.env = config.env("env").value_or(d.env);
    d.working_dir = config.absolute_path("working_dir").value_or("");
    // A duration longer than an hour is surely a typo for seconds.
    d.stable_after_ms = static_cast<uint32_t>(
        config
            .whole_number("stable_after_ms",
                          warden::kit::WholeNumber(0, 3'600'000).of("milliseconds"))
            .value_or(d.stable_after_ms));
    // `user` and `group`, as every worker type reads them: names only.
    d.run_as = warden::kit::RunAs::read(config);
    config.finish();  // first: "comand" is a typo, not a missing `command`
    config.require("command", "the absolute path of the program to run");
    return d;
}

// to_json writes the desired document. nlohmann's objects keep their keys
// sorted, so the same desired state always gives the same bytes: the host can
// compare documents, and fingerprint() is stable across host restarts.
std::string ExecDesired::to_json() const {
    json out = {
        {"service", service}, {"command", command},         {"args", args},
        {"env", env},         {"working_dir", working_dir}, {"stable_after_ms", stable_after_ms}};
    run_as.write(out);
    return out.dump();
}

// from_json reads the document back. It was written by to_json, so it is
// trusted: a missing key simply keeps its default.
ExecDesired ExecDesired::from_json(std::string_view desired_json) {
    const json in = warden::kit::parse_object(desired_json, "desired state");
    ExecDesired d;
    d.service = in.value("service", "");
    d.command = in.value("command", "");
    d.args = in.value("args", std::vector<std::string>{});
    d.env = in.value("env", std::map<std::string, std::string>{});
    d.working_dir = in.value("working_dir", "");
    d.stable_after_ms = in.value("stable_after_ms", 1000u);
    d.run_as = warden::kit::RunAs::from(in);
    return d;
}

// service_spec turns the desired state into what s6 runs. argv and env go to
// the host as separate strings, never through a shell, so spaces, quotes and
// `$` reach the program exactly as written in the config.
warden::ServiceSpec ExecDesired::service_spec() const {
    warden::ServiceSpec spec;
    spec.name = service;
    spec.argv.push_back(command);
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    for (const auto &[name, value] : env) spec.env.push_back(name + "=" + value);
    spec.working_dir = working_dir;
    // Who it runs as: the host switches to the user (and group) when it runs
    // as root, and refuses another user than its own when it does not.
    run_as.apply(spec);
    // Zero fields take the host's defaults: SIGTERM to stop, SIGKILL 10 s
    // later if the program ignores it, s6-log keeping 10 files of 1 MB.
    return spec;
}

}  // namespace exec_sample
