// SPDX-License-Identifier: Apache-2.0
// cluster_properties.cpp — looking up and checking Redpanda cluster properties.
#include "cluster_properties.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace redpanda_plugin {
namespace {

constexpr ClusterProperty kProperties[] = {
#include "cluster_properties.inc"
};

constexpr bool sorted_by_name() {
    for (std::size_t i = 1; i < std::size(kProperties); ++i)
        if (!(kProperties[i - 1].name < kProperties[i].name)) return false;
    return true;
}
static_assert(sorted_by_name(), "cluster_properties.inc must be sorted by name");

// Other names Redpanda takes for a property; GET /v1/cluster_config shows
// only the property's own name, which is what the worker compares.
struct Alias {
    std::string_view alias;
    std::string_view name;
};
constexpr Alias kAliases[] = {
#include "cluster_aliases.inc"
};

// Node properties (Redpanda's src/v/config/node_config.h): set in
// redpanda.yaml, never through the cluster config.
constexpr std::array<std::string_view, 27> kNodeProperties = {"admin",
                                                              "admin_api_doc_dir",
                                                              "admin_api_tls",
                                                              "advertised_kafka_api",
                                                              "advertised_rpc_api",
                                                              "cloud_storage_cache_directory",
                                                              "cloud_storage_inventory_hash_store",
                                                              "crash_loop_limit",
                                                              "data_directory",
                                                              "developer_mode",
                                                              "emergency_disable_data_transforms",
                                                              "empty_seed_starts_cluster",
                                                              "fips_mode",
                                                              "kafka_api",
                                                              "kafka_api_tls",
                                                              "memory_allocation_warning_threshold",
                                                              "node_id",
                                                              "node_id_overrides",
                                                              "openssl_config_file",
                                                              "openssl_module_directory",
                                                              "rack",
                                                              "recovery_mode_enabled",
                                                              "rpc_server",
                                                              "rpc_server_tls",
                                                              "seed_servers",
                                                              "storage_failure_injection_enabled",
                                                              "upgrade_override_checks"};

// The enums whose values Redpanda's source spells out (operator<< of each).
struct EnumValues {
    std::string_view name;
    std::string_view values;  // ", "-separated, as the problem text shows them
};
constexpr std::array<EnumValues, 3> kEnums = {{
    {"log_compression_type", "none, gzip, snappy, lz4, zstd, producer"},
    {"log_message_timestamp_type", "CreateTime, LogAppendTime"},
    {"write_caching_default", "true, false, disabled"},
}};

bool is_one_of(std::string_view value, std::string_view values) {
    while (!values.empty()) {
        const std::size_t comma = values.find(", ");
        if (values.substr(0, comma) == value) return true;
        if (comma == std::string_view::npos) break;
        values.remove_prefix(comma + 2);
    }
    return false;
}

const char *kind_text(Kind kind) {
    switch (kind) {
        case Kind::boolean: return "true or false";
        case Kind::integer: return "a whole number";
        case Kind::number: return "a number";
        case Kind::string: return "a string";
        case Kind::array: return "a list";
    }
    return "a value";
}

bool has_kind(const nlohmann::json &value, Kind kind) {
    switch (kind) {
        case Kind::boolean: return value.is_boolean();
        case Kind::integer: return value.is_number_integer();
        case Kind::number: return value.is_number();
        case Kind::string: return value.is_string();
        case Kind::array: return value.is_array();
    }
    return false;
}

}  // namespace

std::optional<ClusterProperty> find_cluster_property(std::string_view name) {
    const auto it = std::lower_bound(
        std::begin(kProperties), std::end(kProperties), name,
        [](const ClusterProperty &p, std::string_view wanted) { return p.name < wanted; });
    if (it == std::end(kProperties) || it->name != name) return std::nullopt;
    return *it;
}

bool is_node_property(std::string_view name) {
    return std::binary_search(kNodeProperties.begin(), kNodeProperties.end(), name);
}

std::string cluster_property_problem(std::string_view name, const nlohmann::json &value) {
    const std::optional<ClusterProperty> p = find_cluster_property(name);
    if (!p) {
        for (const Alias &a : kAliases)
            if (a.alias == name)
                return "is Redpanda's other name for " + std::string(a.name) + ": write " +
                       std::string(a.name) + ", as the broker reports it";
        if (is_node_property(name))
            return "is a node property, which the worker writes into redpanda.yaml itself; set "
                   "it with the worker's own keys (data_dir, kafka_port, admin_port, rpc_port, "
                   "developer_mode)";
        return "not a cluster property of Redpanda v24.3";
    }
    if (name == "disable_public_metrics" && value == true)
        return "the worker judges the broker by /public_metrics, which this would turn off";
    if (value.is_null()) {
        if (p->nullable) return {};
        return "cannot be null: it must be " + std::string(kind_text(p->kind));
    }
    if (!has_kind(value, p->kind)) return "must be " + std::string(kind_text(p->kind));
    if (p->kind == Kind::integer) {
        const bool negative = !value.is_number_unsigned();
        if (p->min >= 0 && (negative || value.get<uint64_t>() < static_cast<uint64_t>(p->min)))
            return "must be at least " + std::to_string(p->min);
        if (p->max >= 0 && !negative && value.get<uint64_t>() > static_cast<uint64_t>(p->max))
            return "must be at most " + std::to_string(p->max);
    }
    for (const EnumValues &e : kEnums)
        if (e.name == name && !is_one_of(value.get_ref<const std::string &>(), e.values))
            return "must be one of " + std::string(e.values);
    return {};
}

}  // namespace redpanda_plugin
