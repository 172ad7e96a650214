// SPDX-License-Identifier: Apache-2.0
// benthos_worker.cpp — deriving, planning and observing a Benthos pipeline.
#include "benthos_worker.hpp"

#include "benthos_log.hpp"
#include "benthos_render.hpp"

#include <warden/kit/config_check.hpp>

#include <algorithm>
#include <utility>

namespace benthos_plugin {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kMinute = 60'000 * kMs;
// Each probe is a loopback request to a process that answers in well under
// a millisecond; one that takes longer than this is as good as no answer.
constexpr uint32_t kProbeTimeoutMs = 500;
// Enough lines to find Benthos's newest error behind a burst of info lines.
constexpr uint32_t kLogLinesRead = 200;
// A process up this long that still is not live and ready is degraded, not starting.
constexpr uint32_t kStartGraceMs = 10'000;

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

warden::kit::ConfigCheck lint_check(const Rendering &rendering) {
    return warden::kit::ConfigCheck{"benthos lint", rendering.lint_command()};
}

// Worth Benthos's own words from its log: it died, or runs unwell.
bool something_wrong(const warden::kit::Observed &o, const BenthosFacts &f) {
    if (o.services.empty() || !o.services[0].status.exists) return false;
    const warden::ServiceStatus &s = o.services[0].status;
    if (!s.up) return s.died;
    return !o.ready || f.in_window.get("output_error") > 0 ||
           f.in_window.get("processor_error") > 0 || s.restart_count > 0;
}

// The figures a worker publishes (plugins/benthos/README.md), each read
// from one of Benthos's counters (summed over its series).
struct FromCounter {
    const char *figure;
    const char *counter;
    const char *help;
};
constexpr FromCounter kTotals[] = {
    {"input_received_total", "input_received",
     "Messages the pipeline's inputs received since its process started (Benthos's "
     "input_received, summed over its inputs)."},
    {"output_sent_total", "output_sent",
     "Messages the pipeline's outputs sent since its process started (Benthos's output_sent, "
     "summed over its outputs)."},
    {"output_error_total", "output_error",
     "Messages the pipeline's outputs failed to send since its process started (Benthos's "
     "output_error, summed)."},
    {"processor_error_total", "processor_error",
     "Errors the pipeline's processors raised since its process started (Benthos's "
     "processor_error, summed)."},
};
constexpr FromCounter kRates[] = {
    {"input_received_per_second", "input_received",
     "Messages the pipeline's inputs received per second over the last minute (0 while its "
     "process is down)."},
    {"output_sent_per_second", "output_sent",
     "Messages the pipeline's outputs sent per second over the last minute (0 while its "
     "process is down)."},
};

}  // namespace

BenthosWorker::BenthosWorker(const warden::WorkerContext &context)
    : ServiceWorker(context), window_(kMinute), figures_(host()) {}

std::string BenthosWorker::derive_desired(const warden::Host &, const warden::Identity &identity,
                                          std::string_view config_json) {
    return BenthosConfig::from_config(identity, config_json).to_json();
}

// --check-config calls this with no worker made, and the host keeps none of
// the ports it reserves here; two workers of one file asking for the same
// port still conflict.
void BenthosWorker::check_config(const warden::Host &host, const warden::Identity &,
                                 std::string_view desired_json, const warden::Cancel &cancel) {
    const BenthosConfig config = BenthosConfig::from_json(desired_json);
    const uint32_t port = host.reserve_port("http", config.http_port);
    config.run_as.check(host);
    const auto verdict =
        warden::kit::run_check(host, lint_check(render(config, port)), std::string(), cancel);
    if (!verdict.passed) throw warden::ConfigError(verdict.message);
}

// The plan needs the worker's HTTP port, which collect reserves and records:
// until then (or while another worker holds it) nothing is deployed.
warden::kit::Plan BenthosWorker::plan(const warden::Snapshot &snapshot,
                                      const warden::kit::Observed &observed) {
    const BenthosConfig config = BenthosConfig::from_json(snapshot.desired_json());
    const uint32_t port = warden::kit::value_or(observed.extra, "http_port", uint32_t{0});
    const Rendering rendering = render(config, port);
    warden::kit::Plan plan;
    plan.services.push_back(rendering.service_spec(config.service));
    config.run_as.apply(plan.services.back());
    plan.check = lint_check(rendering);
    if (port == 0)
        plan.waiting = warden::kit::value_or(observed.extra, "port_error", std::string());
    if (port == 0 && plan.waiting.empty()) plan.waiting = "waiting for the worker's HTTP port";
    plan.noun = "pipeline";
    plan.ready_hold_ms = kReadyHoldMs;
    plan.start_grace_ms = kStartGraceMs;
    plan.not_ready_restart_ms = config.not_ready_restart_ms;
    plan.max_restart_wait_ms = static_cast<uint32_t>(kMaxNotReadyRestartWaitMs);
    return plan;
}

// collect gathers facts in a fixed order: the port, the kit's observation
// (s6 status, lint and deploy), then — only while the process is up — the
// three probes and the counters, then readiness, then Benthos's own words
// when something is wrong. A Benthos that is down or does not answer is an
// observation; only a failing host call for the status itself throws.
std::string BenthosWorker::collect(const warden::Snapshot &snapshot, const warden::Cancel &cancel) {
    const BenthosConfig config = BenthosConfig::from_json(snapshot.desired_json());
    BenthosFacts facts;
    try {
        facts.http_port = host().reserve_port("http", config.http_port);
    } catch (const warden::Error &e) {
        facts.port_error = e.what();
    }
    // Rendering the pipeline's YAML is most of a plan's cost: made again only
    // when the desired state or the port changed.
    const warden::kit::Plan &p =
        plan_for(snapshot, {{"http_port", facts.http_port}, {"port_error", facts.port_error}});
    warden::kit::Observed o = observe(snapshot, p);
    const warden::kit::ObservedService &service = o.services.front();
    std::string not_ready;
    if (service.status.up && facts.http_port != 0) {
        cancel.throw_if_requested("collect");
        probe(facts, not_ready);
        track_counters(facts, config, host().monotonic_ns() - service.up_for_ms * kMs,
                       service.status.pid);
        publish_figures(facts, true);
    } else {
        window_.clear();
        publish_figures(facts, false);
    }
    set_readiness(o, p, facts.live && not_ready.empty(), not_ready);
    if (something_wrong(o, facts)) {
        try {
            o.last_error = newest_error(host().read_log(config.service, kLogLinesRead));
        } catch (const warden::Error &) {
            // The reason goes without Benthos's words; the state is the same.
        }
    }
    o.extra = facts.to_json();
    return written(std::move(o));
}

// Three GETs on loopback through the host's HTTP probe, each of which may
// fail on its own: a Benthos that is live but not ready, or ready with its
// metrics disabled, is told apart. `not_ready` gets Benthos's reason ("output
// not connected") or the probe's.
void BenthosWorker::probe(BenthosFacts &f, std::string &not_ready) {
    const auto get = [&](const char *path) {
        warden::HttpRequest request;
        request.port = f.http_port;
        request.path = path;
        request.timeout_ms = kProbeTimeoutMs;
        return host().http(request);
    };
    try {
        const warden::HttpResponse ping = get("/ping");
        f.live = ping.status_code == 200;
        if (!f.live)
            not_ready = "not live: /ping answered HTTP " + std::to_string(ping.status_code);
    } catch (const warden::Error &e) {
        not_ready = std::string("not live: ") + e.what();
    }
    try {
        const warden::HttpResponse ready = get("/ready");
        if (ready.status_code != 200 && not_ready.empty())
            not_ready = ready.body.empty()
                            ? "/ready answered HTTP " + std::to_string(ready.status_code)
                            : trimmed(ready.body);
    } catch (const warden::Error &e) {
        if (not_ready.empty()) not_ready = e.what();
    }
    try {
        const warden::HttpResponse metrics = get("/metrics");
        if (metrics.status_code == 200) {
            f.counters = warden::kit::Counters::sum_of(metrics.body, kCounterNames);
        } else {
            f.metrics_error = "/metrics answered HTTP " + std::to_string(metrics.status_code);
        }
    } catch (const warden::Error &e) {
        f.metrics_error = e.what();
    }
}

// The counters' growth over the last minute (idle or active) and over the
// error window (degraded while errors grow), from the process's start.
void BenthosWorker::track_counters(BenthosFacts &f, const BenthosConfig &config, int64_t started_ns,
                                   int64_t pid) {
    if (!f.metrics_error.empty()) return;
    const int64_t now_ns = host().monotonic_ns();
    const int64_t window_ns = int64_t{config.error_window_ms} * kMs;
    window_.set_span(std::max(kMinute, window_ns));
    window_.add(now_ns, pid, started_ns, f.counters);
    const auto minute = window_.change_over(kMinute);
    f.last_minute = minute.delta;
    f.last_minute_ms = minute.covered_ns / kMs;
    const auto recent = window_.change_over(window_ns);
    f.in_window = recent.delta;
    f.window_ms = recent.covered_ns / kMs;
}

// The figures the host exports as warden_plugin_benthos_* (ABI 1.5; an
// older host gets none, and no word of it): Benthos's totals as it counts
// them, since its process started, and the last minute's rates from the
// counter window. While the process is down no message moves: the rates
// read 0 and the totals keep their last value. Metrics that could not be
// read change nothing.
void BenthosWorker::publish_figures(const BenthosFacts &f, bool up) {
    if (!figures_.offered()) return;
    if (up && !f.metrics_error.empty()) return;
    if (up) {
        for (const FromCounter &total : kTotals)
            figures_.counter(total.figure, total.help, f.counters.get(total.counter));
    }
    for (const FromCounter &rate : kRates)
        figures_.gauge(rate.figure, rate.help, up ? window_.rate(rate.counter, kMinute) : 0.0);
}

}  // namespace benthos_plugin
