// SPDX-License-Identifier: Apache-2.0
// host/metrics/host_metrics.hpp — everything the host's Prometheus endpoint
// shows (docs/observability.md): the host itself, each worker and each
// service it owns, and what the supervisor counted.
//
// Two kinds of figures. What a worker is now (its state, health, backoffs,
// the age of its observation, its services' up/ready/restarts) is read at
// scrape time from the reports the source gives (the supervisor's status,
// and each service as its worker last observed it), so a removed worker's
// series are gone at the next scrape. What happened (collects, actions, failures)
// is counted as the supervisor reports it (SupervisorEvents), and forgotten
// when the worker leaves the config. The figures workers publish come last,
// from their store (PluginFigures, which the service gate empties of a
// worker that leaves).
//
// Bounded whatever plugins do: a worker's series are one per declared state
// it is in, one per declared action and outcome, its first
// kMaxServicesPerWorker services by name; durations (histograms) and the
// collector's troubles are counted per worker type, not per worker; every label value a plugin
// hands over (a version, a file name) is escaped and cut.
//
// THREADING: every method is thread-safe. Collect runs on the endpoint's
// threads while the supervisor reports events from its own.
#pragma once

#include "plugins/worker_type_info.hpp"
#include "status/status_report.hpp"
#include "supervisor/supervisor_events.hpp"

#include <prometheus/collectable.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace warden::host {

class PluginFigures;

/// A plugin the host loaded, for warden_plugin_info.
struct LoadedPluginInfo {
    std::string name;
    std::string version;
    uint32_t abi_version = 0;
    std::filesystem::path file;
};

class HostMetrics final : public SupervisorEvents, public prometheus::Collectable {
public:
    /// The reports of every worker now; called once per scrape.
    using ReportSource = std::function<std::vector<WorkerReport>()>;

    static constexpr std::size_t kMaxServicesPerWorker = 16;

    /// The host's `version`, and its start (unix ns). `figures` (may be
    /// null) holds what workers publish; it must outlive this.
    HostMetrics(std::string version, int64_t started, const PluginFigures *figures = nullptr);

    /// Where the workers' reports come from; until set, no worker is shown.
    void set_source(ReportSource source);
    /// The plugins loaded (set once they are).
    void set_plugins(std::vector<LoadedPluginInfo> plugins);
    /// A config (re)load was applied (`applied`) or refused, at `unix_ns`.
    void config_loaded(bool applied, int64_t unix_ns);

    // SupervisorEvents
    void collected(const std::string &type, const std::string &worker, bool ok,
                   int64_t duration_ns) override;
    void action_finished(const std::string &type, const std::string &worker,
                         const std::string &action, ActionOutcome outcome,
                         int64_t duration_ns) override;
    void plugin_failed(const std::string &type, const std::string &worker) override;
    void collector_restarted(const std::string &type, const std::string &worker) override;
    void worker_removed(const std::string &type, const std::string &worker) override;

    /// Every family, for one scrape (prometheus::Collectable).
    std::vector<prometheus::MetricFamily> Collect() const override;

private:
    // What was counted of one worker.
    struct Tally {
        uint64_t plugin_errors = 0;
        std::map<std::pair<std::string, ActionOutcome>, uint64_t> actions;
    };
    // What was counted of one worker type: durations and the collector's
    // troubles per type, not per worker, so that a scrape of many workers
    // stays small.
    struct TypeTally {
        TypeTally();
        prometheus::Histogram collect_seconds;
        uint64_t collect_errors = 0;
        uint64_t collector_restarts = 0;
        std::map<std::string, std::unique_ptr<prometheus::Histogram>> action_seconds;
    };
    using Key = std::pair<std::string, std::string>;  // type, worker

    Tally &tally(const std::string &type, const std::string &worker);  // under mutex_
    void collect_host(std::vector<prometheus::MetricFamily> &out) const;
    void collect_workers(const std::vector<WorkerReport> &reports,
                         std::vector<prometheus::MetricFamily> &out) const;

    const std::string version_;
    const int64_t started_;
    const PluginFigures *const figures_;

    mutable std::mutex mutex_;  // everything below
    ReportSource source_;
    std::vector<LoadedPluginInfo> plugins_;
    uint64_t reloads_applied_ = 0;
    uint64_t reloads_refused_ = 0;
    bool last_reload_applied_ = true;
    int64_t last_applied_at_ = 0;
    std::map<Key, Tally> tallies_;
    std::map<std::string, TypeTally> types_;
};

}  // namespace warden::host
