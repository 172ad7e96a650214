// SPDX-License-Identifier: Apache-2.0
// exec_desired.hpp — what an `exec` worker should be, derived from its config.
//
// The host hands a worker's `config:` block to the plugin as JSON. The plugin
// checks it and turns it into its desired state: a JSON object the host keeps
// and shows, and hands back in every snapshot. ExecDesired is the typed form
// of that object; it round-trips through JSON unchanged.
#pragma once

#include <warden/kit/run_as.hpp>
#include <warden/plugin.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace exec_sample {

struct ExecDesired {
    std::string service;  ///< the s6 service this worker owns: "exec-<name>"
    std::string command;  ///< absolute path of the program
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string working_dir;          ///< empty = the service directory
    uint32_t stable_after_ms = 1000;  ///< up this long counts as healthy
    warden::kit::RunAs run_as;        ///< `user` and `group`; empty = the host's default

    /// Checks a worker's config and derives the desired state from it.
    /// Throws warden::ConfigError naming the key and the problem.
    static ExecDesired from_config(const warden::Identity &identity, std::string_view config_json);

    /// The desired document as the host stores it, and back.
    std::string to_json() const;
    static ExecDesired from_json(std::string_view desired_json);

    /// The s6 service that runs the command.
    warden::ServiceSpec service_spec() const;
};

}  // namespace exec_sample
