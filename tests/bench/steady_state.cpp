// SPDX-License-Identifier: Apache-2.0
// tests/bench/steady_state.cpp
#include "steady_state.hpp"

#include "proc_stats.hpp"

#include "app/host_paths.hpp"
#include "status/status_report.hpp"
#include "status/status_socket.hpp"
#include "supervisor/supervisor_settings.hpp"

#include "plugin_dir.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"
#include "test_paths.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace warden::bench {
namespace {

namespace fs = std::filesystem;
using namespace warden::host;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int64_t kMsNs = 1'000'000;

// The warden binary with one config file: the plugin and the workers.
class HostWithWorkers {
public:
    HostWithWorkers(const SteadyState &run, int workers) {
        plugins_.add(run.plugin);
        fs::create_directories(sandbox_.scan_dir());
        std::string text = "scan_dir: " + sandbox_.scan_dir().string() + "\nplugin_dirs: [" +
                           plugins_.path().string() + "]\nworkers:\n";
        for (int i = 0; i < workers; ++i) text += run.worker_yaml(i);
        std::ofstream(config_) << text;
    }

    void start() {
        host_ = std::make_unique<test::BackgroundProcess>(
            std::vector<std::string>{test::paths::warden_binary, "--config", config_.string(),
                                     "--log-dir", sandbox_.log_root().string()},
            sandbox_.root() / "host.out", sandbox_.root() / "host.err");
    }
    void stop() {
        host_->signal(SIGTERM);
        host_->wait(60s);
    }
    pid_t host_pid() const { return host_->pid(); }
    fs::path scan_dir() const { return sandbox_.scan_dir(); }
    const fs::path &config() const { return config_; }
    std::string host_log() const { return host_->err(); }

    std::vector<WorkerReport> report() const { return reports_of(sandbox_.scan_dir()); }
    std::vector<pid_t> named(const std::string &comm) const {
        return processes_named(comm, sandbox_.root());
    }

private:
    test::S6Sandbox sandbox_{/*start_svscan=*/false};
    test::PluginDir plugins_;
    fs::path config_ = sandbox_.root() / "warden.yaml";
    std::unique_ptr<test::BackgroundProcess> host_;
};

// "98 active, 2 idle"; `running` gets how many are healthy: idle or active
// (benthos), running (exec).
std::string describe(const std::vector<WorkerReport> &workers, int *running = nullptr) {
    std::map<std::string, int> states;
    for (const WorkerReport &w : workers) ++states[w.worker.state];
    if (running != nullptr) *running = 0;
    for (const auto &[state, n] : states)
        if (running != nullptr && (state == "idle" || state == "active" || state == "running"))
            *running += n;
    std::string text;
    for (const auto &[state, n] : states)
        text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + state;
    return text.empty() ? "no workers reported" : text;
}

void print_usage(const char *what, std::size_t processes, const Usage &before, const Usage &after,
                 double seconds, const char *note) {
    std::printf("  %-34s %4zu   CPU %6.2f%% of one core   PSS %7.1f MiB   %s\n", what, processes,
                100.0 * (after.cpu_seconds - before.cpu_seconds) / seconds,
                static_cast<double>(after.pss_kib) / 1024.0, note);
}

// Each worker's observations as the host's reports show them. The report
// gives the time of an observation in unix time converted from the
// monotonic clock, anew each time: it moves a little between two reports of
// the same observation, and by seconds between two observations.
class ObservationTracker {
public:
    /// Reads one report; how many workers showed a new observation in it.
    long sample(const std::vector<WorkerReport> &report) {
        long fresh = 0;
        for (const WorkerReport &w : report) {
            Seen &seen = seen_[w.worker.label()];
            if (seen.at != 0 && std::abs(w.worker.observed_at - seen.at) > 100 * kMsNs) {
                seen.gap = std::abs(w.worker.observed_at - seen.at);
                ++fresh;
            }
            seen.at = w.worker.observed_at;
        }
        return fresh;
    }
    /// Whether each of `workers` workers showed two observations at least
    /// `gap_ns` apart, the last two it showed.
    bool every_gap_at_least(int64_t gap_ns, int workers) const {
        int wide = 0;
        for (const auto &entry : seen_) wide += entry.second.gap >= gap_ns ? 1 : 0;
        return wide >= workers;
    }

private:
    struct Seen {
        int64_t at = 0;
        int64_t gap = 0;
    };
    std::map<std::string, Seen> seen_;
};

// How often the host observed, read from its report after the window so
// the asking does not count in the window's figures.
double observations_per_second(const HostWithWorkers &run, int seconds) {
    ObservationTracker tracker;
    long observations = 0;
    const auto sampling = Clock::now();
    const auto sample_for = std::chrono::seconds(std::min(seconds, 20));
    while (Clock::now() - sampling < sample_for) {
        observations += tracker.sample(run.report());
        std::this_thread::sleep_for(250ms);  // a sample every 250 ms, not a wait
    }
    return static_cast<double>(observations) /
           std::chrono::duration<double>(Clock::now() - sampling).count();
}

}  // namespace

std::vector<WorkerReport> reports_of(const std::filesystem::path &scan_dir) {
    // Without the documents: nothing here reads them, and at thousands of
    // workers they are most of the report.
    const auto text = request_status(status_socket_path(scan_dir), 5000ms, /*brief=*/true);
    HostReport host;
    std::vector<WorkerReport> workers;
    if (!text || !decode_report(text.value(), host, workers)) return {};
    return workers;
}

// Settled workers are observed at the slower interval once they have held
// their state that long: settled once every worker has shown two
// observations that far apart (nine tenths of it: the report's times move a
// little).
void wait_until_settled(const std::filesystem::path &scan_dir, int workers) {
    const SupervisorSettings d;
    ObservationTracker settling;
    const int64_t settled_gap_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(d.idle_observation_interval).count() *
        9 / 10;
    // Asked every 250 ms: often enough to see each observation of a
    // settled worker, and the asking does not load the host it measures.
    const auto deadline = Clock::now() + d.idle_observation_interval * 10;
    bool settled = false;
    while (!settled && Clock::now() < deadline) {
        settling.sample(reports_of(scan_dir));
        settled = settling.every_gap_at_least(settled_gap_ns, workers);
        if (!settled) std::this_thread::sleep_for(250ms);
    }
    if (!settled)
        throw std::runtime_error("not every worker settled to the slower observation interval in " +
                                 std::to_string(d.idle_observation_interval.count() * 10) +
                                 " ms: " + describe(reports_of(scan_dir)));
}

void run_steady_state(int workers, int seconds, const SteadyState &run) {
    const SupervisorSettings d;
    std::printf(
        "\n%d %s, default supervisor settings:\n  tick %lld ms, observation %lld ms, settled %lld "
        "ms, collect timeout %lld ms, stale after %lld ms\n",
        workers, run.what.c_str(), static_cast<long long>(d.tick.count()),
        static_cast<long long>(d.observation_interval.count()),
        static_cast<long long>(d.idle_observation_interval.count()),
        static_cast<long long>(d.collect_timeout.count()),
        static_cast<long long>(d.stale_after.count()));
    std::fflush(stdout);
    HostWithWorkers host_run(run, workers);
    const auto started = Clock::now();
    host_run.start();
    int running = 0;
    std::string states;
    if (!warden::test::wait_until(
            [&] {
                states = describe(host_run.report(), &running);
                return running >= workers;
            },
            300s))
        throw std::runtime_error("not every worker reached idle, active or running in 300 s: " +
                                 states + "\n" + host_run.host_log());
    std::printf("  config loaded -> all %d healthy in %.1f s (%s)\n", workers,
                std::chrono::duration<double>(Clock::now() - started).count(), states.c_str());
    std::fflush(stdout);
    const auto settle_started = Clock::now();
    wait_until_settled(host_run.scan_dir(), workers);
    const double settled_s = std::chrono::duration<double>(Clock::now() - settle_started).count();

    const pid_t host = host_run.host_pid();
    std::vector<pid_t> s6 = host_run.named("s6-svscan");
    for (pid_t p : host_run.named("s6-supervise")) s6.push_back(p);
    const std::vector<pid_t> logs = host_run.named("s6-log");
    const std::vector<pid_t> programs = host_run.named(run.program);
    const Usage host_before = usage_of(host), s6_before = usage_of(s6),
                logs_before = usage_of(logs), programs_before = usage_of(programs);
    const auto window = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));  // the window measured
    const double span = std::chrono::duration<double>(Clock::now() - window).count();
    const Usage host_after = usage_of(host), s6_after = usage_of(s6), logs_after = usage_of(logs),
                programs_after = usage_of(programs);
    const double host_cpu = host_after.cpu_seconds - host_before.cpu_seconds;

    std::printf("  %.0f s window, after %.1f s for every worker to settle:\n", span, settled_s);
    std::printf("  %-34s %4d   CPU %6.2f%% of one core   RSS %7.1f MiB (PSS %.1f)   %s\n",
                "warden host", 1, 100.0 * host_cpu / span,
                static_cast<double>(host_after.rss_kib) / 1024.0,
                static_cast<double>(host_after.pss_kib) / 1024.0, run.goal.c_str());
    std::printf("  %-34s        %ld threads, %d TCP connections open\n", "", host_after.threads,
                tcp_connections_of(host));
    print_usage("raw: s6-svscan + s6-supervise", s6.size(), s6_before, s6_after, span,
                "(a service and its log each have one)");
    print_usage("raw: s6-log", logs.size(), logs_before, logs_after, span, "");
    print_usage(run.program_label.c_str(), programs.size(), programs_before, programs_after, span,
                "");
    std::fflush(stdout);

    const double rate = observations_per_second(host_run, seconds);
    std::printf(
        "  observations: %.1f a second (each worker every %.1f s); host CPU per "
        "observation, all host work included: %.0f us\n",
        rate, rate > 0 ? workers / rate : 0.0, rate > 0 ? 1e6 * host_cpu / span / rate : 0.0);
    std::printf("  after the window: %s\n", describe(host_run.report()).c_str());
    std::fflush(stdout);
    if (run.after_window) run.after_window(host_run.scan_dir(), host_run.config());
    host_run.stop();
}

}  // namespace warden::bench
