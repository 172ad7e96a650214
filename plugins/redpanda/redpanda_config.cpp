// SPDX-License-Identifier: Apache-2.0
// redpanda_config.cpp — checking a `redpanda` worker's config.
#include "redpanda_config.hpp"

#include "cluster_properties.hpp"

#include <warden/kit/config_reader.hpp>
#include <warden/kit/json_value.hpp>

#include <arpa/inet.h>

namespace redpanda_plugin {
namespace {

using nlohmann::json;

constexpr uint64_t kMaxSmp = 1024;
constexpr uint64_t kMinStartTimeoutMs = 5'000;
constexpr uint64_t kMaxStartTimeoutMs = 3'600'000;
constexpr uint64_t kMinActivityWindowMs = 5'000;
constexpr uint64_t kMaxActivityWindowMs = 3'600'000;
constexpr uint64_t kMinNotReadyRestartMs = 10'000;
constexpr uint64_t kMaxNotReadyRestartMs = 3'600'000;

bool valid_ipv4(const std::string &address) {
    in_addr parsed{};
    return inet_pton(AF_INET, address.c_str(), &parsed) == 1;
}

// `memory:` as a string ("1536M") or a whole number of bytes.
std::string read_memory(warden::kit::ConfigReader &config) {
    const std::optional<json> raw = config.raw("memory");
    if (!raw) return RedpandaConfig().memory;
    std::string memory;
    if (raw->is_number_unsigned() && raw->get<uint64_t>() > 0) {
        memory = std::to_string(raw->get<uint64_t>());
    } else if (raw->is_string()) {
        memory = raw->get<std::string>();
    }
    if (!valid_memory_size(memory))
        config.fail("memory",
                    "must be a size as Redpanda's --memory takes it: digits and an optional "
                    "K, M, G or T (e.g. 1536M, 2G), or a whole number of bytes");
    return memory;
}

json read_cluster(warden::kit::ConfigReader &config) {
    const std::optional<json> raw = config.raw("cluster");
    if (!raw) return json::object();
    if (!raw->is_object())
        config.fail("cluster", "must be a mapping of Redpanda cluster properties");
    for (const auto &[name, value] : raw->items()) {
        const std::string problem = cluster_property_problem(name, value);
        if (!problem.empty()) config.fail("cluster." + name, problem);
    }
    return *raw;
}

}  // namespace

bool valid_memory_size(std::string_view memory) {
    if (memory.empty()) return false;
    const char last = memory.back();
    if (last == 'k' || last == 'K' || last == 'M' || last == 'G' || last == 'T')
        memory.remove_suffix(1);
    if (memory.empty() || memory.size() > 15 || memory[0] == '0') return false;
    for (const char c : memory)
        if (c < '0' || c > '9') return false;
    return true;
}

RedpandaConfig RedpandaConfig::from_config(const warden::Identity &identity,
                                           std::string_view config_json) {
    using warden::kit::WholeNumber;
    auto config = warden::kit::ConfigReader::parse(config_json);
    RedpandaConfig c;
    c.service = identity.service_name();
    c.binary = config.absolute_path("binary").value_or(c.binary);
    c.data_dir = config.absolute_path("data_dir")
                     .value_or("/var/lib/warden/redpanda/" + std::string(identity.name()));
    if (c.data_dir.size() > 1 && c.data_dir.back() == '/') c.data_dir.pop_back();
    if (c.data_dir == "/") config.fail("data_dir", "must not be the root directory");
    c.kafka_port = config.port("kafka_port").value_or(0);
    c.admin_port = config.port("admin_port").value_or(0);
    c.rpc_port = config.port("rpc_port").value_or(0);
    const auto same = [&](uint32_t a, uint32_t b, const char *key, const char *other) {
        if (a != 0 && a == b)
            config.fail(key, "port " + std::to_string(a) + " is also the " + other);
    };
    same(c.admin_port, c.kafka_port, "admin_port", "kafka_port");
    same(c.rpc_port, c.kafka_port, "rpc_port", "kafka_port");
    same(c.rpc_port, c.admin_port, "rpc_port", "admin_port");
    c.kafka_address = config.string("kafka_address").value_or(c.kafka_address);
    if (!valid_ipv4(c.kafka_address))
        config.fail("kafka_address", "must be an IPv4 address such as 127.0.0.1 or 0.0.0.0");
    const bool any = c.kafka_address == "0.0.0.0";
    c.advertised_address =
        config.string("advertised_address").value_or(any ? "127.0.0.1" : c.kafka_address);
    if (!valid_ipv4(c.advertised_address) || c.advertised_address == "0.0.0.0")
        config.fail("advertised_address",
                    "must be the IPv4 address clients reach the broker at, not 0.0.0.0");
    c.smp = static_cast<uint32_t>(config.whole_number("smp", 1, kMaxSmp).value_or(c.smp));
    c.memory = read_memory(config);
    c.overprovisioned = config.boolean("overprovisioned").value_or(c.overprovisioned);
    c.developer_mode = config.boolean("developer_mode").value_or(c.developer_mode);
    c.cluster = read_cluster(config);
    c.start_timeout_ms = static_cast<uint32_t>(
        config.duration_ms("start_timeout_ms", kMinStartTimeoutMs, kMaxStartTimeoutMs)
            .value_or(c.start_timeout_ms));
    c.activity_window_ms = static_cast<uint32_t>(
        config.duration_ms("activity_window_ms", kMinActivityWindowMs, kMaxActivityWindowMs)
            .value_or(c.activity_window_ms));
    c.not_ready_restart_ms = static_cast<uint32_t>(
        config
            .whole_number("not_ready_restart_ms",
                          WholeNumber(kMinNotReadyRestartMs, kMaxNotReadyRestartMs)
                              .or_also(0, "0 (never restart)"))
            .value_or(c.not_ready_restart_ms));
    c.run_as = warden::kit::RunAs::read(config);
    config.finish();
    return c;
}

// nlohmann's objects keep their keys sorted, so the same config always gives
// the same bytes, here and in everything rendered from it.
std::string RedpandaConfig::to_json() const {
    json out = {{"service", service},
                {"binary", binary},
                {"data_dir", data_dir},
                {"kafka_port", kafka_port},
                {"admin_port", admin_port},
                {"rpc_port", rpc_port},
                {"kafka_address", kafka_address},
                {"advertised_address", advertised_address},
                {"smp", smp},
                {"memory", memory},
                {"overprovisioned", overprovisioned},
                {"developer_mode", developer_mode},
                {"cluster", cluster},
                {"start_timeout_ms", start_timeout_ms},
                {"activity_window_ms", activity_window_ms},
                {"not_ready_restart_ms", not_ready_restart_ms}};
    run_as.write(out);
    return out.dump();
}

RedpandaConfig RedpandaConfig::from_json(std::string_view desired_json) {
    using warden::kit::value_or;
    const json in = warden::kit::parse_object(desired_json, "desired state");
    RedpandaConfig c;
    c.service = value_or(in, "service", std::string());
    c.binary = value_or(in, "binary", c.binary);
    c.data_dir = value_or(in, "data_dir", std::string());
    c.kafka_port = value_or(in, "kafka_port", uint32_t{0});
    c.admin_port = value_or(in, "admin_port", uint32_t{0});
    c.rpc_port = value_or(in, "rpc_port", uint32_t{0});
    c.kafka_address = value_or(in, "kafka_address", c.kafka_address);
    c.advertised_address = value_or(in, "advertised_address", c.kafka_address);
    c.smp = value_or(in, "smp", c.smp);
    c.memory = value_or(in, "memory", c.memory);
    c.overprovisioned = value_or(in, "overprovisioned", c.overprovisioned);
    c.developer_mode = value_or(in, "developer_mode", c.developer_mode);
    const auto cluster = in.find("cluster");
    if (cluster != in.end() && cluster->is_object()) c.cluster = *cluster;
    c.start_timeout_ms = value_or(in, "start_timeout_ms", c.start_timeout_ms);
    c.activity_window_ms = value_or(in, "activity_window_ms", c.activity_window_ms);
    c.not_ready_restart_ms = value_or(in, "not_ready_restart_ms", c.not_ready_restart_ms);
    c.run_as = warden::kit::RunAs::from(in);
    return c;
}

}  // namespace redpanda_plugin
