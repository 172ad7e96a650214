// SPDX-License-Identifier: Apache-2.0
// tests/bench/benthos_bench.cpp — what watching Benthos pipelines costs the
// host, each figure beside a raw one measured in the same run. The two
// targets of the benthos worker:
//
//   one observation  the worker's own collect hook, in process: benthos.so
//                    loaded by the host's plugin loader, its service on a
//                    real s6-svscan; s6 status, then GET /ping, /ready and
//                    /metrics through the host's HTTP probe. Goal: under
//                    1 ms. Wall time (mean, p50, p99) and this thread's CPU
//                    time, back to back with the pipeline on this core and
//                    on the other, then with pauses as between observations.
//                    Raw: the same three GETs on a plain reused libcurl
//                    handle, the status read directly, one s6-svstat spawn
//                    for scale; and the parts of collect, to see where its
//                    time goes.
//   N in steady      the real `warden` binary with N benthos workers
//   state            (generate every 1 s, drop) and the default supervisor
//                    settings: host CPU (% of one core) and RSS over a
//                    window. Goal: under 5% for 100. Raw: s6-svscan, the
//                    s6-supervise and s6-log processes, and the pipelines
//                    themselves, over the same window.
//
// The Benthos stand-in (tests/fixtures/benthos_fixture) runs as the binary,
// its ports from 25000-31999 (ports.hpp). The timing, the worker on s6, the
// raw requests and the steady-state window are the worker benchmarks'
// shared pieces (timing.hpp, plugin_worker.hpp, raw_http.hpp,
// steady_state.hpp). Run it with tests/bench/run-benthos-bench.
#include "benthos_config.hpp"
#include "benthos_observed.hpp"

#include <warden/kit/observed.hpp>

#include "net/http_probe.hpp"

#include "placements.hpp"
#include "plugin_worker.hpp"
#include "ports.hpp"
#include "proc_stats.hpp"
#include "raw_http.hpp"
#include "steady_state.hpp"
#include "test_paths.hpp"
#include "timing.hpp"


#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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
using warden::bench::RawCurl;
using warden::bench::rows;
using warden::bench::Spread;

// ---- one observation, in process --------------------------------------------

// One benthos worker made by the plugin from its .so, its pipeline linted,
// deployed and live and ready; then its hooks are called from this thread.
// Returns its pipeline's HTTP port.
uint32_t make_ready(PluginWorkerOnS6 &worker) {
    worker.snapshot().observed_json = worker.collect();  // reserves the port the plan needs
    worker.execute("check");
    worker.execute("deploy");
    const std::string observed = worker.collect_until_ready(30s);
    worker.snapshot().state = "active";
    return json::parse(observed)["extra"].value("http_port", 0u);
}

void run_one_observation(int calls) {
    spdlog::set_level(spdlog::level::warn);  // the loader's "loaded" line is not a figure
    const json config = {
        {"binary", paths::benthos_fixture},
        {"input", {{"generate", {{"mapping", "root = \"hello\""}, {"interval", "1s"}}}}},
        {"output", {{"drop", json::object()}}}};
    PluginWorkerOnS6 worker(paths::benthos_plugin, "benthos", "probe", config.dump());
    const uint32_t port = make_ready(worker);
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    std::string body;
    const auto probe = [&](std::string_view path) {
        warden::bench::host_get(port, path, body, 500ms);
    };
    const auto host_probes = [&] {
        probe("/ping");
        probe("/ready");
        probe("/metrics");
    };
    RawCurl curl, renewing;  // a handle each: the second one's connection never ages
    const auto raw_gets = [&](RawCurl &handle, bool new_connection) {
        handle.get(base + "/ping", new_connection);
        handle.get(base + "/ready");
        handle.get(base + "/metrics");
    };
    const Measure collect{"collect: s6 status + /ping /ready /metrics", [&] { worker.collect(); },
                          "goal: under 1000 us"};
    const Measure gate{"  service observe slot (gate, S6Client, audit)",
                       [&] { worker.gate_observe(); }};
    const Measure probes{"  http_probe x3 (the slot's libcurl handle)", host_probes};
    const Measure raw{"raw: libcurl, one reused handle, 3 GETs", [&] { raw_gets(curl, false); }};
    const Measure raw_new{"raw: the same, the first GET on a new connection",
                          [&] { raw_gets(renewing, true); }};

    std::printf(
        "one benthos worker, in process: benthos.so through the plugin loader, "
        "its pipeline on 127.0.0.1:%u\n",
        port);
    warden::bench::print_heading();
    const std::vector<Measure> hot = {
        collect,
        gate,
        probes,
        {"next: the decision on that observation", [&] { worker.next(); }},
        raw,
        raw_new,
        {"raw: S6Client::observe (lock, status, tally)", [&] { worker.client_observe(); }},
        {"raw: read + decode supervise/status", [&] { worker.decode(); }}};
    warden::bench::rows_per_placement(
        calls, hot, worker.service_pid(), "pipeline", [](const std::vector<Spread> &f) {
            std::printf("  %-48s %8.1f %26.1f   the plugin's work, the ABI crossings\n",
                        "  collect - (observe + 3 probes), mean", f[0].mean - f[1].mean - f[2].mean,
                        f[0].cpu - f[1].cpu - f[2].cpu);
        });

    std::printf(
        " a pause of 5 to 15 ms before each call (caches and cores cool, as between "
        "observations), %d rounds, on any core\n",
        calls / 10);
    rows(calls / 10, {collect, probes, raw, raw_new}, 10ms);

    std::printf(" the plugin's parsing (its sources compiled into this benchmark)\n");
    const std::string observed = worker.collect();
    probe("/metrics");
    const std::string metrics = body;
    const std::string &desired = worker.snapshot().desired_json;
    const auto document = warden::kit::Observed::from_json(observed);
    rows(calls,
         {{"BenthosConfig::from_json (the desired state)",
           [&] { (void)benthos_plugin::BenthosConfig::from_json(desired); }},
          {"kit::Counters::sum_of (the /metrics body)",
           [&] { (void)warden::kit::Counters::sum_of(metrics, benthos_plugin::kCounterNames); },
           std::to_string(metrics.size()) + " bytes"},
          {"kit::Observed::to_json", [&] { (void)document.to_json(); },
           std::to_string(observed.size()) + " bytes"},
          {"kit::Observed::from_json (each next reads it)",
           [&] { (void)warden::kit::Observed::from_json(observed); }},
          {"host: json::accept of the observed document", [&] { (void)json::accept(observed); }}});

    std::printf(" for scale\n");
    const std::string dir = worker.service_dir().string();
    rows(std::max(calls / 20, 10),
         {{"raw: s6-svstat (one process spawn)",
           [&] {
               warden::bench::spawn_and_wait("/usr/bin/s6-svstat", {"s6-svstat", dir});
           },
           "CPU: the spawning thread's only"}});
}

// ---- N workers in steady state, the real host ---------------------------------

void run_steady_state(int workers, int seconds) {
    const std::vector<uint32_t> ports = warden::bench::free_ports(workers);
    warden::bench::SteadyState run;
    run.plugin = paths::benthos_plugin;
    run.what = "benthos workers under the warden binary (generate every 1 s, drop)";
    run.worker_yaml = [&ports](int i) {
        return "  - type: benthos\n    name: b" + std::to_string(i) +
               "\n    config:\n      binary: " + paths::benthos_fixture +
               "\n      http_port: " + std::to_string(ports[static_cast<std::size_t>(i)]) +
               "\n      input: { generate: { mapping: 'root = \"hello\"', interval: 1s } }"
               "\n      output: { drop: {} }\n";
    };
    run.program = "benthos_fixture";
    run.program_label = "the pipelines (benthos_fixture)";
    run.goal = "goal: under 5%";
    warden::bench::run_steady_state(workers, seconds, run);
}

}  // namespace

int main(int argc, char **argv) {
    const int workers = argc > 1 ? std::atoi(argv[1]) : 100;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
    const int calls = argc > 3 ? std::atoi(argv[3]) : 2000;
    if (workers < 1 || seconds < 1 || calls < 20) {
        std::fprintf(stderr,
                     "usage: benthos_bench [WORKERS (100)] [SECONDS (30)] [CALLS (2000)]\n");
        return 2;
    }
    try {
        init_http_probe();
        run_one_observation(calls);
        run_steady_state(workers, seconds);
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "benthos_bench: %s\n", e.what());
        return 1;
    }
}
