// SPDX-License-Identifier: Apache-2.0
// tests/bench/exec_bench.cpp — what watching an exec worker at rest costs
// the host, each figure beside a raw one measured in the same run. The
// targets of a settled worker:
//
//   one settled     the exec worker's collect, then its next on that
//   observation     observation, in process: exec.so loaded by the host's
//                   plugin loader, its service on a real s6-svscan with the
//                   host's inotify watch on the scan dir, nothing changing.
//                   Goal: under 5 us of CPU (this thread's), mean and p99
//                   over many. Beside it: the per-stage split (the service
//                   slot: gate, S6Client; the plugin's collect without it;
//                   its next), the kit's JSON pieces alone, and raw s6: one
//                   status-file read and decode, one s6-svstat spawn.
//   N idle          the real `warden` binary with N exec workers at the
//   workers         default supervisor settings: host CPU (% of one core)
//                   and RSS over a window, goal under 1 % for 5,000; and
//                   `warden --status` over them, goal under 100 ms.
//
// The worker on s6, the timing and the steady-state window are the worker
// benchmarks' shared pieces (plugin_worker.hpp, timing.hpp,
// steady_state.hpp). Run it with tests/bench/run-exec-bench.
#include "exec_desired.hpp"

#include <warden/kit/observed.hpp>

#include "app/host_paths.hpp"
#include "common/clock.hpp"
#include "status/status_report.hpp"
#include "status/status_socket.hpp"

#include "plugin_worker.hpp"
#include "proc_stats.hpp"
#include "steady_state.hpp"
#include "test_paths.hpp"
#include "timing.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace paths = warden::test::paths;
using namespace warden::host;
using namespace std::chrono_literals;
using nlohmann::json;
using warden::bench::Measure;
using warden::bench::PluginWorkerOnS6;
using warden::bench::rows;
using warden::bench::Spread;
using warden::bench::thread_cpu_us;

// ---- one settled observation, in process ---------------------------------------

// The host's order: the collect's document into the snapshot, then next on it.
void observe_and_decide(PluginWorkerOnS6 &worker) {
    std::string observed = worker.collect();
    WorkerSnapshot &s = worker.snapshot();
    s.observed_json = std::move(observed);
    s.now_ns = monotonic_ns();
    s.observed_at_ns = s.now_ns;
    worker.next();
}

// The mean, p50 and p99 of `samples` (sorted here).
Spread spread_of(std::vector<double> &samples) {
    std::sort(samples.begin(), samples.end());
    Spread s;
    s.mean =
        std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
    s.p50 = samples[samples.size() / 2];
    s.p99 = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
    return s;
}

// What timing a call costs its CPU figure: the part of the two reads of
// this thread's CPU clock that falls between them, the mean over many
// empty calls timed as the calls here are.
double clock_cost_us() {
    constexpr int kCalls = 20000;
    double sum = 0;
    for (int i = 0; i < kCalls; ++i) {
        const double start = thread_cpu_us();
        sum += thread_cpu_us() - start;
    }
    return sum / kCalls;
}

// `calls` settled observations back to back, each timed alone: this
// thread's CPU time (mean, p50, p99) and wall time.
void settled_observations(PluginWorkerOnS6 &worker, int calls) {
    for (int i = 0; i < 200; ++i) observe_and_decide(worker);  // warm
    std::vector<double> cpu, wall;
    cpu.reserve(static_cast<std::size_t>(calls));
    wall.reserve(static_cast<std::size_t>(calls));
    for (int i = 0; i < calls; ++i) {
        const double cpu_start = thread_cpu_us();
        const auto start = std::chrono::steady_clock::now();
        observe_and_decide(worker);
        wall.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
        cpu.push_back(thread_cpu_us() - cpu_start);
    }
    const Spread c = spread_of(cpu), w = spread_of(wall);
    const std::string heading = "microseconds, " + std::to_string(calls) + " calls";
    std::printf("  %-48s %8s %8s %8s\n", heading.c_str(), "mean", "p50", "p99");
    std::printf("  %-48s %8.2f %8.2f %8.2f   goal: under 5 us\n",
                "settled observation (collect + next), CPU", c.mean, c.p50, c.p99);
    std::printf("  %-48s %8.2f\n", "  of which timing it (reading the clock)", clock_cost_us());
    std::printf("  %-48s %8.2f %8.2f %8.2f\n", "  the same, wall time", w.mean, w.p50, w.p99);
    std::fflush(stdout);
}

void run_one_observation(int calls, bool settled_only) {
    spdlog::set_level(spdlog::level::warn);  // the loader's "loaded" line is not a figure
    const json config = {{"command", "/bin/sleep"}, {"args", {"3600"}}, {"stable_after_ms", 0}};
    PluginWorkerOnS6 worker(paths::exec_plugin, "exec", "probe", config.dump());
    worker.snapshot().observed_json = worker.collect();
    worker.execute("deploy");
    worker.collect_until_ready(30s);
    worker.snapshot().state = "running";
    std::printf(
        "one exec worker, in process: exec.so through the plugin loader, its service "
        "on s6 (/bin/sleep 3600), settled in state running\n");
    settled_observations(worker, calls);
    if (settled_only) return;

    std::printf(" per stage, each call alone, interleaved (%d rounds)\n", calls / 4);
    warden::bench::print_heading();
    const std::vector<Spread> stages =
        rows(calls / 4,
             {{"collect (the plugin's hook, through the ABI)",
               [&] { worker.snapshot().observed_json = worker.collect(); }},
              {"  service observe slot (gate, S6Client, audit)", [&] { worker.gate_observe(); }},
              {"  S6Client::observe", [&] { worker.client_observe(); }},
              {"raw: S6Client::observe without its cache", [&] { worker.client_read(); }},
              {"next (the decision on that observation)", [&] { worker.next(); }},
              {"raw: read + decode supervise/status", [&] { worker.decode(); }},
              {"an empty call (what timing one costs)", [] {}}});
    std::printf("  %-48s %35.2f   the kit: plan, Observed, its JSON\n",
                "collect - observe slot, CPU", stages[0].cpu - stages[1].cpu);
    std::printf("  (each CPU figure includes the empty call's: two reads of the thread's clock)\n");
    std::fflush(stdout);

    std::printf(" the plugin's JSON alone (its sources compiled into this benchmark)\n");
    const std::string observed = worker.collect();
    const std::string desired = worker.snapshot().desired_json;
    const auto document = warden::kit::Observed::from_json(observed);
    rows(calls / 4,
         {{"kit::Observed::to_json", [&] { (void)document.to_json(); },
           std::to_string(observed.size()) + " bytes"},
          {"kit::Observed::from_json", [&] { (void)warden::kit::Observed::from_json(observed); }},
          {"ExecDesired::from_json (the desired state)",
           [&] { (void)exec_sample::ExecDesired::from_json(desired); },
           std::to_string(desired.size()) + " bytes"}});

    std::printf(" for scale\n");
    const std::string dir = worker.service_dir().string();
    rows(std::max(calls / 200, 10),
         {{"raw: s6-svstat (one process spawn)",
           [&] {
               warden::bench::spawn_and_wait("/usr/bin/s6-svstat", {"s6-svstat", dir});
           },
           "CPU: the spawning thread's only"}});
}

// ---- N idle workers, the real host ---------------------------------------------------

// `warden --status` over every worker: the report through the status
// socket in process (the host's side of it), and the command itself.
void time_status(const std::filesystem::path &scan_dir, const std::filesystem::path &config,
                 int workers) {
    std::vector<double> socket_ms, command_ms;
    std::size_t bytes = 0;
    for (int i = 0; i < 20; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const auto text = request_status(status_socket_path(scan_dir), 10s);
        socket_ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        if (!text) throw std::runtime_error("--status: " + text.error().message);
        bytes = text.value().size();
    }
    for (int i = 0; i < 5; ++i) {
        const auto start = std::chrono::steady_clock::now();
        warden::bench::spawn_and_wait(paths::warden_binary,
                                      {"warden", "--config", config.string(), "--status"});
        command_ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    const Spread s = spread_of(socket_ms), c = spread_of(command_ms);
    std::printf(
        "  --status over %d workers, the report through the socket: %.1f ms mean, "
        "%.1f ms p99 (%zu bytes)   goal: under 100 ms\n",
        workers, s.mean, s.p99, bytes);
    std::printf("  `warden --status`, the command: %.1f ms mean\n", c.mean);
    std::fflush(stdout);
}

void run_idle_workers(int workers, int seconds) {
    warden::bench::SteadyState run;
    run.plugin = paths::exec_plugin;
    run.what = "idle exec workers under the warden binary (/bin/sleep 3600)";
    run.worker_yaml = [](int i) {
        return "  - {type: exec, name: w" + std::to_string(i) +
               ", config: {command: /bin/sleep, args: ['3600']}}\n";
    };
    run.program = "sleep";
    run.program_label = "the programs (sleep)";
    run.goal = "goal: under 1% for 5,000";
    run.after_window = [workers](const std::filesystem::path &scan_dir,
                                 const std::filesystem::path &config) {
        time_status(scan_dir, config, workers);
    };
    warden::bench::run_steady_state(workers, seconds, run);
}

}  // namespace

int main(int argc, char **argv) {
    const int workers = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
    const int calls = argc > 3 ? std::atoi(argv[3]) : 20000;
    // "settled": the settled observations alone, for a profiler to see.
    const bool settled_only = argc > 4 && std::string(argv[4]) == "settled";
    if (workers < 0 || seconds < 1 || calls < 200 || (argc > 4 && !settled_only)) {
        std::fprintf(stderr,
                     "usage: exec_bench [WORKERS (1000; 0: none)] [SECONDS (30)] "
                     "[CALLS (20000)] [settled]\n");
        return 2;
    }
    try {
        run_one_observation(calls, settled_only);
        if (workers > 0) run_idle_workers(workers, seconds);
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "exec_bench: %s\n", e.what());
        return 1;
    }
}
