// SPDX-License-Identifier: Apache-2.0
// tests/monitoring/print_exposition.cpp — what the host's metrics endpoint
// answers, for the checks of the dashboard and the rules: the host's own
// HostMetrics and prometheus-cpp's serializer, fed a made-up host on which
// every series the endpoint can export appears at least once (a worker
// backed off, a plugin failing, a service down, a stale observation, every
// action outcome, a refused reload, and the figures the shipped workers
// publish, as their plugins name them). The series' names, labels and types
// are the endpoint's own; only the values are made up.
#include "common/clock.hpp"
#include "metrics/host_metrics.hpp"
#include "metrics/plugin_figures.hpp"

#include <prometheus/text_serializer.h>

#include <cstdlib>
#include <iostream>

using namespace warden::host;

int main() {
    constexpr int64_t kSecond = 1'000'000'000;
    const int64_t now = unix_ns();
    PluginFigures figures;
    const auto publish = [&](const std::string &type, const std::string &worker,
                             const std::string &name, int32_t kind, double value) {
        Figure f;
        f.name = name;
        f.kind = kind;
        f.help = "What the " + type + " worker publishes as " + name + ".";
        f.value = value;
        if (!figures.publish(type, worker, f)) std::exit(1);
    };
    for (const char *name : {"input_received_total", "output_sent_total", "output_error_total",
                             "processor_error_total"})
        publish("benthos", "pipeline", name, WARDEN_FIGURE_COUNTER, 1200);
    for (const char *name : {"input_received_per_second", "output_sent_per_second"})
        publish("benthos", "pipeline", name, WARDEN_FIGURE_GAUGE, 20);
    for (const char *name : {"produced_bytes_total", "consumed_bytes_total"})
        publish("redpanda", "broker", name, WARDEN_FIGURE_COUNTER, 1e6);
    for (const char *name : {"disk_free_bytes", "topics", "unavailable_partitions"})
        publish("redpanda", "broker", name, WARDEN_FIGURE_GAUGE, 3);
    for (const char *name : {"requests_total", "error_results_total"})
        publish("graphql", "browser", name, WARDEN_FIGURE_COUNTER, 40);

    HostMetrics metrics("0.1.0", now - 3600 * kSecond, &figures);
    metrics.set_plugins(
        {{"exec", "0.1.0", WARDEN_ABI_VERSION, "/usr/lib/warden/plugins/exec.so"},
         {"benthos", "0.1.0", WARDEN_ABI_VERSION, "/usr/lib/warden/plugins/benthos.so"}});
    metrics.config_loaded(true, now - 3600 * kSecond);
    metrics.config_loaded(false, now - 60 * kSecond);

    std::vector<WorkerReport> reports;
    const auto add = [&](const std::string &type, const std::string &name, const std::string &state,
                         int32_t phase) -> WorkerReport & {
        WorkerReport &r = reports.emplace_back();
        r.worker.type = type;
        r.worker.name = name;
        r.worker.state = state;
        r.worker.phase = phase;
        r.worker.state_since = now - 600 * kSecond;
        r.worker.state_changes = 4;
        r.worker.observed_at = now - kSecond;
        r.services.push_back(
            ServiceView{type + "-" + name, true, true, 4242, now - 900 * kSecond, 1, true});
        return r;
    };
    add("benthos", "pipeline", "active", WARDEN_PHASE_RUNNING_HEALTHY);
    add("exec", "web", "running", WARDEN_PHASE_RUNNING_HEALTHY);
    WorkerReport &off = add("exec", "batch", "stopped", WARDEN_PHASE_STOPPED);
    off.worker.desired_state = WARDEN_DESIRED_STOPPED;
    off.services.front().up = false;
    WorkerReport &flaky = add("exec", "flaky", "starting", WARDEN_PHASE_STARTING);
    flaky.worker.action_retry_at = now + 8 * kSecond;
    flaky.worker.failure = "next failed";
    flaky.worker.failure_retry_at = now + 4 * kSecond;
    flaky.worker.stale = true;
    flaky.worker.observed_at = now - 45 * kSecond;
    metrics.set_source([&] { return reports; });

    for (const char *type : {"benthos", "exec"}) {
        metrics.collected(type, "x", true, 2'000'000);
        metrics.collected(type, "x", false, 2 * kSecond);
        metrics.collector_restarted(type, "x");
    }
    metrics.action_finished("exec", "web", "deploy", ActionOutcome::ok, 40'000'000);
    metrics.action_finished("exec", "flaky", "start", ActionOutcome::failed, 10'000'000);
    metrics.action_finished("exec", "flaky", "start", ActionOutcome::timeout, 30 * kSecond);
    metrics.action_finished("benthos", "pipeline", "deploy", ActionOutcome::ok, 90'000'000);
    metrics.plugin_failed("exec", "flaky");

    std::cout << prometheus::TextSerializer().Serialize(metrics.Collect());
    return std::cout.good() ? 0 : 1;
}
