// SPDX-License-Identifier: Apache-2.0
// redpanda_metrics.hpp — what a broker's /public_metrics says of its health
// and its traffic.
//
// Redpanda serves its stable metrics at `/public_metrics` on the admin port
// (a real v24.3.8 broker with no user topics serves about 160 KB in 1,272
// lines). The worker reads a handful of them on every observation: the bytes
// produced and consumed (summed over every topic and namespace, for idle or
// active), the storage alert with the free and total bytes, partitions
// without quorum, brokers, topics and partitions, uptime and version. One
// scan of the text, allocating nothing per line.
//
// THREADING: pure functions and plain values.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace redpanda_plugin {

struct BrokerMetrics {
    double produce_bytes = 0;    ///< redpanda_kafka_request_bytes_total{redpanda_request="produce"}
    double consume_bytes = 0;    ///< ... {redpanda_request="consume"}
    double disk_free_bytes = 0;  ///< redpanda_storage_disk_free_bytes
    double disk_total_bytes = 0;  ///< redpanda_storage_disk_total_bytes
    int free_space_alert = 0;     ///< 0 OK, 1 low space, 2 degraded
    int64_t unavailable_partitions = 0;
    int64_t brokers = 0;
    int64_t topics = 0;
    int64_t partitions = 0;
    double uptime_s = 0;
    std::string version;  ///< redpanda_application_build's redpanda_version
    /// Why the text is not what a broker serves ("redpanda_storage_disk_free_bytes
    /// missing"); "" when every family the worker judges by was there.
    std::string problem;

    nlohmann::json to_json() const;
    static BrokerMetrics from_json(const nlohmann::json &in);
};

/// Reads `text`, a /public_metrics body.
BrokerMetrics read_public_metrics(std::string_view text);

}  // namespace redpanda_plugin
