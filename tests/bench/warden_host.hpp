// SPDX-License-Identifier: Apache-2.0
// tests/bench/warden_host.hpp — the real `warden` binary as the host
// benchmarks drive it: its embedded s6-svscan on a scan dir of its own
// (under TMPDIR: tmpfs when the run-*-bench script chose it), the exec
// plugin copied into a plugin directory of its own, exec workers running
// `/bin/sleep 3600`, added and removed by rewriting its config file (renamed
// in: one reload per change, as a deploy tool makes). Also the clock and
// the fine wait the host benchmarks time with.
//
// OWNERSHIP: the host is SIGKILLed and reaped when dropped (BackgroundProcess);
// when the WardenHost goes, also on an error, its s6-svscan and every
// process under its directory are killed by pid (S6Sandbox).
#pragma once

#include "plugin_dir.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace warden::bench {

using Clock = std::chrono::steady_clock;

/// Milliseconds since `start`.
double ms_since(Clock::time_point start);

/// Polls `done` every quarter millisecond (the figures are in milliseconds)
/// until it holds (true) or `timeout` passes (false).
bool wait_fine(const std::function<bool()> &done, std::chrono::seconds timeout);

/// The middle value of `v` (of an even count, the upper one).
double median(std::vector<double> v);

/// The pid s6 records for the service's process in `scan_dir`; 0 when none is up.
int64_t service_pid(const std::filesystem::path &scan_dir, const std::string &service);

/// Whether s6 records a process up for each of `services` in `scan_dir`.
bool all_up(const std::filesystem::path &scan_dir, const std::vector<std::string> &services);

class WardenHost {
public:
    WardenHost();

    std::filesystem::path scan() const { return sandbox_.scan_dir(); }
    std::filesystem::path log_root() const { return sandbox_.log_root(); }
    const std::filesystem::path &root() const { return sandbox_.root(); }
    const std::filesystem::path &config() const { return config_; }

    /// Writes the config file: `extra` (YAML lines) and `workers` exec
    /// workers named PREFIX0, PREFIX1, ... each running `/bin/sleep 3600`.
    void write_config(int workers, const std::string &prefix, const std::string &extra = "");

    /// Starts the host on the config file and waits until it logs a worker
    /// running; throws after 30 s.
    void start_host();
    test::BackgroundProcess &host() { return *host_; }
    void drop_host() { host_.reset(); }

    /// Whether s6 says the service's process is up.
    bool up(const std::string &service) const { return service_pid(scan(), service) != 0; }
    bool all_up(const std::vector<std::string> &services) const {
        return bench::all_up(scan(), services);
    }
    /// Gone: out of the scan dir, and the removal finished (its hidden
    /// directory deleted once the supervisors and the process exited).
    bool all_gone(const std::vector<std::string> &services) const;
    /// The s6 services of workers PREFIX0 ... PREFIX<n-1>: "exec-PREFIX0", ...
    static std::vector<std::string> services(int n, const std::string &prefix);

private:
    test::S6Sandbox sandbox_{/*start_svscan=*/false};
    test::PluginDir plugins_;
    std::filesystem::path config_ = sandbox_.root() / "warden.yaml";
    std::unique_ptr<test::BackgroundProcess> host_;
    int runs_ = 0;
};

}  // namespace warden::bench
