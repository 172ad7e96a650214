// SPDX-License-Identifier: Apache-2.0
// redpanda_render.cpp — rendering a `redpanda` worker's redpanda.yaml and
// command line.
#include "redpanda_render.hpp"

#include <warden/kit/yaml_writer.hpp>

namespace redpanda_plugin {
namespace {

using nlohmann::json;

// Redpanda stops on SIGTERM, flushing what it holds; a large broker may take
// longer than the host's default before the SIGKILL.
constexpr uint32_t kKillTimeoutMs = 60'000;

json listener(const std::string &address, uint32_t port) {
    return {{"address", address}, {"port", port}};
}

}  // namespace

// The admin API and RPC server listen on loopback: the worker's probes go
// there, and this broker forms no cluster with others. The Kafka API
// listens where the config says, and tells clients the advertised address.
Rendering render(const RedpandaConfig &config, const Ports &ports) {
    const json node = {
        {"data_directory", config.data_dir},
        {"developer_mode", config.developer_mode},
        {"seed_servers", json::array()},
        {"empty_seed_starts_cluster", true},
        {"rpc_server", listener("127.0.0.1", ports.rpc)},
        {"advertised_rpc_api", listener("127.0.0.1", ports.rpc)},
        {"kafka_api", json::array({listener(config.kafka_address, ports.kafka)})},
        {"advertised_kafka_api", json::array({listener(config.advertised_address, ports.kafka)})},
        {"admin", json::array({listener("127.0.0.1", ports.admin)})},
    };
    Rendering r;
    r.config_yaml = "# Written by warden for service " + config.service +
                    " from its worker's config; edits here are overwritten.\n"
                    "# Cluster properties are set through the admin API, not here.\n" +
                    warden::kit::to_yaml(json{{"redpanda", node}});
    r.argv = {config.binary, "--redpanda-cfg",           std::string("data/") + kConfigFile,
              "--smp",       std::to_string(config.smp), "--memory",
              config.memory};
    if (config.overprovisioned) r.argv.push_back("--overprovisioned");
    return r;
}

warden::ServiceSpec Rendering::service_spec(const std::string &service) const {
    warden::ServiceSpec spec;
    spec.name = service;
    spec.argv = argv;
    spec.files.push_back(warden::ServiceFile{kConfigFile, config_yaml, 0644});
    spec.kill_timeout_ms = kKillTimeoutMs;
    return spec;
}

}  // namespace redpanda_plugin
