// SPDX-License-Identifier: Apache-2.0
// redpanda_metrics.cpp — reading a broker's /public_metrics.
#include "redpanda_metrics.hpp"

#include <warden/kit/json_value.hpp>
#include <warden/kit/prometheus.hpp>
#include <warden/validation.hpp>

#include <algorithm>
#include <cmath>

namespace redpanda_plugin {
namespace {

// The families the worker judges by; a broker serves each of them.
enum Seen : unsigned {
    kRequestBytes = 1u << 0,
    kDiskFree = 1u << 1,
    kDiskTotal = 1u << 2,
    kAlert = 1u << 3,
    kUnavailable = 1u << 4,
    kTopics = 1u << 5,
};
constexpr unsigned kAll = (1u << 6) - 1;

int64_t whole(double value) {
    return std::isfinite(value) ? static_cast<int64_t>(std::llround(value)) : 0;
}

}  // namespace

BrokerMetrics read_public_metrics(std::string_view text) {
    BrokerMetrics m;
    unsigned seen = 0;
    const auto summary = warden::kit::for_each_sample(text, [&](const warden::kit::SampleView &s) {
        const std::string_view name = s.name();
        if (name.rfind("redpanda_", 0) != 0) return;
        const std::string_view rest = name.substr(9);
        if (rest == "kafka_request_bytes_total") {
            seen |= kRequestBytes;
            if (s.has_label("redpanda_request", "produce")) m.produce_bytes += s.value();
            if (s.has_label("redpanda_request", "consume")) m.consume_bytes += s.value();
        } else if (rest == "storage_disk_free_bytes") {
            seen |= kDiskFree;
            m.disk_free_bytes = s.value();
        } else if (rest == "storage_disk_total_bytes") {
            seen |= kDiskTotal;
            m.disk_total_bytes = s.value();
        } else if (rest == "storage_disk_free_space_alert") {
            seen |= kAlert;
            m.free_space_alert = static_cast<int>(std::clamp<int64_t>(whole(s.value()), 0, 2));
        } else if (rest == "cluster_unavailable_partitions") {
            seen |= kUnavailable;
            m.unavailable_partitions = whole(s.value());
        } else if (rest == "cluster_topics") {
            seen |= kTopics;
            m.topics = whole(s.value());
        } else if (rest == "cluster_brokers") {
            m.brokers = whole(s.value());
        } else if (rest == "cluster_partitions") {
            m.partitions = whole(s.value());
        } else if (rest == "application_uptime_seconds_total") {
            m.uptime_s = s.value();
        } else if (rest == "application_build" && m.version.empty()) {
            m.version = warden::printable(s.label("redpanda_version").value_or(std::string()), 64);
        }
    });
    if (seen != kAll) {
        static constexpr const char *kNames[] = {
            "redpanda_kafka_request_bytes_total",      "redpanda_storage_disk_free_bytes",
            "redpanda_storage_disk_total_bytes",       "redpanda_storage_disk_free_space_alert",
            "redpanda_cluster_unavailable_partitions", "redpanda_cluster_topics"};
        for (unsigned i = 0; i < 6; ++i)
            if ((seen & (1u << i)) == 0) {
                m.problem = std::string(kNames[i]) + " missing from /public_metrics";
                break;
            }
    }
    if (m.problem.empty() && summary.truncated) m.problem = "/public_metrics: " + summary.problem;
    return m;
}

nlohmann::json BrokerMetrics::to_json() const {
    return {{"produce_bytes", produce_bytes},
            {"consume_bytes", consume_bytes},
            {"disk_free_bytes", disk_free_bytes},
            {"disk_total_bytes", disk_total_bytes},
            {"free_space_alert", free_space_alert},
            {"unavailable_partitions", unavailable_partitions},
            {"brokers", brokers},
            {"topics", topics},
            {"partitions", partitions},
            {"uptime_s", uptime_s},
            {"version", version},
            {"problem", problem}};
}

BrokerMetrics BrokerMetrics::from_json(const nlohmann::json &in) {
    using warden::kit::value_or;
    BrokerMetrics m;
    m.produce_bytes = value_or(in, "produce_bytes", 0.0);
    m.consume_bytes = value_or(in, "consume_bytes", 0.0);
    m.disk_free_bytes = value_or(in, "disk_free_bytes", 0.0);
    m.disk_total_bytes = value_or(in, "disk_total_bytes", 0.0);
    m.free_space_alert = value_or(in, "free_space_alert", 0);
    m.unavailable_partitions = value_or(in, "unavailable_partitions", int64_t{0});
    m.brokers = value_or(in, "brokers", int64_t{0});
    m.topics = value_or(in, "topics", int64_t{0});
    m.partitions = value_or(in, "partitions", int64_t{0});
    m.uptime_s = value_or(in, "uptime_s", 0.0);
    m.version = value_or(in, "version", std::string());
    m.problem = value_or(in, "problem", std::string());
    return m;
}

}  // namespace redpanda_plugin
