// SPDX-License-Identifier: Apache-2.0
// redpanda_config_test.cpp — a `redpanda` worker's config: the checks (node
// keys, memory, ports, cluster properties against the table), the rendered
// redpanda.yaml and command line, and the cluster property table.
#include "redpanda_config.hpp"
#include "cluster_properties.hpp"
#include "redpanda_render.hpp"

#include <warden/plugin.h>

#include <gtest/gtest.h>

#include <string>

namespace redpanda_plugin {
namespace {

RedpandaConfig config_from(const std::string &json) {
    warden_identity raw = WARDEN_INIT(warden_identity);
    raw.type = WARDEN_STR("redpanda");
    raw.name = WARDEN_STR("broker");
    return RedpandaConfig::from_config(warden::Identity(&raw), json);
}

std::string error_of(const std::string &json) {
    try {
        config_from(json);
    } catch (const warden::ConfigError &e) {
        return e.what();
    }
    return "accepted";
}

TEST(RedpandaConfig, defaults_and_round_trip) {
    const RedpandaConfig c = config_from("{}");
    EXPECT_EQ(c.service, "redpanda-broker");
    EXPECT_EQ(c.binary, "/opt/redpanda/bin/redpanda");
    EXPECT_EQ(c.data_dir, "/var/lib/warden/redpanda/broker");
    EXPECT_EQ(c.smp, 1u);
    EXPECT_EQ(c.memory, "2G");
    EXPECT_TRUE(c.overprovisioned);
    EXPECT_FALSE(c.developer_mode);
    EXPECT_EQ(c.advertised_address, "127.0.0.1");
    EXPECT_EQ(RedpandaConfig::from_json(c.to_json()).to_json(), c.to_json());
}

TEST(RedpandaConfig, takes_a_user_and_group_by_name) {
    const RedpandaConfig c = config_from(R"({"user":"redpanda","group":"redpanda"})");
    EXPECT_EQ(c.run_as.user, "redpanda");
    EXPECT_EQ(c.run_as.group, "redpanda");
    EXPECT_EQ(RedpandaConfig::from_json(c.to_json()).run_as.user, "redpanda");
    EXPECT_EQ(config_from("{}").to_json().find("\"user\""), std::string::npos);
    EXPECT_EQ(error_of(R"({"group":"-g"})"),
              "group: '-g' is not a group name: 1 to 32 of the characters A-Z a-z 0-9 . _ -, not "
              "beginning with '-'; a name, not a numeric id");
}

TEST(RedpandaConfig, the_issue_example_is_accepted_as_written) {
    const RedpandaConfig c = config_from(
        R"({"binary":"/usr/bin/redpanda","data_dir":"/var/lib/warden/redpanda/broker/",)"
        R"("kafka_port":9092,"admin_port":9644,"smp":1,"memory":"1536M",)"
        R"("cluster":{"log_retention_ms":604800000,"auto_create_topics_enabled":true}})");
    EXPECT_EQ(c.data_dir, "/var/lib/warden/redpanda/broker");
    EXPECT_EQ(c.memory, "1536M");
    EXPECT_EQ(c.cluster.size(), 2u);
    const RedpandaConfig again = RedpandaConfig::from_json(c.to_json());
    EXPECT_EQ(again.cluster, c.cluster);
    EXPECT_EQ(again.kafka_port, 9092u);
}

TEST(RedpandaConfig, memory_is_taken_exactly_or_refused) {
    EXPECT_EQ(config_from(R"({"memory":"1536M"})").memory, "1536M");
    EXPECT_EQ(config_from(R"({"memory":"3k"})").memory, "3k");
    EXPECT_EQ(config_from(R"({"memory":1610612736})").memory, "1610612736");
    for (const char *bad :
         {R"("1.5G")", R"("1536MB")", R"("")", R"("0")", R"("G")", R"("-1G")", R"(0)", R"(true)"})
        EXPECT_EQ(error_of(std::string(R"({"memory":)") + bad + "}"),
                  "memory: must be a size as Redpanda's --memory takes it: digits and an optional "
                  "K, M, G or T (e.g. 1536M, 2G), or a whole number of bytes")
            << bad;
}

TEST(RedpandaConfig, refuses_mistakes_naming_the_key) {
    EXPECT_EQ(error_of(R"({"smp":0})"), "smp: must be a whole number from 1 to 1024");
    EXPECT_EQ(error_of(R"({"kafka_port":9092,"admin_port":9092})"),
              "admin_port: port 9092 is also the kafka_port");
    EXPECT_EQ(error_of(R"({"data_dir":"data"})"), "data_dir: must be an absolute path, got 'data'");
    EXPECT_EQ(error_of(R"({"data_dir":"/"})"), "data_dir: must not be the root directory");
    EXPECT_EQ(error_of(R"({"kafka_address":"localhost"})"),
              "kafka_address: must be an IPv4 address such as 127.0.0.1 or 0.0.0.0");
    EXPECT_EQ(error_of(R"({"kafka_address":"0.0.0.0","advertised_address":"0.0.0.0"})"),
              "advertised_address: must be the IPv4 address clients reach the broker at, not "
              "0.0.0.0");
    EXPECT_EQ(error_of(R"({"start_timeout_ms":"1s"})"),
              "start_timeout_ms: must be a duration from 5s to 1h: a whole number of "
              "milliseconds, or a string such as \"500ms\", \"30s\", \"5m\" or \"1h\"");
    const std::string unknown = error_of(R"({"memroy":"1G"})");
    EXPECT_EQ(unknown.rfind("unknown key 'memroy' (known: binary, data_dir, ", 0), 0u) << unknown;
}

TEST(RedpandaConfig, cluster_properties_are_checked_against_redpanda_s_table) {
    EXPECT_EQ(error_of(R"({"cluster":[]})"),
              "cluster: must be a mapping of Redpanda cluster properties");
    EXPECT_EQ(error_of(R"({"cluster":{"log_retention_mss":1}})"),
              "cluster.log_retention_mss: not a cluster property of Redpanda v24.3");
    EXPECT_EQ(error_of(R"({"cluster":{"data_directory":"/x"}})")
                  .rfind("cluster.data_directory: is a node property, which the worker writes into "
                         "redpanda.yaml itself",
                         0),
              0u);
    EXPECT_EQ(error_of(R"({"cluster":{"log_retention_ms":"7d"}})"),
              "cluster.log_retention_ms: must be a whole number");
    EXPECT_EQ(error_of(R"({"cluster":{"auto_create_topics_enabled":"yes"}})"),
              "cluster.auto_create_topics_enabled: must be true or false");
    EXPECT_EQ(error_of(R"({"cluster":{"log_segment_ms":59999}})"),
              "cluster.log_segment_ms: must be at least 60000");
    EXPECT_EQ(error_of(R"({"cluster":{"storage_min_free_bytes":1024}})"),
              "cluster.storage_min_free_bytes: must be at least 10485760");
    EXPECT_EQ(error_of(R"({"cluster":{"log_segment_size_jitter_percent":100}})"),
              "cluster.log_segment_size_jitter_percent: must be at most 99");
    EXPECT_EQ(error_of(R"({"cluster":{"log_compression_type":"brotli"}})"),
              "cluster.log_compression_type: must be one of none, gzip, snappy, lz4, zstd, "
              "producer");
    EXPECT_EQ(error_of(R"({"cluster":{"delete_retention_ms":1}})"),
              "cluster.delete_retention_ms: is Redpanda's other name for log_retention_ms: write "
              "log_retention_ms, as the broker reports it");
    EXPECT_EQ(error_of(R"({"cluster":{"disable_public_metrics":true}})"),
              "cluster.disable_public_metrics: the worker judges the broker by /public_metrics, "
              "which this would turn off");
    EXPECT_EQ(error_of(R"({"cluster":{"cloud_storage_cache_trim_threshold_percent_size":80.5}})"),
              "accepted");
    EXPECT_EQ(error_of(R"({"cluster":{"auto_create_topics_enabled":null}})"),
              "cluster.auto_create_topics_enabled: cannot be null: it must be true or false");
    EXPECT_EQ(error_of(R"({"cluster":{"retention_bytes":null,"log_segment_ms":null,)"
                       R"("log_retention_ms":-1,"log_compression_type":"zstd",)"
                       R"("kafka_nodelete_topics":["a"]}})"),
              "accepted");
}

TEST(ClusterProperties, the_table_knows_redpanda_s_properties) {
    const auto p = find_cluster_property("log_segment_ms");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->kind, Kind::integer);
    EXPECT_TRUE(p->nullable);
    EXPECT_FALSE(p->needs_restart);
    EXPECT_EQ(p->min, 60000);
    ASSERT_TRUE(find_cluster_property("enable_pid_file"));
    EXPECT_TRUE(find_cluster_property("enable_pid_file")->needs_restart);
    EXPECT_FALSE(find_cluster_property("data_directory"));
    EXPECT_TRUE(is_node_property("data_directory"));
    EXPECT_FALSE(is_node_property("log_retention_ms"));
}

TEST(RedpandaRender, node_properties_only_and_the_exact_command_line) {
    const RedpandaConfig c = config_from(R"({"data_dir":"/srv/rp","memory":"1536M","smp":2,)"
                                         R"("cluster":{"log_retention_ms":1000000}})");
    const Rendering r = render(c, Ports{19092, 19644, 33145});
    EXPECT_EQ(r.argv, (std::vector<std::string>{"/opt/redpanda/bin/redpanda", "--redpanda-cfg",
                                                "data/redpanda.yaml", "--smp", "2", "--memory",
                                                "1536M", "--overprovisioned"}));
    EXPECT_EQ(r.config_yaml,
              "# Written by warden for service redpanda-broker from its worker's config; edits "
              "here are overwritten.\n"
              "# Cluster properties are set through the admin API, not here.\n"
              "\"redpanda\":\n"
              "  \"admin\":\n"
              "    - \"address\": \"127.0.0.1\"\n"
              "      \"port\": 19644\n"
              "  \"advertised_kafka_api\":\n"
              "    - \"address\": \"127.0.0.1\"\n"
              "      \"port\": 19092\n"
              "  \"advertised_rpc_api\":\n"
              "    \"address\": \"127.0.0.1\"\n"
              "    \"port\": 33145\n"
              "  \"data_directory\": \"/srv/rp\"\n"
              "  \"developer_mode\": false\n"
              "  \"empty_seed_starts_cluster\": true\n"
              "  \"kafka_api\":\n"
              "    - \"address\": \"127.0.0.1\"\n"
              "      \"port\": 19092\n"
              "  \"rpc_server\":\n"
              "    \"address\": \"127.0.0.1\"\n"
              "    \"port\": 33145\n"
              "  \"seed_servers\": []\n");
    EXPECT_EQ(r.config_yaml.find("log_retention_ms"), std::string::npos);
    const warden::ServiceSpec spec = r.service_spec("redpanda-broker");
    ASSERT_EQ(spec.files.size(), 1u);
    EXPECT_EQ(spec.files[0].path, "redpanda.yaml");
    EXPECT_EQ(render(c, Ports{19092, 19644, 33145}).config_yaml, r.config_yaml);

    const RedpandaConfig plain =
        config_from(R"({"overprovisioned":false,"kafka_address":"0.0.0.0","developer_mode":true})");
    const Rendering p = render(plain, Ports{1, 2, 3});
    EXPECT_EQ(p.argv.back(), "2G");
    EXPECT_NE(p.config_yaml.find("\"address\": \"0.0.0.0\"\n      \"port\": 1\n"),
              std::string::npos);
    EXPECT_NE(p.config_yaml.find("\"developer_mode\": true"), std::string::npos);
}

}  // namespace
}  // namespace redpanda_plugin
