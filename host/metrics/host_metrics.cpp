// SPDX-License-Identifier: Apache-2.0
// host/metrics/host_metrics.cpp
#include "metrics/host_metrics.hpp"

#include "common/clock.hpp"
#include "metrics/plugin_figures.hpp"

#include <warden/plugin.h>
#include <warden/validation.hpp>

#include <algorithm>
#include <deque>

namespace warden::host {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// A collect takes milliseconds (s6's status, a few local HTTP requests);
// an action seconds (a service created and started, a broker restarted).
const prometheus::Histogram::BucketBoundaries kCollectBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
const prometheus::Histogram::BucketBoundaries kActionBuckets = {
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

// The longest a label value taken from a plugin or the disk may be.
constexpr std::size_t kMaxLabelValue = 256;

double seconds(int64_t nanoseconds) {
    return static_cast<double>(nanoseconds) / 1e9;
}

// To the millisecond: finer is noise to a scraper, and costs bytes to write.
double seconds_ms(int64_t nanoseconds) {
    return static_cast<double>(nanoseconds / 1'000'000) / 1e3;
}

const char *outcome_name(ActionOutcome outcome) {
    switch (outcome) {
        case ActionOutcome::ok: return "ok";
        case ActionOutcome::failed: return "failed";
        case ActionOutcome::timeout: return "timeout";
    }
    return "failed";
}

// Families in the order they are exported, each filled as the scrape goes.
class Families {
public:
    MetricFamily &family(const char *name, const char *help, MetricType type) {
        out_.push_back(MetricFamily{name, help, type, {}});
        return out_.back();
    }
    std::vector<MetricFamily> take() && {
        std::vector<MetricFamily> out;
        for (MetricFamily &f : out_)
            if (!f.metric.empty()) out.push_back(std::move(f));
        return out;
    }

private:
    std::deque<MetricFamily> out_;  // a deque: the references family() gave stay valid
};

ClientMetric gauge(std::vector<ClientMetric::Label> labels, double value) {
    ClientMetric m;
    m.label = std::move(labels);
    m.gauge.value = value;
    return m;
}

ClientMetric counter(std::vector<ClientMetric::Label> labels, double value) {
    ClientMetric m;
    m.label = std::move(labels);
    m.counter.value = value;
    return m;
}

std::vector<ClientMetric::Label> worker_labels(const std::string &type, const std::string &name) {
    return {{"type", type}, {"worker", name}};
}

std::vector<ClientMetric::Label> with(std::vector<ClientMetric::Label> labels,
                                      ClientMetric::Label more) {
    labels.push_back(std::move(more));
    return labels;
}

}  // namespace

HostMetrics::TypeTally::TypeTally() : collect_seconds(kCollectBuckets) {}

HostMetrics::HostMetrics(std::string version, int64_t started, const PluginFigures *figures)
    : version_(std::move(version)), started_(started), figures_(figures) {}

void HostMetrics::set_source(ReportSource source) {
    std::lock_guard<std::mutex> lock(mutex_);
    source_ = std::move(source);
}

void HostMetrics::set_plugins(std::vector<LoadedPluginInfo> plugins) {
    std::lock_guard<std::mutex> lock(mutex_);
    plugins_ = std::move(plugins);
}

void HostMetrics::config_loaded(bool applied, int64_t unix_ns) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++(applied ? reloads_applied_ : reloads_refused_);
    last_reload_applied_ = applied;
    if (applied) last_applied_at_ = unix_ns;
}

HostMetrics::Tally &HostMetrics::tally(const std::string &type, const std::string &worker) {
    return tallies_.try_emplace(Key{type, worker}).first->second;
}

void HostMetrics::collected(const std::string &type, const std::string &worker, bool ok,
                            int64_t duration_ns) {
    std::lock_guard<std::mutex> lock(mutex_);
    (void)worker;
    TypeTally &t = types_[type];
    t.collect_seconds.Observe(seconds(duration_ns));
    if (!ok) ++t.collect_errors;
}

void HostMetrics::action_finished(const std::string &type, const std::string &worker,
                                  const std::string &action, ActionOutcome outcome,
                                  int64_t duration_ns) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto &histogram = types_[type].action_seconds[action];
    if (!histogram) histogram = std::make_unique<prometheus::Histogram>(kActionBuckets);
    histogram->Observe(seconds(duration_ns));
    ++tally(type, worker).actions[{action, outcome}];
}

void HostMetrics::plugin_failed(const std::string &type, const std::string &worker) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++tally(type, worker).plugin_errors;
}

void HostMetrics::collector_restarted(const std::string &type, const std::string &worker) {
    (void)worker;
    std::lock_guard<std::mutex> lock(mutex_);
    ++types_[type].collector_restarts;
}

void HostMetrics::worker_removed(const std::string &type, const std::string &worker) {
    std::lock_guard<std::mutex> lock(mutex_);
    tallies_.erase(Key{type, worker});
}

std::vector<MetricFamily> HostMetrics::Collect() const {
    ReportSource source;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        source = source_;
    }
    // Not under mutex_: the source takes the supervisor's lock, under which
    // the supervisor reports events that take mutex_.
    const std::vector<WorkerReport> reports = source ? source() : std::vector<WorkerReport>{};
    std::vector<MetricFamily> out;
    collect_host(out);
    collect_workers(reports, out);
    if (figures_ != nullptr)
        for (MetricFamily &family : figures_->collect()) out.push_back(std::move(family));
    return out;
}

void HostMetrics::collect_host(std::vector<MetricFamily> &out) const {
    Families f;
    f.family("warden_build_info", "The host's version and the plugin ABI it offers; always 1.",
             MetricType::Gauge)
        .metric.push_back(
            gauge({{"version", version_}, {"abi", abi_version_text(WARDEN_ABI_VERSION)}}, 1));
    f.family("warden_host_start_time_seconds", "When this host process started (Unix time).",
             MetricType::Gauge)
        .metric.push_back(gauge({}, seconds(started_)));
    std::lock_guard<std::mutex> lock(mutex_);
    auto &reloads =
        f.family("warden_config_reloads_total",
                 "Config loads and reloads, applied (ok) or refused.", MetricType::Counter);
    reloads.metric.push_back(counter({{"result", "ok"}}, static_cast<double>(reloads_applied_)));
    reloads.metric.push_back(
        counter({{"result", "refused"}}, static_cast<double>(reloads_refused_)));
    f.family("warden_config_last_reload_successful",
             "1 when the last config (re)load was applied, 0 when it was refused.",
             MetricType::Gauge)
        .metric.push_back(gauge({}, last_reload_applied_ ? 1 : 0));
    if (last_applied_at_ != 0)
        f.family("warden_config_last_reload_success_timestamp_seconds",
                 "When the config was last applied (Unix time).", MetricType::Gauge)
            .metric.push_back(gauge({}, seconds(last_applied_at_)));
    auto &plugins = f.family("warden_plugin_info",
                             "A plugin the host loaded, its version and the ABI it was built "
                             "for; always 1.",
                             MetricType::Gauge);
    for (const LoadedPluginInfo &p : plugins_)
        plugins.metric.push_back(gauge({{"plugin", printable(p.name, kMaxLabelValue)},
                                        {"version", printable(p.version, kMaxLabelValue)},
                                        {"abi", abi_version_text(p.abi_version)},
                                        {"file", printable(p.file.string(), kMaxLabelValue)}},
                                       1));
    for (MetricFamily &family : std::move(f).take()) out.push_back(std::move(family));
}

void HostMetrics::collect_workers(const std::vector<WorkerReport> &reports,
                                  std::vector<MetricFamily> &out) const {
    Families f;
    auto &workers = f.family("warden_workers", "Workers of each type.", MetricType::Gauge);
    auto &state = f.family("warden_worker_state",
                           "The worker's state, phase and desired state, as labels; always 1.",
                           MetricType::Gauge);
    auto &healthy_family = f.family(
        "warden_worker_healthy",
        "1 when the worker is where its config asks (running-healthy, or stopped), observed in "
        "time and its plugin not failing.",
        MetricType::Gauge);
    auto &since =
        f.family("warden_worker_state_since_timestamp_seconds",
                 "When the worker entered its current state (Unix time).", MetricType::Gauge);
    auto &transitions = f.family("warden_worker_state_transitions_total",
                                 "The worker's state changes.", MetricType::Counter);
    auto &actions = f.family("warden_worker_actions_total", "Actions finished, by result.",
                             MetricType::Counter);
    auto &age = f.family("warden_worker_observation_age_seconds",
                         "Age of the worker's newest observation.", MetricType::Gauge);
    auto &stale = f.family("warden_worker_observation_stale",
                           "1 when the newest observation is older than the stale limit: the "
                           "worker does not decide.",
                           MetricType::Gauge);
    auto &backoff = f.family("warden_worker_backoff_seconds",
                             "Seconds until a backed-off action runs again (kind=action) or a "
                             "failing plugin is asked again (kind=plugin); only while one is in "
                             "force.",
                             MetricType::Gauge);
    auto &plugin_errors = f.family("warden_worker_plugin_errors_total",
                                   "Hooks of the worker's plugin that failed or broke the "
                                   "contract.",
                                   MetricType::Counter);
    auto &failing =
        f.family("warden_worker_plugin_failing",
                 "1 while the plugin's last hook for the worker failed.", MetricType::Gauge);
    auto &up = f.family("warden_service_up",
                        "1 when an s6-supervise runs the service and its process is up.",
                        MetricType::Gauge);
    auto &ready = f.family("warden_service_ready",
                           "1 when the service is up and notified readiness.", MetricType::Gauge);
    auto &uptime = f.family("warden_service_uptime_seconds",
                            "Seconds since the service went up; 0 while down.", MetricType::Gauge);
    auto &restarts =
        f.family("warden_service_restarts_total", "Deaths of the service's process recorded by s6.",
                 MetricType::Counter);
    auto &action_seconds =
        f.family("warden_action_duration_seconds", "How long actions of workers of the type took.",
                 MetricType::Histogram);
    auto &collect_seconds =
        f.family("warden_collect_duration_seconds",
                 "How long collecting an observation of a worker of the type took, failed collects "
                 "included.",
                 MetricType::Histogram);
    auto &collect_errors = f.family("warden_collect_errors_total",
                                    "Collects of workers of the type that failed or were "
                                    "cancelled.",
                                    MetricType::Counter);
    auto &collector_restarts = f.family("warden_collector_restarts_total",
                                        "Restarts of collectors of workers of the type (a "
                                        "collector that stopped observing).",
                                        MetricType::Counter);

    const int64_t now = unix_ns();
    std::map<std::string, std::size_t> per_type;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const WorkerReport &r : reports) {
        const WorkerStatus &w = r.worker;
        ++per_type[w.type];
        const auto labels = worker_labels(w.type, w.name);
        state.metric.push_back(gauge(
            with(
                with(with(labels, {"state", w.state}), {"phase", std::string(phase_name(w.phase))}),
                {"desired", w.desired_state == WARDEN_DESIRED_STOPPED ? "stopped" : "running"}),
            1));
        healthy_family.metric.push_back(gauge(labels, worker_healthy(w) ? 1 : 0));
        if (w.state_since != 0) since.metric.push_back(gauge(labels, seconds_ms(w.state_since)));
        transitions.metric.push_back(counter(labels, static_cast<double>(w.state_changes)));
        if (w.observed_at != 0)
            age.metric.push_back(gauge(labels, std::max(0.0, seconds_ms(now - w.observed_at))));
        stale.metric.push_back(gauge(labels, w.stale ? 1 : 0));
        for (const auto &[kind, at] :
             {std::pair{"action", w.action_retry_at}, std::pair{"plugin", w.failure_retry_at}})
            if (at > now)
                backoff.metric.push_back(gauge(with(labels, {"kind", kind}), seconds_ms(at - now)));
        failing.metric.push_back(gauge(labels, w.failure.empty() ? 0 : 1));

        // Counted: every worker shows its plugin errors, zero until the
        // first, so that increase() sees the first one.
        const auto found = tallies_.find(Key{w.type, w.name});
        const Tally *t = found == tallies_.end() ? nullptr : &found->second;
        plugin_errors.metric.push_back(counter(labels, t ? double(t->plugin_errors) : 0));
        if (t != nullptr)
            for (const auto &[key, count] : t->actions)
                actions.metric.push_back(counter(
                    with(with(labels, {"action", key.first}), {"result", outcome_name(key.second)}),
                    static_cast<double>(count)));

        std::vector<const ServiceView *> services;
        for (const ServiceView &s : r.services) services.push_back(&s);
        std::sort(services.begin(), services.end(),
                  [](const ServiceView *a, const ServiceView *b) { return a->name < b->name; });
        if (services.size() > kMaxServicesPerWorker) services.resize(kMaxServicesPerWorker);
        for (const ServiceView *s : services) {
            const auto service = with(labels, {"service", s->name});
            const bool is_up = s->supervised && s->up;
            up.metric.push_back(gauge(service, is_up ? 1 : 0));
            ready.metric.push_back(gauge(service, is_up && s->ready ? 1 : 0));
            uptime.metric.push_back(gauge(
                service, is_up && s->since != 0 ? std::max(0.0, seconds_ms(now - s->since)) : 0));
            restarts.metric.push_back(counter(service, s->restarts));
        }
    }
    for (const auto &[type, count] : per_type)
        workers.metric.push_back(gauge({{"type", type}}, static_cast<double>(count)));
    for (const auto &[type, d] : types_) {
        ClientMetric c = d.collect_seconds.Collect();
        c.label = {{"type", type}};
        collect_seconds.metric.push_back(std::move(c));
        collect_errors.metric.push_back(
            counter({{"type", type}}, static_cast<double>(d.collect_errors)));
        collector_restarts.metric.push_back(
            counter({{"type", type}}, static_cast<double>(d.collector_restarts)));
        for (const auto &[action, histogram] : d.action_seconds) {
            ClientMetric a = histogram->Collect();
            a.label = {{"type", type}, {"action", action}};
            action_seconds.metric.push_back(std::move(a));
        }
    }
    for (MetricFamily &family : std::move(f).take()) out.push_back(std::move(family));
}

}  // namespace warden::host
