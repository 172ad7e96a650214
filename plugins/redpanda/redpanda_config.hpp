// SPDX-License-Identifier: Apache-2.0
// redpanda_config.hpp — what a `redpanda` worker should run, from its config.
//
// The host hands the worker's `config:` block over as JSON. RedpandaConfig
// checks every key there (the node's binary, data directory, ports,
// resources, and the `cluster:` properties against the table the worker
// knows) so that `warden --check-config` and a reload refuse a mistake
// before anything is deployed. The desired-state document is this struct
// as JSON; it round-trips unchanged.
//
// Node settings end up in redpanda.yaml and on the command line: changing
// one restarts the broker in place. Cluster properties go through the admin
// API and never restart it by themselves (Redpanda says when one needs a
// restart).
#pragma once

#include <warden/kit/run_as.hpp>
#include <warden/plugin.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace redpanda_plugin {

struct RedpandaConfig {
    std::string service;  ///< the s6 service: "redpanda-<name>"
    std::string binary = "/opt/redpanda/bin/redpanda";
    std::string data_dir;                     ///< default /var/lib/warden/redpanda/<name>
    uint32_t kafka_port = 0;                  ///< 0 = the host reserves one
    uint32_t admin_port = 0;                  ///< 0 = the host reserves one
    uint32_t rpc_port = 0;                    ///< 0 = the host reserves one
    std::string kafka_address = "127.0.0.1";  ///< where the Kafka API listens
    std::string advertised_address;           ///< what clients are told; default: see derive
    uint32_t smp = 1;                         ///< --smp
    std::string memory = "2G";                ///< --memory, exactly as given
    bool overprovisioned = true;              ///< --overprovisioned
    bool developer_mode = false;              ///< redpanda.yaml's developer_mode
    /// The cluster properties wanted (name -> value), as given.
    nlohmann::json cluster = nlohmann::json::object();
    uint32_t start_timeout_ms = 60'000;    ///< not ready this long after start: degraded
    uint32_t activity_window_ms = 60'000;  ///< bytes within this long: active
    uint32_t not_ready_restart_ms = 0;     ///< 0 = never restart for not being ready
    /// `user` and `group`; empty = the host's default. The data directory
    /// the worker makes is given to them (RunAs::hand_over).
    warden::kit::RunAs run_as;

    /// Checks a worker's config; throws warden::ConfigError naming the key.
    static RedpandaConfig from_config(const warden::Identity &identity,
                                      std::string_view config_json);

    /// The desired-state document, and back.
    std::string to_json() const;
    static RedpandaConfig from_json(std::string_view desired_json);
};

/// Whether `memory` is a size as seastar's --memory reads it: digits with an
/// optional k, K, M, G or T (powers of 1024), e.g. "1536M".
bool valid_memory_size(std::string_view memory);

}  // namespace redpanda_plugin
