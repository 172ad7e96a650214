// SPDX-License-Identifier: Apache-2.0
// tests/integration/host_run.hpp — the `warden` binary run as a user runs
// it, for the host's integration tests: its own s6 sandbox (s6-svscan
// started by the host), the exec plugin, a config file of the test's own
// with quick clocks, and waits with deadlines on what the host logs.
#pragma once

#include "plugin_dir.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include "s6/s6_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace warden::host {

namespace paths = warden::test::paths;
using namespace std::chrono_literals;
using warden::test::occurrences;
using namespace std::chrono_literals;
using warden::test::BackgroundProcess;
using warden::test::PluginDir;
using warden::test::process_alive;
using warden::test::run_process;
using warden::test::S6Sandbox;
using warden::test::TempDir;
using warden::test::wait_until;
using warden::test::write_file;

// A worker entry of the config file, running the service fixture.
inline std::string exec_worker(const std::string &name, const std::string &args = "[say, hi]",
                               const std::string &desired = "running") {
    return "  - type: exec\n"
           "    name: " +
           name +
           "\n"
           "    desired_state: " +
           desired +
           "\n"
           "    config:\n"
           "      command: " +
           paths::service_fixture +
           "\n"
           "      args: " +
           args +
           "\n"
           "      stable_after_ms: 200\n";
}

class HostRun : public ::testing::Test {
protected:
    void SetUp() override { plugins_.add(paths::exec_plugin); }

    // The whole file: this sandbox, these plugins, quick clocks, `workers`.
    std::string config(const std::string &workers, const std::string &extra = "") const {
        return "scan_dir: " + sandbox_.scan_dir().string() + "\nplugin_dirs: [" +
               plugins_.path().string() +
               "]\nsupervisor: {tick_ms: 20, observation_interval_ms: 200}\n" + extra +
               "workers:\n" + workers;
    }

    std::unique_ptr<BackgroundProcess> start(std::vector<std::string> extra = {}) {
        std::vector<std::string> argv = {paths::warden_binary, "--config", config_file(),
                                         "--log-dir", sandbox_.log_root().string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        ++runs_;
        return std::make_unique<BackgroundProcess>(argv, dir_ / ("out-" + std::to_string(runs_)),
                                                   dir_ / ("err-" + std::to_string(runs_)));
    }

    std::string config_file() const { return (dir_ / "warden.yaml").string(); }
    void write_config(const std::string &text) { write_file(dir_ / "warden.yaml", text); }

    // Waits until the host has logged `needle` at least `times` times.
    static bool logs(const BackgroundProcess &host, const std::string &needle, int times = 1,
                     std::chrono::milliseconds timeout = 20s) {
        return wait_until([&] { return occurrences(host.err(), needle) >= times; }, timeout);
    }

    pid_t pid_of(const std::string &service) {
        auto status = client_.observe(service);
        return status && status->up ? static_cast<pid_t>(status->pid) : 0;
    }

    S6Sandbox sandbox_{/*start_svscan=*/false};
    S6Client client_{sandbox_.options()};
    PluginDir plugins_;
    TempDir dir_{"warden-host"};
    int runs_ = 0;
};

}  // namespace warden::host
