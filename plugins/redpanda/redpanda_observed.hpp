// SPDX-License-Identifier: Apache-2.0
// redpanda_observed.hpp — what a `redpanda` worker observes beyond the kit.
//
// The kit's Observed holds the service, the deploy and readiness; a
// `redpanda` worker adds, under its `extra` key, what only it knows: its
// three ports, who holds the data directory, what /v1/status/ready and
// /public_metrics said, how the bytes produced and consumed grew within the
// activity window, and where the cluster config stands. Facts only; the
// states judge.
#pragma once

#include "redpanda_metrics.hpp"
#include "redpanda_render.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace redpanda_plugin {

/// Where the broker's cluster config stands against the YAML's.
struct ClusterFacts {
    std::string wanted;               ///< fingerprint of the wanted properties
    int64_t version = -1;             ///< the broker's config_version; -1 = unknown
    bool restart = false;             ///< Redpanda says a change waits for a restart
    bool compared = false;            ///< the values were read against the wanted ones
    std::vector<std::string> differ;  ///< wanted properties the broker has other values for
    std::vector<std::string> stale;   ///< properties the worker kept that are no longer wanted
    bool unrecorded = false;          ///< the record of kept properties is not the YAML's names
    /// What the newest PUT of `wanted` to this very process answered: its
    /// version (-1 = none sent), how long ago, or Redpanda's refusal.
    int64_t sent_version = -1;
    int64_t sent_for_ms = 0;
    std::string refused;
    std::string error;  ///< why the config could not be read, several times in a row; "" = read
    int64_t restarted_version = -1;  ///< the version the broker was last restarted for

    bool in_sync() const { return compared && differ.empty() && stale.empty(); }
    /// Sent, and the broker does not show that version yet.
    bool pending() const { return sent_version >= 0 && version < sent_version; }
    /// Sent, the broker shows that version, and still other values.
    bool not_taken() const { return sent_version >= 0 && !pending() && !differ.empty(); }
    nlohmann::json to_json() const;
    static ClusterFacts from_json(const nlohmann::json &in);
};

struct RedpandaFacts {
    Ports ports;                  ///< 0s until reserved
    std::string port_error;       ///< why a port could not be reserved
    int64_t data_dir_holder = 0;  ///< another process holding pid.lock; 0 = none
    int64_t restarting = 0;       ///< the process restart_for_config is ending; 0 = none
    std::string ready_status;     ///< /v1/status/ready's "status": "ready", "booting"
    bool metrics_read = false;    ///< /public_metrics answered and was read
    std::string metrics_error;    ///< why it was not
    BrokerMetrics metrics;
    double window_produced = 0;  ///< bytes produced within the activity window
    double window_consumed = 0;  ///< bytes consumed within it
    int64_t window_ms = 0;       ///< how much of the window that covers
    ClusterFacts cluster;

    nlohmann::json to_json() const;
    static RedpandaFacts from_json(const nlohmann::json &extra);
};

}  // namespace redpanda_plugin
