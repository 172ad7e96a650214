// SPDX-License-Identifier: Apache-2.0
// redpanda_actions.hpp — the `redpanda` worker's own actions, and the list
// of all of them.
//
//   deploy              the kit's deploy, after making the data directory
//   configure_cluster   send the cluster properties that differ (PUT
//                       /v1/cluster_config with upsert and remove); a
//                       refusal is recorded with Redpanda's words, a
//                       broker that does not answer fails the action (the
//                       host tries again after a growing delay)
//   restart_for_config  restart the broker in place: Redpanda says a
//                       changed cluster property needs it
//
// THREADING: run by the host on the worker's executor thread.
#pragma once

#include <warden/kit/service_actions.hpp>
#include <warden/worker.hpp>

#include <string_view>

namespace redpanda_plugin {

class RedpandaWorker;

struct DeployBroker {
    static constexpr std::string_view name = warden::kit::Deploy<RedpandaWorker>::name;
    static constexpr uint32_t timeout_ms = warden::kit::Deploy<RedpandaWorker>::timeout_ms;
    static constexpr std::string_view description =
        "make the data directory, then create the s6 service or update it in place";
    void execute(RedpandaWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

struct ConfigureCluster {
    static constexpr std::string_view name = "configure_cluster";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description =
        "send the broker the cluster properties that differ from the config, through its admin "
        "API";
    void execute(RedpandaWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

struct RestartForConfig {
    static constexpr std::string_view name = "restart_for_config";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description =
        "restart the broker in place: a cluster property it was sent needs a restart";
    void execute(RedpandaWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

using RedpandaActions =
    warden::Actions<DeployBroker, warden::kit::Start<RedpandaWorker>,
                    warden::kit::Stop<RedpandaWorker>, warden::kit::Restart<RedpandaWorker>,
                    warden::kit::Remove<RedpandaWorker>, ConfigureCluster, RestartForConfig>;

}  // namespace redpanda_plugin
