// SPDX-License-Identifier: Apache-2.0
// host/app/check_config.hpp — `warden --config FILE --check-config`.
#pragma once

#include "config/config_problem.hpp"
#include "plugins/plugin_registry.hpp"

#include <filesystem>
#include <ostream>
#include <string_view>
#include <vector>

namespace warden::host {

/// Checks the config file's text as load_config does, then (when that
/// passes) asks each worker type that offers check_config (ABI 1.2) to
/// check its workers, and prints every problem as "FILE:LINE: message"
/// ("worker TYPE/NAME: ..." for the plugins' own checks), then a summary
/// line. Returns the exit status: 0 when clean, 1 otherwise.
int check_config(const std::filesystem::path &file, std::string_view text,
                 const PluginRegistry &plugins, std::ostream &out);

/// Prints `problems` and a summary line; returns 1 (0 when there are none).
int report_problems(const std::filesystem::path &file, const std::vector<ConfigProblem> &problems,
                    std::ostream &out);

}  // namespace warden::host
