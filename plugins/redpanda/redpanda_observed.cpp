// SPDX-License-Identifier: Apache-2.0
// redpanda_observed.cpp — the worker's facts as JSON, both ways.
#include "redpanda_observed.hpp"

#include <warden/kit/json_value.hpp>

namespace redpanda_plugin {
namespace {

using nlohmann::json;
using warden::kit::value_or;

std::vector<std::string> strings_at(const json &in, const char *key) {
    std::vector<std::string> out;
    const auto it = in.find(key);
    if (it == in.end() || !it->is_array()) return out;
    for (const json &item : *it)
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

}  // namespace

json ClusterFacts::to_json() const {
    return {{"wanted", wanted},
            {"version", version},
            {"restart", restart},
            {"compared", compared},
            {"differ", differ},
            {"stale", stale},
            {"unrecorded", unrecorded},
            {"sent_version", sent_version},
            {"sent_for_ms", sent_for_ms},
            {"refused", refused},
            {"restarted_version", restarted_version},
            {"error", error}};
}

ClusterFacts ClusterFacts::from_json(const json &in) {
    ClusterFacts c;
    c.wanted = value_or(in, "wanted", std::string());
    c.version = value_or(in, "version", int64_t{-1});
    c.restart = value_or(in, "restart", false);
    c.compared = value_or(in, "compared", false);
    c.differ = strings_at(in, "differ");
    c.stale = strings_at(in, "stale");
    c.unrecorded = value_or(in, "unrecorded", false);
    c.sent_version = value_or(in, "sent_version", int64_t{-1});
    c.sent_for_ms = value_or(in, "sent_for_ms", int64_t{0});
    c.refused = value_or(in, "refused", std::string());
    c.restarted_version = value_or(in, "restarted_version", int64_t{-1});
    c.error = value_or(in, "error", std::string());
    return c;
}

json RedpandaFacts::to_json() const {
    return {{"kafka_port", ports.kafka},
            {"admin_port", ports.admin},
            {"rpc_port", ports.rpc},
            {"port_error", port_error},
            {"data_dir_holder", data_dir_holder},
            {"restarting", restarting},
            {"ready_status", ready_status},
            {"metrics_read", metrics_read},
            {"metrics_error", metrics_error},
            {"metrics", metrics.to_json()},
            {"window_produced", window_produced},
            {"window_consumed", window_consumed},
            {"window_ms", window_ms},
            {"cluster", cluster.to_json()}};
}

RedpandaFacts RedpandaFacts::from_json(const json &extra) {
    RedpandaFacts f;
    f.ports.kafka = value_or(extra, "kafka_port", uint32_t{0});
    f.ports.admin = value_or(extra, "admin_port", uint32_t{0});
    f.ports.rpc = value_or(extra, "rpc_port", uint32_t{0});
    f.port_error = value_or(extra, "port_error", std::string());
    f.data_dir_holder = value_or(extra, "data_dir_holder", int64_t{0});
    f.restarting = value_or(extra, "restarting", int64_t{0});
    f.ready_status = value_or(extra, "ready_status", std::string());
    f.metrics_read = value_or(extra, "metrics_read", false);
    f.metrics_error = value_or(extra, "metrics_error", std::string());
    if (const auto m = extra.find("metrics"); m != extra.end() && m->is_object())
        f.metrics = BrokerMetrics::from_json(*m);
    f.window_produced = value_or(extra, "window_produced", 0.0);
    f.window_consumed = value_or(extra, "window_consumed", 0.0);
    f.window_ms = value_or(extra, "window_ms", int64_t{0});
    if (const auto c = extra.find("cluster"); c != extra.end() && c->is_object())
        f.cluster = ClusterFacts::from_json(*c);
    return f;
}

}  // namespace redpanda_plugin
