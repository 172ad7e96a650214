// SPDX-License-Identifier: Apache-2.0
// redpanda_worker.hpp — the `redpanda` worker type: one Redpanda broker, run
// as an s6 service, its node config rendered and its cluster config kept
// through the admin API, judged by Redpanda's own admin API and metrics.
//
// Built on the SDK's worker kit: the kit's states and actions run the
// service (deploy, start, stop, restart, remove), and this class says what
// is Redpanda's: the config (RedpandaConfig), the rendering (the plan), the
// data directory, the probes of /v1/status/ready, /public_metrics and the
// cluster config (collect), sending cluster properties (redpanda_actions),
// how a running broker is judged (idle or active, storage alerts,
// unavailable partitions, refused properties), and the figures it publishes
// on a host that takes them (ABI 1.5): the bytes produced and consumed, the
// free disk, topics and unavailable partitions.
//
// THREADING: as kit::ServiceWorker: collect runs on the worker's collector,
// the actions on its executor. The counter window, the figures, the cached
// plan and the last comparison of the cluster config belong to collect
// alone; what the
// cluster actions record (the version sent, a refusal, the properties the
// worker set) is behind a mutex. The states and the judging hooks are pure.
#pragma once

#include "cluster_sync.hpp"
#include "redpanda_actions.hpp"
#include "redpanda_config.hpp"
#include "redpanda_observed.hpp"
#include "redpanda_states.hpp"

#include <warden/kit/counter_window.hpp>
#include <warden/kit/figures.hpp>
#include <warden/kit/service_worker.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redpanda_plugin {

class RedpandaWorker : public warden::kit::ServiceWorker<RedpandaWorker> {
public:
    static constexpr std::string_view type_name = "redpanda";
    static constexpr std::string_view description =
        "runs one Redpanda broker as an s6 service and keeps its cluster config";
    using States =
        warden::States<warden::kit::Stopped<RedpandaWorker>, warden::kit::Starting<RedpandaWorker>,
                       Idle, Active, warden::kit::Degraded<RedpandaWorker>,
                       warden::kit::Stopping<RedpandaWorker>>;
    using Actions = RedpandaActions;

    explicit RedpandaWorker(const warden::WorkerContext &context);

    /// The desired state (JSON) for a config (JSON); throws warden::ConfigError.
    static std::string derive_desired(const warden::Host &host, const warden::Identity &identity,
                                      std::string_view config_json);

    /// What `warden --check-config` can check without a broker beyond the
    /// config's keys: the ports (taken by another worker?) and the binary.
    static void check_config(const warden::Host &host, const warden::Identity &identity,
                             std::string_view desired_json, const warden::Cancel &cancel);

    /// The service for the config and the observed ports; nothing is
    /// deployed while a port is missing or another process holds the data
    /// directory.
    static warden::kit::Plan plan(const warden::Snapshot &snapshot,
                                  const warden::kit::Observed &observed);

    /// The observed state (JSON): the kit's observation, the probes, the
    /// counters and the cluster config.
    std::string collect(const warden::Snapshot &snapshot, const warden::Cancel &cancel);

    // How the kit's states judge a broker that runs (redpanda_states.cpp).
    static std::string trouble(const warden::kit::View<RedpandaWorker> &v);
    static std::string health_text(const warden::kit::View<RedpandaWorker> &v);
    static warden::Decision healthy(const warden::kit::View<RedpandaWorker> &v, std::string reason);

    // Shared with the cluster actions.

    /// The cluster properties the worker keeps (the YAML's names when it
    /// last had them in sync), from the data directory's record the first time.
    std::vector<std::string> kept_properties(const std::string &data_dir);
    /// Records the properties kept, in memory and in the data directory.
    void record_kept(const std::string &data_dir, std::vector<std::string> names);
    /// Records what a PUT of the wanted properties `wanted` to process `pid`
    /// answered: its version, or Redpanda's refusal.
    void record_sent(const std::string &wanted, int64_t pid, int64_t version, std::string refused);
    /// Records that process `pid` is being restarted for cluster config
    /// version `version`.
    void record_restart(int64_t pid, int64_t version);

private:
    // What the newest PUT answered, for one wanted set of properties and one
    // broker process (a new process has a config history of its own).
    struct Sent {
        std::string wanted;
        int64_t pid = 0;
        int64_t version = -1;
        int64_t at_ns = 0;
        std::string refused;
    };

    static nlohmann::json plan_seed(const RedpandaFacts &facts);
    void probe_ready(RedpandaFacts &facts, std::string &not_ready);
    void read_metrics(RedpandaFacts &facts, const RedpandaConfig &config, int64_t started_ns,
                      int64_t pid);
    void read_cluster(RedpandaFacts &facts, const RedpandaConfig &config, int64_t pid);
    void publish_figures(const BrokerMetrics &metrics);
    void compare_cluster(ClusterFacts &c, uint32_t admin_port, const RedpandaConfig &config,
                         const Sent &sent, int64_t pid);
    warden::HttpResponse get(uint32_t port, const std::string &path);

    // collect's alone:
    warden::kit::CounterWindow window_;
    warden::kit::Figures figures_;
    int64_t last_holder_ = 0;  // who held the data directory at the last collect
    // The last comparison of the broker's values with the wanted ones,
    // made again when either side may have changed.
    std::string compared_key_;
    ClusterDiff compared_;
    int cluster_errors_ = 0;  // admin requests failed in a row
    // The broker's config status as last read, and when (monotonic).
    ConfigStatus status_;
    int64_t status_read_ns_ = 0;

    std::mutex mutex_;
    Sent sent_;
    int64_t restarting_ = 0;                        // the process restart_for_config ends
    int64_t restarted_version_ = -1;                // the cluster config version it restarted for
    std::optional<std::vector<std::string>> kept_;  // nullopt: not read yet
};

}  // namespace redpanda_plugin
