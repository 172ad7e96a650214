// SPDX-License-Identifier: Apache-2.0
// cluster_properties.hpp — the Redpanda cluster properties the worker knows.
//
// A `redpanda` worker's `cluster:` mapping sets cluster properties through
// the admin API. `warden --check-config` and every reload check them here
// first, with no broker running: each name must be a cluster property of
// Redpanda v24.3, each value of its kind (boolean, integer, number, string,
// list; null only where Redpanda allows it), within the bounds Redpanda's
// source states and among an enum's values. What this table cannot know
// (a newer Redpanda's checks), the broker's own validation still refuses,
// and the worker shows its words.
//
// The table (cluster_properties.inc) is generated from Redpanda's sources by
// tools/gen_cluster_properties.py.
//
// THREADING: pure functions over constant data.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redpanda_plugin {

enum class Kind { boolean, integer, number, string, array };

struct ClusterProperty {
    std::string_view name;
    Kind kind;
    bool nullable;       ///< null is a value of its own (the feature off)
    bool needs_restart;  ///< Redpanda restarts nothing by itself: a change waits for one
    int64_t min;         ///< -1: no bound the table knows
    int64_t max;         ///< -1: no bound the table knows
};

/// The property `name`; nullopt when Redpanda v24.3 has none of that name.
std::optional<ClusterProperty> find_cluster_property(std::string_view name);

/// Whether `name` is a node property (redpanda.yaml's, which the worker renders).
bool is_node_property(std::string_view name);

/// Why `value` is no value for cluster property `name`; "" when it is one.
/// E.g. "not a Redpanda cluster property", "must be an integer",
/// "must be at least 60000", "must be one of none, gzip, snappy, lz4, zstd, producer".
std::string cluster_property_problem(std::string_view name, const nlohmann::json &value);

}  // namespace redpanda_plugin
