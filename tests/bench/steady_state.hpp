// SPDX-License-Identifier: Apache-2.0
// tests/bench/steady_state.hpp — what N workers cost once they run: the
// real `warden` binary with one plugin's workers, at the default supervisor
// settings, its CPU (% of one core) and memory over a window, beside the s6
// processes and the workers' own programs over the same window.
//
// The host runs with its embedded s6-svscan on a scan dir of its own under
// TMPDIR (tmpfs, like /run, when the run-*-bench script chose it), the
// plugin copied into a plugin directory of its own. Once every worker is
// healthy (idle, active or running), and settled for three slow observation intervals, the
// window opens; after it, the host's report tells how often it observed.
//
// OWNERSHIP: the host is stopped with SIGTERM at the end; whatever is left
// under its directory is stopped by pid, as S6Sandbox does.
#pragma once

#include "status/status_report.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace warden::bench {

struct SteadyState {
    /// The plugin's .so.
    std::filesystem::path plugin;
    /// What runs, for the heading: "benthos workers under the warden binary (...)".
    std::string what;
    /// Worker `index`'s entry of the `workers:` list, "  - type: ...\n" on.
    std::function<std::string(int index)> worker_yaml;
    /// The process name of the workers' own program ("benthos_fixture").
    std::string program;
    /// Its row's label: "the pipelines (benthos_fixture)".
    std::string program_label;
    /// Printed after the host's figures: "goal: under 5%".
    std::string goal;
    /// Optional: more figures of the settled host after the window, given
    /// its scan dir and its config file.
    std::function<void(const std::filesystem::path &scan_dir, const std::filesystem::path &config)>
        after_window;
};

/// Every worker in the brief report (no documents) of the host on
/// `scan_dir`; none while no host answers.
std::vector<host::WorkerReport> reports_of(const std::filesystem::path &scan_dir);

/// Waits until each of `workers` workers of the host on `scan_dir` is
/// observed at the settled (slower) interval of the default supervisor
/// settings; throws after ten such intervals.
void wait_until_settled(const std::filesystem::path &scan_dir, int workers);

/// Runs `workers` workers as `run` says, measures them for `seconds`, and
/// prints the figures; throws when not every worker is idle, active or
/// running within 300 s, with the host's log.
void run_steady_state(int workers, int seconds, const SteadyState &run);

}  // namespace warden::bench
