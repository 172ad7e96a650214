// benthos_worker.cpp — deriving, checking and observing a Benthos pipeline.
#include "benthos_worker.hpp"

#include "benthos_config.hpp"
#include "benthos_lint.hpp"
#include "benthos_log.hpp"
#include "benthos_render.hpp"

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

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

bool something_wrong(const BenthosObserved &o) {
    if (!o.service.exists) return false;
    if (!o.service.up) return o.service.died;
    return !o.live || !o.ready || o.in_window.output_error > 0 || o.in_window.processor_error > 0 ||
           o.service.restart_count > 0;
}

}  // namespace

BenthosWorker::BenthosWorker(const warden::WorkerContext &context)
    : Worker(context), window_(kMinute) {}

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
    const LintVerdict verdict = lint(host, render(config, port), cancel);
    if (!verdict.passed) throw warden::ConfigError(verdict.message);
}

uint32_t BenthosWorker::http_port(const BenthosConfig &config) const {
    return host().reserve_port("http", config.http_port);
}

// collect gathers facts in a fixed order: the port, the s6 status, what the
// actions recorded, then — only while a process is up — the three probes and
// the counters, then how long it has been ready or not. A Benthos that is
// down or does not answer is an observation; only a failing host call for
// the status itself throws.
std::string BenthosWorker::collect(const warden::Snapshot &snapshot, const warden::Cancel &cancel) {
    const BenthosConfig config = BenthosConfig::from_json(snapshot.desired_json());
    BenthosObserved o;
    try {
        o.http_port = http_port(config);
    } catch (const warden::Error &e) {
        o.port_error = e.what();
    }
    o.service = host().observe_service(config.service);
    const int64_t now_ns = host().monotonic_ns();
    if (o.service.since_ns > 0) {
        const int64_t for_ms = std::max<int64_t>(0, (host().wall_ns() - o.service.since_ns) / kMs);
        (o.service.up ? o.up_for_ms : o.down_for_ms) = for_ms;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        o.lint = lint_;
        o.deployed = deployed_;
        o.not_ready_restarts = not_ready_restarts_;
    }
    if (o.service.up && o.http_port != 0) {
        cancel.throw_if_requested("collect");
        probe(o);
        track_counters(o, config, now_ns);
    } else {
        window_.clear();
    }
    track_readiness(o, now_ns);
    if (o.ready_for_ms >= kReadyHoldMs && o.not_ready_restarts > 0) {
        // Live and ready for the hold: it runs again, and the count starts over.
        std::lock_guard<std::mutex> lock(mutex_);
        not_ready_restarts_ = 0;
        o.not_ready_restarts = 0;
    }
    if (something_wrong(o)) {
        try {
            o.last_error = newest_error(host().read_log(config.service, kLogLinesRead));
        } catch (const warden::Error &) {
            // The reason goes without Benthos's words; the state is the same.
        }
    }
    return o.to_json();
}

// Three GETs on loopback through the host's HTTP probe, each of which may
// fail on its own: a Benthos that is live but not ready, or ready with its
// metrics disabled, is told apart.
void BenthosWorker::probe(BenthosObserved &o) {
    const auto get = [&](const char *path) {
        warden::HttpRequest request;
        request.port = o.http_port;
        request.path = path;
        request.timeout_ms = kProbeTimeoutMs;
        return host().http(request);
    };
    try {
        const warden::HttpResponse ping = get("/ping");
        o.live = ping.status_code == 200;
        if (!o.live) o.live_error = "/ping answered HTTP " + std::to_string(ping.status_code);
    } catch (const warden::Error &e) {
        o.live_error = e.what();
    }
    try {
        const warden::HttpResponse ready = get("/ready");
        o.ready = ready.status_code == 200;
        if (!o.ready)
            o.not_ready = ready.body.empty()
                              ? "/ready answered HTTP " + std::to_string(ready.status_code)
                              : trimmed(ready.body);
    } catch (const warden::Error &e) {
        o.not_ready = e.what();
    }
    try {
        const warden::HttpResponse metrics = get("/metrics");
        if (metrics.status_code == 200) {
            o.counters = parse_prometheus(metrics.body);
        } else {
            o.metrics_error = "/metrics answered HTTP " + std::to_string(metrics.status_code);
        }
    } catch (const warden::Error &e) {
        o.metrics_error = e.what();
    }
}

void BenthosWorker::track_counters(BenthosObserved &o, const BenthosConfig &config,
                                   int64_t now_ns) {
    if (!o.metrics_error.empty()) return;
    const int64_t window_ns = int64_t{config.error_window_ms} * kMs;
    window_.set_span(std::max(kMinute, window_ns));
    window_.add(now_ns, o.service.pid, now_ns - o.up_for_ms * kMs, o.counters);
    const auto minute = window_.change_over(kMinute);
    o.last_minute = minute.delta;
    o.last_minute_ms = minute.covered_ns / kMs;
    const auto recent = window_.change_over(window_ns);
    o.in_window = recent.delta;
    o.window_ms = recent.covered_ns / kMs;
}

// Two clocks: how long the process has been live and ready, and how long it
// has been up but not. A process first seen not ready has been so since it
// started — unless it was already running when this worker began watching,
// when nobody knows what it was before.
void BenthosWorker::track_readiness(BenthosObserved &o, int64_t now_ns) {
    if (watching_since_ns_ == 0) watching_since_ns_ = now_ns;
    const bool new_process = o.service.up && o.service.pid != seen_pid_;
    seen_pid_ = o.service.up ? o.service.pid : 0;
    if (o.live && o.ready) {
        if (ready_since_ns_ == 0 || ready_pid_ != o.service.pid) ready_since_ns_ = now_ns;
        ready_pid_ = o.service.pid;
        o.ready_for_ms = (now_ns - ready_since_ns_) / kMs;
    } else {
        ready_since_ns_ = 0;
    }
    if (!o.service.up || (o.live && o.ready)) {
        not_ready_since_ns_ = 0;
        return;
    }
    if (new_process)
        not_ready_since_ns_ = std::max(now_ns - o.up_for_ms * kMs, watching_since_ns_);
    else if (not_ready_since_ns_ == 0)
        not_ready_since_ns_ = now_ns;
    o.not_ready_for_ms = (now_ns - not_ready_since_ns_) / kMs;
}

void BenthosWorker::set_lint(LintVerdict verdict) {
    std::lock_guard<std::mutex> lock(mutex_);
    lint_ = std::move(verdict);
}

bool BenthosWorker::lint_passed(const std::string &fingerprint) {
    std::lock_guard<std::mutex> lock(mutex_);
    return lint_.passed && lint_.fingerprint == fingerprint;
}

void BenthosWorker::set_deployed(std::string fingerprint) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fingerprint != deployed_) not_ready_restarts_ = 0;
    deployed_ = std::move(fingerprint);
}

void BenthosWorker::count_not_ready_restart() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++not_ready_restarts_;
}

void BenthosWorker::forget_not_ready_restarts() {
    std::lock_guard<std::mutex> lock(mutex_);
    not_ready_restarts_ = 0;
}

}  // namespace benthos_plugin
