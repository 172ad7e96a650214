// SPDX-License-Identifier: Apache-2.0
// redpanda_render.hpp — the file and command line a `redpanda` worker runs.
//
// A Rendering is everything the worker hands to s6 for one config and one
// set of ports: redpanda.yaml with node properties only (data directory,
// the Kafka API, admin API and RPC listeners on the worker's ports,
// developer_mode), and Redpanda's command line (--redpanda-cfg, --smp,
// --memory exactly as given, --overprovisioned unless asked otherwise).
// Cluster properties are never written into the file: after the first boot
// Redpanda ignores them there, and the worker sets them through the admin
// API instead. A pure function of its inputs: the same config and ports
// give the same bytes, so a restarted host adopts the running broker.
#pragma once

#include "redpanda_config.hpp"

#include <warden/host.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace redpanda_plugin {

/// The config file's name, in the service's data/ dir.
inline constexpr const char *kConfigFile = "redpanda.yaml";

/// The three ports a broker listens on.
struct Ports {
    uint32_t kafka = 0;
    uint32_t admin = 0;
    uint32_t rpc = 0;
    bool complete() const { return kafka != 0 && admin != 0 && rpc != 0; }
};

struct Rendering {
    std::string config_yaml;
    std::vector<std::string> argv;  ///< run from the service dir: data/redpanda.yaml

    /// The s6 service that runs this rendering.
    warden::ServiceSpec service_spec(const std::string &service) const;
};

Rendering render(const RedpandaConfig &config, const Ports &ports);

}  // namespace redpanda_plugin
