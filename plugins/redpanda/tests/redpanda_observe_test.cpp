// SPDX-License-Identifier: Apache-2.0
// redpanda_observe_test.cpp — reading what a broker says: the real v24.3.8
// /public_metrics body, its log's fatal lines, and the cluster config's
// difference, PUT answers and status.
#include "cluster_sync.hpp"
#include "redpanda_log.hpp"
#include "redpanda_metrics.hpp"
#include "test_data.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace redpanda_plugin {
namespace {

using nlohmann::json;

TEST(PublicMetrics, reads_the_real_v24_3_8_body) {
    const std::string body = data_file("public_metrics.txt");
    ASSERT_GT(body.size(), 160'000u);
    const BrokerMetrics m = read_public_metrics(body);
    EXPECT_EQ(m.problem, "");
    EXPECT_EQ(m.version, "v24.3.8");
    EXPECT_EQ(m.brokers, 1);
    EXPECT_EQ(m.topics, 0);
    EXPECT_EQ(m.free_space_alert, 0);
    EXPECT_EQ(m.unavailable_partitions, 0);
    EXPECT_GT(m.disk_total_bytes, m.disk_free_bytes);
    EXPECT_GT(m.disk_free_bytes, 0);
    EXPECT_GT(m.uptime_s, 0);
    EXPECT_EQ(m.produce_bytes, 0);
    EXPECT_EQ(m.consume_bytes, 0);
}

TEST(PublicMetrics, sums_produce_and_consume_over_topics_and_namespaces) {
    const std::string text =
        "redpanda_kafka_request_bytes_total{redpanda_namespace=\"kafka\",redpanda_request="
        "\"produce\",redpanda_topic=\"a\"} 100\n"
        "redpanda_kafka_request_bytes_total{redpanda_namespace=\"kafka\",redpanda_request="
        "\"produce\",redpanda_topic=\"b\"} 20\n"
        "redpanda_kafka_request_bytes_total{redpanda_namespace=\"redpanda\",redpanda_request="
        "\"produce\",redpanda_topic=\"controller\"} 3\n"
        "redpanda_kafka_request_bytes_total{redpanda_namespace=\"kafka\",redpanda_request="
        "\"consume\",redpanda_topic=\"a\"} 40\n"
        "redpanda_kafka_request_bytes_total{redpanda_namespace=\"kafka\",redpanda_request="
        "\"follower_consume\",redpanda_topic=\"a\"} 999\n"
        "redpanda_storage_disk_free_bytes{} 1000.000000\n"
        "redpanda_storage_disk_total_bytes{} 4000.000000\n"
        "redpanda_storage_disk_free_space_alert{} 1.000000\n"
        "redpanda_cluster_unavailable_partitions{} 2.000000\n"
        "redpanda_cluster_topics{} 2.000000\n";
    const BrokerMetrics m = read_public_metrics(text);
    EXPECT_EQ(m.problem, "");
    EXPECT_EQ(m.produce_bytes, 123);
    EXPECT_EQ(m.consume_bytes, 40);
    EXPECT_EQ(m.free_space_alert, 1);
    EXPECT_EQ(m.unavailable_partitions, 2);
    EXPECT_EQ(m.topics, 2);
    EXPECT_EQ(BrokerMetrics::from_json(m.to_json()).to_json(), m.to_json());
}

TEST(PublicMetrics, a_body_without_a_family_says_which) {
    EXPECT_EQ(read_public_metrics("redpanda_cluster_topics{} 0\n").problem,
              "redpanda_kafka_request_bytes_total missing from /public_metrics");
    EXPECT_EQ(read_public_metrics("<html>not metrics</html>").problem,
              "redpanda_kafka_request_bytes_total missing from /public_metrics");
}

TEST(RedpandaLog, quotes_the_newest_process_s_fatal_line) {
    const std::vector<std::string> lines = {
        "2026-11-27T10:00:00.1  INFO  2026-11-27 10:00:00,100 [shard 0:main] main - "
        "application.cc:400 - Redpanda v24.3.8 - 1f2a",
        "2026-11-27T10:00:00.2  ERROR 2026-11-27 10:00:00,200 [shard 0:main] main - "
        "application.cc:500 - Failure during startup: std::runtime_error (failed to lock "
        "pidfile. already locked)",
        "2026-11-27T10:00:01.1  INFO  2026-11-27 10:00:01,100 [shard 0:main] main - "
        "application.cc:400 - Redpanda v24.3.8 - 1f2a",
        "2026-11-27T10:00:01.2  INFO  2026-11-27 10:00:01,200 [shard 0:main] main - "
        "application.cc:600 - Successfully started Redpanda!"};
    EXPECT_EQ(newest_fatal_line(lines), "") << "the newest process has not failed";
    EXPECT_EQ(newest_fatal_line({lines[0], lines[1]}),
              "Failure during startup: std::runtime_error (failed to lock pidfile. already "
              "locked)");
    const std::vector<std::string> loop = {
        "ERROR 2026-11-27 10:00:00,200 [shard 0:main] main - application.cc:700 - Crash loop "
        "detected. Too many consecutive crashes 6, exceeded crash_loop_limit configured value "
        "5. To recover Redpanda from this state, manually remove file at path "
        "\"/d/startup_log\".",
        "ERROR 2026-11-27 10:00:00,201 [shard 0:main] main - application.cc:500 - Failure "
        "during startup: std::runtime_error (Crash loop detected, aborting startup.)"};
    EXPECT_EQ(
        newest_fatal_line(loop).rfind("Crash loop detected. Too many consecutive crashes 6", 0),
        0u);
    EXPECT_EQ(newest_fatal_line({"Could not initialize seastar: std::runtime_error "
                                 "(insufficient physical memory: needed 9 available 4)"}),
              "Could not initialize seastar: std::runtime_error (insufficient physical memory: "
              "needed 9 available 4)");
    const std::string hostile = newest_fatal_line(
        {std::string(5000, 'x') + "Failure during startup: \x01" + std::string(5000, 'y')});
    EXPECT_EQ(hostile.rfind("Failure during startup: ", 0), 0u);
    EXPECT_LT(hostile.size(), 420u);
    EXPECT_EQ(hostile.find('\x01'), std::string::npos);
}

TEST(ClusterSync, sends_only_the_difference_and_removes_only_what_it_set) {
    const json current = json::parse(data_file("cluster_config.json"));
    const json wanted = {{"log_retention_ms", 604800000},
                         {"auto_create_topics_enabled", true},
                         {"log_segment_ms", 3600000},
                         {"log_compression_type", "producer"}};
    const ClusterDiff d = diff_cluster(
        wanted, current, {"retention_bytes", "log_segment_ms", "default_topic_partitions"});
    EXPECT_EQ(d.upsert, json({{"log_segment_ms", 3600000}}));
    EXPECT_EQ(d.remove, (std::vector<std::string>{"default_topic_partitions", "retention_bytes"}));
    EXPECT_EQ(d.body(), R"({"remove":["default_topic_partitions","retention_bytes"],)"
                        R"("upsert":{"log_segment_ms":3600000}})");
    EXPECT_EQ(d.summary(), "log_segment_ms; removing default_topic_partitions, retention_bytes");
    const ClusterDiff secret = diff_cluster({{"cloud_storage_secret_key", "s3cr3t"}},
                                            {{"cloud_storage_secret_key", "[secret]"}}, {});
    EXPECT_EQ(secret.hidden, (std::vector<std::string>{"cloud_storage_secret_key"}));
    const ClusterDiff none = diff_cluster(json::object(), current, {});
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(none.body(), R"({"remove":[],"upsert":{}})");
    EXPECT_TRUE(same_value(json(1.0), json(1)));
    EXPECT_FALSE(same_value(json("1"), json(1)));
    EXPECT_EQ(wanted_fingerprint(wanted), wanted_fingerprint(json::parse(wanted.dump())));
    EXPECT_NE(wanted_fingerprint(wanted), wanted_fingerprint(json::object()));
}

TEST(ClusterSync, reads_redpanda_s_answers) {
    EXPECT_EQ(read_put_answer(200, R"({"config_version": 3})").version, 3);
    EXPECT_EQ(read_put_answer(200, R"({"config_version":4})").version, 4);
    const PutAnswer refused = read_put_answer(
        400, R"({"log_segment_ms":"too small, must be at least 60000","foo":"Unknown property"})");
    EXPECT_EQ(refused.version, -1);
    EXPECT_EQ(refused.refused,
              "foo: Unknown property; log_segment_ms: too small, must be at least 60000");
    const PutAnswer unread =
        read_put_answer(400, R"({"message": "JSON parse error: 3", "code": 400})");
    EXPECT_EQ(unread.refused, "") << "the worker's request, not the config, was wrong";
    EXPECT_EQ(unread.error, "Redpanda could not read the request: JSON parse error: 3");
    EXPECT_EQ(read_put_answer(504, "Timeout").error,
              "PUT /v1/cluster_config answered HTTP 504: Timeout");
    EXPECT_EQ(read_put_answer(200, "ok").error,
              "PUT /v1/cluster_config answered 200 without a config_version: ok");

    const ConfigStatus s = read_config_status(
        R"([{"node_id":0,"restart":true,"config_version":5,"invalid":["a"],"unknown":[]}])");
    EXPECT_EQ(s.error, "");
    EXPECT_EQ(s.version, 5);
    EXPECT_TRUE(s.restart);
    EXPECT_EQ(s.invalid, (std::vector<std::string>{"a"}));
    const ConfigStatus three = read_config_status(
        R"([{"node_id":1,"restart":false,"config_version":2,"invalid":[],"unknown":[]},)"
        R"({"node_id":2,"restart":false,"config_version":1,"invalid":[],"unknown":[]}])");
    EXPECT_EQ(three.version, 1);
    EXPECT_FALSE(three.restart);
    EXPECT_NE(read_config_status("[]").error, "");
    EXPECT_NE(read_config_status("{\"message\": \"Not found\", \"code\": 404}").error, "");
}

}  // namespace
}  // namespace redpanda_plugin
