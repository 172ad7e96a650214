// SPDX-License-Identifier: Apache-2.0
// tests/bench/redpanda_bench.cpp — what watching Redpanda brokers costs the
// host, each figure beside a raw one measured in the same run. The targets
// of the redpanda worker:
//
//   one observation  the worker's own collect hook, in process: redpanda.so
//                    loaded by the host's plugin loader, its broker on a
//                    real s6-svscan; s6 status, then GET /v1/status/ready
//                    and /public_metrics (the real v24.3.8 body, about 160
//                    KB) through the host's HTTP probe, and the parse of
//                    the metrics (a broker whose cluster config is as
//                    wanted has /v1/cluster_config/status read every 10 s
//                    only). Goal: under 1 ms
//                    mean. Wall time (mean, p50, p99) and this thread's CPU
//                    time, back to back with the broker on this core and on
//                    the other, then with pauses as between observations.
//                    Raw: the same two GETs on a plain reused libcurl
//                    handle, and the parts of collect, to see where its
//                    time goes.
//   the parse        redpanda_plugin::read_public_metrics on the real body
//                    (tests/fixtures/redpanda_fixture/data): mean CPU time. Goal:
//                    under 300 us. Raw, for scale: the kit's bare scan of
//                    the same body, and its full owned parse (kit::parse).
//   N in steady      the real `warden` binary with N redpanda workers, each
//   state            with its own data dir and ports, and the default
//                    supervisor settings: host CPU (% of one core) and RSS
//                    over a window. Raw: s6-svscan, the s6-supervise and
//                    s6-log processes, and the brokers themselves, over the
//                    same window.
//
// The Redpanda stand-in (tests/fixtures/redpanda_fixture) runs as the
// binary: it serves the real /public_metrics body with live values, and is
// ready 300 ms after it starts. Its ports come from 25000-31999 (ports.hpp).
// Run it with tests/bench/run-redpanda-bench.
#include "redpanda_config.hpp"
#include "redpanda_metrics.hpp"

#include <warden/kit/observed.hpp>
#include <warden/kit/prometheus.hpp>

#include "net/http_probe.hpp"

#include "placements.hpp"
#include "plugin_worker.hpp"
#include "ports.hpp"
#include "proc_stats.hpp"
#include "raw_http.hpp"
#include "steady_state.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "timing.hpp"


#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace warden::host;
using namespace std::chrono_literals;
using nlohmann::json;
using warden::bench::Measure;
using warden::bench::PluginWorkerOnS6;
using warden::bench::RawCurl;
using warden::bench::rows;
using warden::bench::Spread;

namespace paths = warden::test::paths;
// The requests of a ready broker's collect, once its cluster config matched
// (its config status is read again every 10 s).
constexpr const char *kPaths[] = {"/v1/status/ready", "/public_metrics"};

// ---- one observation, in process --------------------------------------------

// One redpanda worker made by the plugin from its .so, its broker deployed,
// ready, its metrics read and its cluster config compared (no properties
// wanted: after the first comparison, collect reads the config's status
// every 10 s only). Returns the broker's admin port.
uint32_t make_ready(PluginWorkerOnS6 &worker) {
    worker.snapshot().observed_json = worker.collect();  // reserves the ports the plan needs
    worker.execute("deploy");
    worker.collect_until_ready(30s);
    // The first ready collect compares the cluster config; the next one is
    // what every later observation does.
    const std::string observed = worker.collect();
    worker.snapshot().state = "idle";
    worker.snapshot().observed_json = observed;
    const json extra = json::parse(observed)["extra"];
    if (!extra.value("metrics_read", false) || !extra["metrics"].value("problem", "").empty() ||
        !extra["cluster"].value("compared", false))
        throw std::runtime_error("the broker's metrics or cluster config were not read: " +
                                 observed);
    return extra.value("admin_port", 0u);
}

void run_one_observation(int calls) {
    spdlog::set_level(spdlog::level::warn);  // the loader's "loaded" line is not a figure
    const warden::test::TempDir data("redpanda-bench-data");
    const json config = {{"binary", paths::redpanda_fixture},
                         {"data_dir", (data / "probe").string()}};
    PluginWorkerOnS6 worker(paths::redpanda_plugin, "redpanda", "probe", config.dump());
    const uint32_t port = make_ready(worker);
    const std::string base = "http://127.0.0.1:" + std::to_string(port);

    std::string body;
    const auto probe = [&](std::string_view path) {
        warden::bench::host_get(port, path, body, 1000ms);
    };
    const auto host_probes = [&] {
        for (const char *path : kPaths) probe(path);
    };
    std::string served;  // the newest /public_metrics body, as collect parses it
    const auto parse_served = [&] { (void)redpanda_plugin::read_public_metrics(served); };
    RawCurl curl, metrics_only;
    const auto raw_gets = [&] {
        for (const char *path : kPaths) curl.get(base + path);
    };
    const Measure collect{"collect: s6 status + 2 GETs + the parse", [&] { worker.collect(); },
                          "goal: under 1000 us"};
    const Measure gate{"  service observe slot (gate, S6Client, audit)",
                       [&] { worker.gate_observe(); }};
    const Measure probes{"  http_probe x2 (the slot's libcurl handle)", host_probes};
    const Measure parse{"  read_public_metrics (the body just served)", parse_served};
    const Measure raw{"raw: libcurl, one reused handle, 2 GETs", raw_gets};
    const Measure raw_metrics{"raw: the same, GET /public_metrics alone",
                              [&] { metrics_only.get(base + "/public_metrics"); }};

    probe("/public_metrics");
    served = body;
    std::printf(
        "one redpanda worker, in process: redpanda.so through the plugin loader, its broker's "
        "admin API on 127.0.0.1:%u, /public_metrics %zu bytes\n",
        port, served.size());
    warden::bench::print_heading();
    const std::vector<Measure> hot = {
        collect,
        gate,
        probes,
        parse,
        raw,
        raw_metrics,
        {"raw: read + decode supervise/status", [&] { worker.decode(); }}};
    warden::bench::rows_per_placement(
        calls, hot, worker.service_pid(), "broker", [](const std::vector<Spread> &f) {
            std::printf("  %-48s %8.1f %26.1f   the plugin's JSON, the ABI crossings\n",
                        "  collect - (observe + probes + parse), mean",
                        f[0].mean - f[1].mean - f[2].mean - f[3].mean,
                        f[0].cpu - f[1].cpu - f[2].cpu - f[3].cpu);
        });

    std::printf(
        " a pause of 5 to 15 ms before each call (caches and cores cool, as between "
        "observations), %d rounds, on any core\n",
        calls / 10);
    rows(calls / 10, {collect, probes, parse, raw}, 10ms);

    std::printf(" the parts of collect that are CPU only (the plugin's sources compiled in)\n");
    const std::string observed = worker.collect();
    const std::string &desired = worker.snapshot().desired_json;
    const auto document = warden::kit::Observed::from_json(observed);
    rows(calls,
         {{"RedpandaConfig::from_json (the desired state)",
           [&] { (void)redpanda_plugin::RedpandaConfig::from_json(desired); },
           std::to_string(desired.size()) + " bytes"},
          {"kit::Observed::to_json", [&] { (void)document.to_json(); },
           std::to_string(observed.size()) + " bytes"},
          {"host: json::accept of the observed document", [&] { (void)json::accept(observed); }}});
}

// ---- the parse of the real body ---------------------------------------------

void run_parse(int calls) {
    const std::string file =
        std::string(paths::source_dir) + "/tests/fixtures/redpanda_fixture/data/public_metrics.txt";
    const std::string real = warden::test::read_file(file);
    const redpanda_plugin::BrokerMetrics read = redpanda_plugin::read_public_metrics(real);
    if (!read.problem.empty()) throw std::runtime_error(file + ": " + read.problem);
    const auto nothing = [](const warden::kit::SampleView &) {};
    const warden::kit::ScanSummary scan = warden::kit::for_each_sample(real, nothing);
    std::printf(
        "\nthe real /public_metrics body of Redpanda %s: %zu bytes, %zu lines, %zu samples\n",
        read.version.c_str(), real.size(), scan.lines, scan.samples);
    warden::bench::print_heading();
    rows(calls,
         {{"read_public_metrics (the worker's parse)",
           [&] { (void)redpanda_plugin::read_public_metrics(real); }, "goal: under 300 us CPU"},
          {"raw: kit::for_each_sample, nothing read",
           [&] { (void)warden::kit::for_each_sample(real, nothing); }, "the scan alone"},
          {"raw: kit::parse (every family and sample, owned)",
           [&] { (void)warden::kit::parse(real); }, "for scale"}});
}

// ---- N workers in steady state, the real host ---------------------------------

void run_steady_state(int workers, int seconds) {
    const warden::test::TempDir data("redpanda-bench-data");
    const std::vector<uint32_t> ports = warden::bench::free_ports(3 * workers);
    const auto port = [&ports](int i, int k) {
        return std::to_string(ports[static_cast<std::size_t>(3 * i + k)]);
    };
    warden::bench::SteadyState run;
    run.plugin = paths::redpanda_plugin;
    run.what = "redpanda workers under the warden binary (the stand-in as the broker, no traffic)";
    run.worker_yaml = [&](int i) {
        const std::string name = "r" + std::to_string(i);
        return "  - type: redpanda\n    name: " + name +
               "\n    config:\n      binary: " + paths::redpanda_fixture +
               "\n      data_dir: " + (data / name).string() + "\n      kafka_port: " + port(i, 0) +
               "\n      admin_port: " + port(i, 1) + "\n      rpc_port: " + port(i, 2) + "\n";
    };
    run.program = "redpanda_fixtur";  // the kernel keeps 15 characters of a name
    run.program_label = "the brokers (redpanda_fixture)";
    warden::bench::run_steady_state(workers, seconds, run);
}

}  // namespace

int main(int argc, char **argv) {
    const int workers = argc > 1 ? std::atoi(argv[1]) : 20;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
    const int calls = argc > 3 ? std::atoi(argv[3]) : 2000;
    if (workers < 1 || seconds < 1 || calls < 20) {
        std::fprintf(stderr,
                     "usage: redpanda_bench [WORKERS (20)] [SECONDS (30)] [CALLS (2000)]\n");
        return 2;
    }
    try {
        init_http_probe();
        run_one_observation(calls);
        run_parse(calls);
        run_steady_state(workers, seconds);
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "redpanda_bench: %s\n", e.what());
        return 1;
    }
}
