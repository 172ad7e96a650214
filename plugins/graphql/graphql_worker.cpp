// SPDX-License-Identifier: Apache-2.0
// graphql_worker.cpp — deriving, planning and observing a GraphQL server.
#include "graphql_worker.hpp"

#include "graphql_probe.hpp"
#include "graphql_render.hpp"
#include "topic_browser.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <utility>

namespace graphql_plugin {
namespace {

constexpr int64_t kMs = 1'000'000;
// Each probe is a loopback request to a process that answers in a few
// milliseconds; a garbage collection may stretch one, a second is none.
constexpr uint32_t kProbeTimeoutMs = 1'000;
// Enough lines to find Node's error line above its stack trace.
constexpr uint32_t kLogLinesRead = 200;
// Scrapes failed in a row after which the counter window is forgotten.
constexpr int kMetricsFailuresForgotten = 3;
// A readiness body is one line a person reads.
constexpr std::size_t kMaxReasonBytes = 300;

// Worth the server's own words from its log: it died, or runs unwell.
bool something_wrong(const warden::kit::Observed &o, const GraphqlFacts &f) {
    if (o.services.empty() || !o.services[0].status.exists) return false;
    const warden::ServiceStatus &s = o.services[0].status;
    if (!s.up) return s.died;
    return !o.ready || f.in_window.get("errors") > 0;
}

std::string one_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return warden::printable(text, kMaxReasonBytes);
}

void require_executable(const std::string &key, const std::string &path, const char *what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || ::access(path.c_str(), X_OK) != 0)
        throw warden::ConfigError(key + ": " + warden::printable(path) +
                                  " is not an executable file (" + what + ")");
}

}  // namespace

// The window's span follows the config at every collect.
GraphqlWorker::GraphqlWorker(const warden::WorkerContext &context)
    : ServiceWorker(context), window_(60'000 * kMs), figures_(host()) {}

std::string GraphqlWorker::derive_desired(const warden::Host &, const warden::Identity &identity,
                                          std::string_view config_json) {
    return GraphqlConfig::from_config(identity, config_json, topic_browser_script()).to_json();
}

// --check-config calls this with no worker made, and the host keeps none of
// the ports it reserves here; two workers of one file asking for the same
// port still conflict.
void GraphqlWorker::check_config(const warden::Host &host, const warden::Identity &,
                                 std::string_view desired_json, const warden::Cancel &) {
    const GraphqlConfig config = GraphqlConfig::from_json(desired_json);
    host.reserve_port("http", config.port);
    config.run_as.check(host);
    if (config.server == Server::command) {
        require_executable("command", config.command, "install the server, or fix `command`");
        if (!config.working_dir.empty() && !std::filesystem::is_directory(config.working_dir))
            throw warden::ConfigError("working_dir: " + warden::printable(config.working_dir) +
                                      " is not a directory");
        return;
    }
    require_executable("node", config.node,
                       "the topic browser needs Node.js: install Debian's nodejs, or set `node`");
    struct stat st {};
    if (config.script.empty() || ::stat(config.script.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        throw warden::ConfigError("kafka_brokers: the topic browser is not installed" +
                                  (config.script.empty()
                                       ? std::string()
                                       : " (no " + warden::printable(config.script) + ")") +
                                  "; reinstall warden, or run a server of your own with `command`");
}

// The plan needs the worker's port, which collect reserves and records:
// until then (or while another worker holds it) nothing is deployed.
warden::kit::Plan GraphqlWorker::plan(const warden::Snapshot &snapshot,
                                      const warden::kit::Observed &observed) {
    const GraphqlConfig config = GraphqlConfig::from_json(snapshot.desired_json());
    const uint32_t port = warden::kit::value_or(observed.extra, "port", uint32_t{0});
    warden::kit::Plan plan;
    plan.services.push_back(service_spec(config, port));
    if (port == 0)
        plan.waiting = warden::kit::value_or(observed.extra, "port_error", std::string());
    if (port == 0 && plan.waiting.empty()) plan.waiting = "waiting for the server's port";
    plan.noun = "server";
    plan.ready_hold_ms = kReadyHoldMs;
    plan.start_grace_ms = config.start_timeout_ms;
    plan.not_ready_restart_ms = config.not_ready_restart_ms;
    return plan;
}

// collect gathers facts in a fixed order: the port, the kit's observation
// (s6 status, deploy), then — only while the process is up — the probes
// and the counters, then readiness, then the server's own words when
// something is wrong. A server that is down or does not answer is an
// observation; only a failing host call for the status itself throws.
std::string GraphqlWorker::collect(const warden::Snapshot &snapshot, const warden::Cancel &cancel) {
    const GraphqlConfig config = GraphqlConfig::from_json(snapshot.desired_json());
    GraphqlFacts facts;
    try {
        facts.port = host().reserve_port("http", config.port);
    } catch (const warden::Error &e) {
        facts.port_error = e.what();
    }
    const warden::kit::Plan &p =
        plan_for(snapshot, {{"port", facts.port}, {"port_error", facts.port_error}});
    warden::kit::Observed o = observe(snapshot, p);
    const warden::kit::ObservedService &service = o.services.front();
    std::string not_ready;
    if (service.status.up) mark_log(config, service.status.pid);
    if (service.status.up && facts.port != 0) {
        cancel.throw_if_requested("collect");
        probe(facts, config, not_ready);
        track_counters(facts, config, host().monotonic_ns() - service.up_for_ms * kMs,
                       service.status.pid);
        publish_figures(facts);
    } else {
        window_.clear();
    }
    set_readiness(o, p, facts.live && facts.answers && not_ready.empty(), not_ready);
    if (something_wrong(o, facts)) {
        // A process that died wrote its last words at the end of the log; one
        // that is up, since the worker first saw it up.
        const std::string since = service.status.up ? log_mark_ : std::string();
        try {
            o.last_error = error_reason(
                newest_error_line(host().read_log(config.service, kLogLinesRead), since),
                facts.port);
        } catch (const warden::Error &) {
            // The reason goes without the server's words; the state is the same.
        }
    }
    o.extra = facts.to_json();
    return written(std::move(o));
}

// The first time a process is seen up, the log's last line marks where its
// own words begin (they may begin before it: a line it wrote before this
// observation is taken for an earlier process's, the safe side).
void GraphqlWorker::mark_log(const GraphqlConfig &config, int64_t pid) {
    if (pid == log_mark_pid_) return;
    log_mark_pid_ = pid;
    log_mark_.clear();
    try {
        const std::vector<std::string> last = host().read_log(config.service, 1);
        if (!last.empty()) log_mark_ = last.back();
    } catch (const warden::Error &) {
        // No mark: every line read later counts as this process's.
    }
}

// The readiness endpoint, the health endpoint, then `{ __typename }`, each
// through the host's HTTP probe; the first that fails says why in
// `not_ready`. A server that answers its readiness endpoint with 200 is
// live, so its health endpoint is asked only when it has no readiness
// endpoint or is not ready (to tell a server that is not live from one that
// waits for its dependencies). A server that refuses the connection is asked
// nothing more.
void GraphqlWorker::probe(GraphqlFacts &f, const GraphqlConfig &config, std::string &not_ready) {
    warden::HttpRequest request;
    request.port = f.port;
    request.timeout_ms = kProbeTimeoutMs;
    bool ready = config.ready_path.empty();
    std::string not_ready_words;
    if (!config.ready_path.empty()) {
        request.path = config.ready_path;
        try {
            const warden::HttpResponse answer = host().http(request);
            ready = answer.status_code == 200;
            if (!ready)
                not_ready_words = answer.body.empty() ? config.ready_path + " answered HTTP " +
                                                            std::to_string(answer.status_code)
                                                      : one_line(answer.body);
        } catch (const warden::Error &e) {
            not_ready = config.ready_path + ": " + e.what();
            return;
        }
    }
    // Ready (by its readiness endpoint) is live; without one, or not
    // ready, the health endpoint says.
    f.live = (ready && !config.ready_path.empty()) || config.health_path.empty();
    if (!f.live) {
        request.path = config.health_path;
        try {
            const warden::HttpResponse health = host().http(request);
            // A server of the user's without /health (Apollo's has none)
            // is not dead for it, unless the config named the path.
            f.live = health.status_code == 200 ||
                     (health.status_code == 404 && !config.health_path_given);
            if (!f.live)
                not_ready = "health endpoint " + config.health_path + " answered HTTP " +
                            std::to_string(health.status_code);
        } catch (const warden::Error &e) {
            not_ready = "health endpoint " + config.health_path + ": " + e.what();
            return;
        }
    }
    if (not_ready.empty()) not_ready = not_ready_words;
    request.method = "POST";
    request.path = config.path;
    request.content_type = "application/json";
    request.body = probe_body();
    try {
        const warden::HttpResponse answer = host().http(request);
        const std::string problem = typename_problem(answer.status_code, answer.body);
        f.answers = problem.empty();
        if (!f.answers && not_ready.empty()) not_ready = problem;
    } catch (const warden::Error &e) {
        if (not_ready.empty()) not_ready = "{ __typename }: " + std::string(e.what());
    }
    read_metrics(f, config);
}

// The metrics endpoint, when the config names one. A server without it (or
// without the request counter) is judged without counters: idle, never
// degraded for errors.
void GraphqlWorker::read_metrics(GraphqlFacts &f, const GraphqlConfig &config) {
    if (config.metrics_path.empty()) return;
    warden::HttpRequest request;
    request.port = f.port;
    request.path = config.metrics_path;
    request.timeout_ms = kProbeTimeoutMs;
    try {
        const warden::HttpResponse metrics = host().http(request);
        if (metrics.status_code != 200) {
            f.metrics_error =
                config.metrics_path + " answered HTTP " + std::to_string(metrics.status_code);
            return;
        }
        ServerMetrics m = read_server_metrics(metrics.body);
        if (!m.has_requests) {
            f.metrics_error = config.metrics_path + " has no graphql_envelop_request counter";
            return;
        }
        f.counters = std::move(m.counters);
        f.metrics_read = true;
    } catch (const warden::Error &e) {
        f.metrics_error = config.metrics_path + ": " + e.what();
    }
}

// The counters' growth over the activity window (idle or active) and over
// the error window (degraded while error results grow), from the process's
// start. A scrape that failed adds no sample and forgets none (the growth
// is told from the samples before it); three in a row, and what the window
// holds is too old to tell: it is cleared, as when the process is down
// (collect). A new process is told by its pid.
void GraphqlWorker::track_counters(GraphqlFacts &f, const GraphqlConfig &config, int64_t started_ns,
                                   int64_t pid) {
    metrics_failures_ = f.metrics_read ? 0 : metrics_failures_ + 1;
    if (metrics_failures_ >= kMetricsFailuresForgotten) window_.clear();
    const int64_t activity_ns = int64_t{config.activity_window_ms} * kMs;
    const int64_t errors_ns = int64_t{config.error_window_ms} * kMs;
    window_.set_span(std::max(activity_ns, errors_ns));
    if (f.metrics_read) window_.add(host().monotonic_ns(), pid, started_ns, f.counters);
    const auto recent = window_.change_over(activity_ns);
    f.recent = recent.delta;
    f.recent_ms = recent.covered_ns / kMs;
    const auto errors = window_.change_over(errors_ns);
    f.in_window = errors.delta;
    f.window_ms = errors.covered_ns / kMs;
}

// The figures the host exports as warden_plugin_graphql_* (ABI 1.5; an older
// host gets none, and no word of it): the server's own totals, which start
// again with its process, read from its metrics endpoint. A server without
// one, or a scrape that failed, changes nothing.
void GraphqlWorker::publish_figures(const GraphqlFacts &f) {
    if (!figures_.offered() || !f.metrics_read) return;
    figures_.counter("requests_total",
                     "GraphQL operations the server's clients sent since its process started, the "
                     "worker's own probes left out (graphql_envelop_request).",
                     f.counters.get("requests"));
    figures_.counter("error_results_total",
                     "GraphQL operations that ended in an error result since the server's process "
                     "started, clients' parse and validation mistakes left out "
                     "(graphql_envelop_error_result).",
                     f.counters.get("errors"));
}

}  // namespace graphql_plugin
