// SPDX-License-Identifier: Apache-2.0
// redpanda_worker_test.cpp — the `redpanda` worker through the SDK's fake
// host: Redpanda's admin API answered by an in-memory broker (FakeBroker),
// s6 in memory, the data directory in a temp dir. FakeWorker::step() is
// one supervisor tick.
#include "data_dir.hpp"
#include "test_data.hpp"

#include <warden/plugin.h>
#include <warden/testing/fake_worker.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {

using nlohmann::json;
using redpanda_plugin::data_file;
using warden::HttpRequest;
using warden::HttpResponse;
using warden::testing::FakeHost;
using warden::testing::FakeWorker;

constexpr int64_t kSecond = 1'000'000'000;
constexpr uint32_t kAdmin = 19644;
constexpr const char *kService = "redpanda-broker";

// Redpanda's admin API as one broker answers it, in memory: readiness, the
// cluster config with versions, validation and the restart flag, and
// /public_metrics with counters the test moves.
class FakeBroker {
public:
    explicit FakeBroker(FakeHost &host) : host_(host), defaults_(json::parse(data_file(kConfig))) {
        values = defaults_;
        serve();
    }

    void serve() {
        host_.on_http(kAdmin, "/v1/status/ready", [this](const HttpRequest &) {
            return HttpResponse{200, ready ? R"({"status":"ready"})" : R"({"status":"booting"})"};
        });
        host_.on_http(kAdmin, "/public_metrics", [this](const HttpRequest &) {
            return HttpResponse{200, metrics()};
        });
        host_.on_http(kAdmin, "/v1/cluster_config/status", [this](const HttpRequest &) {
            // A process restarted since a change that needed it needs none.
            if (restart && !keep_restart && pid() != restart_pid_) restart = false;
            return HttpResponse{200, json::array({{{"node_id", 0},
                                                   {"restart", restart},
                                                   {"config_version", version},
                                                   {"invalid", json::array()},
                                                   {"unknown", json::array()}}})
                                         .dump()};
        });
        host_.on_http(kAdmin, "/v1/cluster_config",
                      [this](const HttpRequest &r) { return cluster_config(r); });
    }

    bool ready = true;
    json values;
    int64_t version = 1;
    bool restart = false;
    bool keep_restart = false;  // asks for a restart whatever restarted
    double produced = 0;
    double consumed = 0;
    int alert = 0;
    std::vector<std::string> puts;  // each PUT's body
    bool apply_later = false;       // a PUT's version shows only after apply()

    void apply() { version = pending_version_; }

    // A new data directory: a broker with a config history of its own.
    void wiped() {
        values = defaults_;
        version = pending_version_ = 1;
    }

private:
    static constexpr const char *kConfig = "cluster_config.json";

    HttpResponse cluster_config(const HttpRequest &r) {
        if (r.method == "GET") return HttpResponse{200, values.dump()};
        puts.push_back(r.body);
        const json body = json::parse(r.body);
        json errors = json::object();
        for (const auto &[name, value] : body.at("upsert").items()) {
            if (!defaults_.contains(name)) errors[name] = "Unknown property";
            if (name == "log_segment_ms" && value.get<int64_t>() < 60000)
                errors[name] = "too small, must be at least 60000";
        }
        if (!errors.empty()) return HttpResponse{400, errors.dump()};
        bool changed = false;
        for (const auto &[name, value] : body.at("upsert").items()) {
            changed = changed || values[name] != value;
            // Redpanda keeps a cleanup policy in its own order.
            values[name] = name == "log_cleanup_policy" && value == "delete,compact"
                               ? json("compact,delete")
                               : value;
            if (name == "enable_pid_file") {
                restart = true;
                restart_pid_ = pid();
            }
        }
        for (const json &name : body.at("remove")) {
            values[name.get<std::string>()] = defaults_[name.get<std::string>()];
            changed = true;
        }
        const int64_t answer = changed ? ++pending_version_ : pending_version_;
        if (!apply_later) version = pending_version_;
        return HttpResponse{200, "{\"config_version\": " + std::to_string(answer) + "}"};
    }

    std::string metrics() const {
        const auto line = [](const std::string &name, double value) {
            return name + "{} " + std::to_string(value) + "\n";
        };
        return "redpanda_kafka_request_bytes_total{redpanda_namespace=\"kafka\",redpanda_request="
               "\"produce\",redpanda_topic=\"t\"} " +
               std::to_string(static_cast<int64_t>(produced)) +
               "\nredpanda_kafka_request_bytes_total{redpanda_namespace=\"kafka\","
               "redpanda_request=\"consume\",redpanda_topic=\"t\"} " +
               std::to_string(static_cast<int64_t>(consumed)) + "\n" +
               line("redpanda_storage_disk_free_bytes", 1024.0 * 1024 * 1024) +
               line("redpanda_storage_disk_total_bytes", 8.0 * 1024 * 1024 * 1024) +
               line("redpanda_storage_disk_free_space_alert", alert) +
               line("redpanda_cluster_unavailable_partitions", 0) +
               line("redpanda_cluster_topics", 1) + line("redpanda_cluster_brokers", 1) +
               "redpanda_application_build{redpanda_revision=\"abc\",redpanda_version=\"v24.3.8\"}"
               " 1\n";
    }

    int64_t pid() const {
        return host_.has_service(kService) ? host_.service(kService).status.pid : 0;
    }

    FakeHost &host_;
    json defaults_;
    int64_t pending_version_ = 1;
    int64_t restart_pid_ = 0;
};

class RedpandaWorkerTest : public ::testing::Test {
protected:
    void SetUp() override {
        type_ = host_.worker_type("redpanda");
        char dir[] = "/tmp/redpanda-worker-test-XXXXXX";
        ASSERT_NE(::mkdtemp(dir), nullptr);
        temp_ = dir;
        data_dir_ = temp_ + "/data/broker";
    }
    void TearDown() override { std::filesystem::remove_all(temp_); }

    std::string config(const std::string &cluster = "{}", const std::string &more = "") const {
        return R"({"binary":"/opt/redpanda/bin/redpanda","data_dir":")" + data_dir_ +
               R"(","kafka_port":19092,"admin_port":19644,"rpc_port":33145,"memory":"1536M",)" +
               more + R"("cluster":)" + cluster + "}";
    }

    // Steps once a second until the worker is in `state` and stays.
    void settle(FakeWorker &worker, const std::string &state, int max_steps = 40) {
        if (!worker.settle(state, max_steps, kSecond))
            FAIL() << "worker did not settle in " << state << "; it is in " << worker.state()
                   << ": " << worker.step().reason;
    }

    std::string reason(FakeWorker &worker) { return worker.step().reason; }
    int64_t pid() { return host_.service(kService).status.pid; }
    int restarts() {
        int n = 0;
        for (const auto &command : host_.service(kService).commands)
            n += command.first == warden::ServiceCommand::restart;
        return n;
    }

    FakeHost host_;
    const warden_plugin *plugin_ = host_.load(&warden_plugin_entry);
    const warden_worker_type *type_ = nullptr;
    FakeBroker broker_{host_};
    std::string temp_;
    std::string data_dir_;
};

TEST_F(RedpandaWorkerTest, describes_itself) {
    EXPECT_EQ(warden::view(plugin_->name), "redpanda");
    EXPECT_EQ(plugin_->min_host_minor, 3u);
    EXPECT_EQ(warden::view(type_->initial_state), "stopped");
    EXPECT_EQ(type_->state_count, 6u);
    EXPECT_EQ(type_->action_count, 7u);
    EXPECT_NE(type_->check_config, nullptr);
}

TEST_F(RedpandaWorkerTest, deploys_into_a_new_data_dir_then_runs_idle_and_active) {
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    struct stat st {};
    ASSERT_EQ(::stat(data_dir_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0750u);
    const auto service = host_.service(kService);
    EXPECT_EQ(service.spec.argv,
              (std::vector<std::string>{"/opt/redpanda/bin/redpanda", "--redpanda-cfg",
                                        "data/redpanda.yaml", "--smp", "1", "--memory", "1536M",
                                        "--overprovisioned"}));
    EXPECT_NE(service.spec.files[0].content.find("\"port\": 19644"), std::string::npos);
    const std::string why = reason(worker);
    EXPECT_NE(why.find("; Redpanda v24.3.8; 1 topic; produce 0 B/s, consume 0 B/s"),
              std::string::npos)
        << why;
    EXPECT_NE(why.find("; cluster config version 1"), std::string::npos) << why;
    EXPECT_TRUE(broker_.puts.empty()) << "nothing to change, nothing sent";

    broker_.produced = 4096;
    settle(worker, "active");
    EXPECT_NE(reason(worker).find("produce "), std::string::npos);
}

// ---- the figures it publishes (ABI 1.5) -------------------------------------------

TEST_F(RedpandaWorkerTest, publishes_the_bytes_its_broker_moved_and_its_disk_and_partitions) {
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    broker_.produced = 4096;
    broker_.consumed = 1024;
    worker.step();
    const auto figure = [&](const char *name) {
        const auto f = host_.figure("redpanda", "broker", name);
        EXPECT_TRUE(f.has_value()) << name;
        return f.value_or(warden::testing::PublishedFigure{});
    };
    EXPECT_EQ(figure("produced_bytes_total").value, 4096);
    EXPECT_EQ(figure("produced_bytes_total").kind, warden::FigureKind::counter);
    EXPECT_EQ(figure("consumed_bytes_total").value, 1024);
    EXPECT_EQ(figure("disk_free_bytes").value, 1024.0 * 1024 * 1024);
    EXPECT_EQ(figure("disk_free_bytes").kind, warden::FigureKind::gauge);
    EXPECT_EQ(figure("topics").value, 1);
    EXPECT_EQ(figure("unavailable_partitions").value, 0);
    EXPECT_EQ(host_.figures().size(), 5u);
    EXPECT_EQ(figure("produced_bytes_total").help,
              "Bytes the broker's Kafka API took in produce requests since its process started "
              "(redpanda_kafka_request_bytes_total, produce).");

    // A body without the families it reads changes none of them.
    host_.serve_http(kAdmin, "/public_metrics", HttpResponse{200, "redpanda_cluster_topics{} 7\n"});
    worker.step();
    EXPECT_EQ(figure("topics").value, 1);
    EXPECT_FALSE(host_.logged("figure", warden::Level::warn));
}

TEST_F(RedpandaWorkerTest, publishes_no_figures_to_a_host_older_than_1_5) {
    host_.speak_abi_minor(4);
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    EXPECT_TRUE(host_.figures().empty());
    EXPECT_FALSE(host_.logged("figure", warden::Level::warn));
}

TEST_F(RedpandaWorkerTest, booting_is_not_ready_and_the_start_deadline_makes_it_degraded) {
    broker_.ready = false;
    FakeWorker worker(host_, type_, "broker", config("{}", R"("start_timeout_ms":10000,)"));
    for (int i = 0; i < 6; ++i) {
        worker.step();
        host_.advance(kSecond);
    }
    EXPECT_EQ(worker.state(), "starting");
    EXPECT_NE(reason(worker).find("not ready: Redpanda says it is booting"), std::string::npos);
    settle(worker, "degraded");
    EXPECT_NE(reason(worker).find("not ready: Redpanda says it is booting"), std::string::npos);
    broker_.ready = true;
    settle(worker, "idle");
}

TEST_F(RedpandaWorkerTest, cluster_properties_go_through_the_admin_api_with_the_same_process) {
    FakeWorker worker(host_, type_, "broker",
                      config(R"({"log_retention_ms":1000000,"default_topic_partitions":3})"));
    settle(worker, "idle");
    ASSERT_EQ(broker_.puts.size(), 1u);
    EXPECT_EQ(json::parse(broker_.puts[0]),
              json::parse(R"({"upsert":{"log_retention_ms":1000000,)"
                          R"("default_topic_partitions":3},"remove":[]})"));
    EXPECT_EQ(broker_.values["log_retention_ms"], 1000000);
    EXPECT_NE(reason(worker).find("cluster config version 2"), std::string::npos);
    const int64_t first = pid();

    // A changed value and a property dropped from the YAML: only those sent.
    worker.set_config(config(R"({"log_retention_ms":2000000})"));
    settle(worker, "idle");
    ASSERT_EQ(broker_.puts.size(), 2u);
    EXPECT_EQ(json::parse(broker_.puts[1]),
              json::parse(R"({"upsert":{"log_retention_ms":2000000},)"
                          R"("remove":["default_topic_partitions"]})"));
    EXPECT_EQ(broker_.values["default_topic_partitions"], 1);
    EXPECT_EQ(pid(), first) << "cluster properties never restart the broker";
    EXPECT_EQ(host_.service(kService).updates, 0);
    EXPECT_NE(reason(worker).find("cluster config version 3"), std::string::npos);

    // What the worker set is kept beside the broker's data, for a host restart.
    std::ifstream record(redpanda_plugin::managed_properties_file(data_dir_));
    EXPECT_EQ(json::parse(record), json::parse(R"({"kept":["log_retention_ms"]})"));
}

TEST_F(RedpandaWorkerTest, waits_for_the_broker_to_show_the_version_sent) {
    broker_.apply_later = true;
    FakeWorker worker(host_, type_, "broker", config(R"({"log_retention_ms":1000000})"));
    for (int i = 0; i < 15; ++i) {
        worker.step();
        host_.advance(kSecond);
    }
    ASSERT_EQ(broker_.puts.size(), 1u) << "sent once, not again while the broker applies it";
    EXPECT_EQ(reason(worker),
              "cluster config version 2 sent; waiting for the broker to apply it (it shows "
              "version 1)");
    broker_.apply();
    settle(worker, "idle");
    EXPECT_EQ(broker_.puts.size(), 1u);
}

TEST_F(RedpandaWorkerTest, a_connection_refused_is_not_success) {
    FakeWorker worker(host_, type_, "broker", config(R"({"log_retention_ms":1000000})"));
    host_.on_http(kAdmin, "/v1/cluster_config", [](const HttpRequest &r) -> HttpResponse {
        if (r.method == "PUT")
            throw warden::Error(WARDEN_ERR_NOT_FOUND, "connection refused by 127.0.0.1:19644");
        return HttpResponse{200, data_file("cluster_config.json")};
    });
    for (int i = 0; i < 20; ++i) {
        worker.step();
        host_.advance(kSecond);
    }
    EXPECT_NE(worker.state(), "idle");
    const auto result = worker.step();
    EXPECT_EQ(result.action, "configure_cluster");
    EXPECT_NE(result.reason.find("sending the cluster config again: "), std::string::npos)
        << result.reason;
    EXPECT_NE(result.reason.find("connection refused"), std::string::npos) << result.reason;
    broker_.serve();
    settle(worker, "idle");
    EXPECT_EQ(broker_.values["log_retention_ms"], 1000000);
}

TEST_F(RedpandaWorkerTest, a_property_redpanda_refuses_degrades_with_its_message) {
    FakeWorker worker(host_, type_, "broker", config(R"({"log_retention_ms":1000000})"));
    settle(worker, "idle");
    const int64_t first = pid();
    // Within the worker's table (no bound known for it), refused by the broker.
    host_.on_http(kAdmin, "/v1/cluster_config", [this](const HttpRequest &r) -> HttpResponse {
        if (r.method == "PUT") {
            broker_.puts.push_back(r.body);
            return HttpResponse{400, R"({"log_retention_ms":"too large, must be at most 99"})"};
        }
        return HttpResponse{200, broker_.values.dump()};
    });
    worker.set_config(config(R"({"log_retention_ms":5000000,"default_topic_partitions":3})"));
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker),
              "Redpanda refused the cluster config: log_retention_ms: too large, must be at most "
              "99; nothing of that change was applied and the broker keeps cluster config "
              "version 2; "
              "fix `cluster:` in the worker's config");
    EXPECT_EQ(broker_.puts.size(), 2u) << "a refusal is not sent again";
    EXPECT_EQ(broker_.values["log_retention_ms"], 1000000);
    EXPECT_EQ(broker_.values["default_topic_partitions"], 1);
    EXPECT_EQ(pid(), first);

    broker_.serve();
    worker.set_config(config(R"({"log_retention_ms":3000000})"));
    settle(worker, "idle");
    EXPECT_EQ(broker_.values["log_retention_ms"], 3000000);
}

TEST_F(RedpandaWorkerTest, a_refusal_while_starting_is_degraded_and_not_sent_again) {
    FakeWorker worker(host_, type_, "broker", config(R"({"log_segment_ms":3600000})"));
    host_.on_http(kAdmin, "/v1/cluster_config", [this](const HttpRequest &r) -> HttpResponse {
        if (r.method == "PUT") {
            broker_.puts.push_back(r.body);
            return HttpResponse{400, R"({"log_segment_ms":"too large, must be at most 99"})"};
        }
        return HttpResponse{200, broker_.values.dump()};
    });
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker).rfind("Redpanda refused the cluster config: log_segment_ms: ", 0), 0u);
    for (int i = 0; i < 10; ++i) {
        worker.step();
        host_.advance(kSecond);
    }
    EXPECT_EQ(broker_.puts.size(), 1u);
    EXPECT_EQ(worker.state(), "degraded");
}

TEST_F(RedpandaWorkerTest, a_change_redpanda_says_needs_a_restart_restarts_it_in_place) {
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    const int64_t first = pid();
    worker.set_config(config(R"({"enable_pid_file":false,"log_retention_ms":1000000})"));
    bool restarted = false;
    for (int i = 0; i < 30 && !restarted; ++i) {
        const auto result = worker.step();
        if (result.action == "restart_for_config") {
            restarted = true;
            EXPECT_EQ(result.reason,
                      "cluster config version 2 changed a property that needs a restart; "
                      "restarting the broker in place");
        }
        host_.advance(kSecond);
    }
    ASSERT_TRUE(restarted);
    EXPECT_NE(pid(), first);
    EXPECT_EQ(host_.service(kService).updates, 0) << "the same service, restarted in place";
    const auto back = worker.step();
    EXPECT_EQ(back.state, "starting");
    settle(worker, "idle");
    EXPECT_EQ(restarts(), 1) << "restarted once";
}

TEST_F(RedpandaWorkerTest, a_broker_that_still_asks_for_a_restart_is_restarted_once) {
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    worker.set_config(config(R"({"enable_pid_file":false})"));
    settle(worker, "idle", 60);
    // This broker says so again after its restart (as a cluster of several may).
    broker_.restart = true;
    broker_.keep_restart = true;
    for (int i = 0; i < 20; ++i) {
        worker.step();
        host_.advance(kSecond);
    }
    EXPECT_EQ(restarts(), 1);
    EXPECT_EQ(worker.state(), "idle");
    EXPECT_NE(reason(worker).find("; a cluster property waits for a restart"), std::string::npos);
}

TEST_F(RedpandaWorkerTest, a_new_data_dir_s_broker_gets_the_cluster_config_again) {
    FakeWorker worker(host_, type_, "broker", config(R"({"log_retention_ms":1000000})"));
    settle(worker, "idle");
    ASSERT_EQ(broker_.puts.size(), 1u);
    // The broker comes back with a fresh data directory: version 1, defaults.
    broker_.wiped();
    host_.crash_service(kService, 1);
    host_.revive_service(kService);
    settle(worker, "idle");
    EXPECT_EQ(broker_.puts.size(), 2u) << "sent again to the new process";
    EXPECT_EQ(broker_.values["log_retention_ms"], 1000000);
}

TEST_F(RedpandaWorkerTest, a_value_redpanda_keeps_in_its_own_form_is_named_not_resent) {
    FakeWorker worker(host_, type_, "broker", config(R"({"log_cleanup_policy":"delete,compact"})"));
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker),
              "Redpanda accepted cluster config version 2 but shows other values for "
              "log_cleanup_policy; it keeps some values in a form of its own (a list as a set, a "
              "policy reordered): write them in `cluster:` as GET /v1/cluster_config shows them");
    for (int i = 0; i < 10; ++i) {
        worker.step();
        host_.advance(kSecond);
    }
    EXPECT_EQ(broker_.puts.size(), 1u);
    worker.set_config(config(R"({"log_cleanup_policy":"compact,delete"})"));
    settle(worker, "idle");
    EXPECT_EQ(broker_.puts.size(), 1u) << "as the broker shows it: nothing to send";
}

TEST_F(RedpandaWorkerTest, a_property_that_already_matched_is_kept_and_removed_when_dropped) {
    broker_.values["log_retention_ms"] = 1000000;  // set by other means, before the worker
    FakeWorker worker(host_, type_, "broker", config(R"({"log_retention_ms":1000000})"));
    settle(worker, "idle");
    EXPECT_TRUE(broker_.puts.empty());
    std::ifstream record(redpanda_plugin::managed_properties_file(data_dir_));
    EXPECT_EQ(json::parse(record), json::parse(R"({"kept":["log_retention_ms"]})"));
    worker.set_config(config());
    settle(worker, "idle");
    ASSERT_EQ(broker_.puts.size(), 1u);
    EXPECT_EQ(json::parse(broker_.puts[0]),
              json::parse(R"({"upsert":{},"remove":["log_retention_ms"]})"));
}

TEST_F(RedpandaWorkerTest, a_cluster_config_that_cannot_be_sent_is_degraded_at_the_start_deadline) {
    host_.on_http(kAdmin, "/v1/cluster_config", [](const HttpRequest &r) -> HttpResponse {
        if (r.method == "PUT") return HttpResponse{504, "Timeout: controller write"};
        return HttpResponse{200, data_file("cluster_config.json")};
    });
    FakeWorker worker(host_, type_, "broker",
                      config(R"({"log_retention_ms":1000000})", R"("start_timeout_ms":10000,)"));
    // Degraded tries again (after the host's growing delay), so it never settles.
    std::string why;
    for (int i = 0; i < 20 && worker.state() != "degraded"; ++i) {
        why = worker.step().reason;
        host_.advance(kSecond);
    }
    ASSERT_EQ(worker.state(), "degraded");
    EXPECT_NE(why.find(" (past the start deadline)"), std::string::npos) << why;
    EXPECT_NE(why.find("PUT /v1/cluster_config answered HTTP 504: Timeout: controller write"),
              std::string::npos)
        << why;
    broker_.serve();
    settle(worker, "idle");
}

TEST_F(RedpandaWorkerTest, metrics_it_cannot_read_are_degraded_and_a_blip_is_not) {
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    host_.serve_http(kAdmin, "/public_metrics", HttpResponse{200, "redpanda_cluster_topics{} 1\n"});
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker),
              "/public_metrics is not what a broker serves (redpanda_kafka_request_bytes_total "
              "missing from /public_metrics), so the broker's disk space and partitions cannot be "
              "judged");
    broker_.serve();
    settle(worker, "idle");
    // A settled broker's config status is read every 10 s; two unanswered
    // reads in a row are a blip, three a reason.
    host_.advance(10 * kSecond);
    host_.http_timeout(kAdmin, "/v1/cluster_config/status");
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(worker.step().state, "");
        host_.advance(kSecond);
    }
    EXPECT_EQ(worker.state(), "idle");
    const auto third = worker.step();
    EXPECT_EQ(third.state, "degraded");
    EXPECT_EQ(third.reason.rfind("cannot read the cluster config: ", 0), 0u) << third.reason;
    EXPECT_NE(third.reason.find("; check the broker's log and its admin API"), std::string::npos);
    broker_.serve();
    settle(worker, "idle");
}

TEST_F(RedpandaWorkerTest, a_storage_alert_is_degraded_with_the_free_bytes) {
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    broker_.alert = 2;
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker).rfind("storage space alert (degraded: producing is refused): 1.0 GiB "
                                   "free of 8.0 GiB; free disk space",
                                   0),
              0u);
    broker_.alert = 0;
    settle(worker, "idle");
}

TEST_F(RedpandaWorkerTest, a_dying_broker_is_degraded_with_redpanda_s_fatal_line) {
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    host_.set_log(kService,
                  {"2026-11-27T10:00:00.1  ERROR 2026-11-27 10:00:00,200 [shard 0:main] main - "
                   "application.cc:500 - Failure during startup: std::runtime_error (vectorized "
                   "internal rpc protocol - Error attempting to listen on "
                   "{://127.0.0.1:33145:PLAINTEXT}: std::__1::system_error (error system:98, "
                   "posix_listen failed for address 127.0.0.1:33145: Address already in use))"});
    host_.crash_service(kService, 1);
    settle(worker, "degraded");
    const std::string why = reason(worker);
    EXPECT_EQ(why.rfind("broker exited with code 1; ", 0), 0u) << why;
    EXPECT_NE(why.find(": Failure during startup: std::runtime_error (vectorized internal rpc "
                       "protocol - Error attempting to listen"),
              std::string::npos)
        << why;
}

TEST_F(RedpandaWorkerTest, a_data_dir_another_process_holds_is_a_reason_not_a_deploy) {
    std::filesystem::create_directories(data_dir_);
    const int fd = ::open((data_dir_ + "/pid.lock").c_str(), O_RDWR | O_CREAT, 0644);
    ASSERT_GE(fd, 0);
    // The lock must belong to another process: a child holds it, killed and
    // reaped by pid however the test ends.
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t holder = ::fork();
    struct Reaper {
        pid_t pid;
        ~Reaper() {
            if (pid > 0 && ::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
        }
    } reaper{holder};
    if (holder == 0) {
        struct flock lock {};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        ::fcntl(fd, F_SETLK, &lock);
        char c = 1;
        if (::write(ready[1], &c, 1) != 1) ::_exit(1);
        ::pause();
        ::_exit(0);
    }
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    FakeWorker worker(host_, type_, "broker", config());
    for (int i = 0; i < 5; ++i) {
        worker.step();
        host_.advance(kSecond);
    }
    const std::string why = reason(worker);
    EXPECT_EQ(why, "cannot deploy: data directory " + data_dir_ + " is held by process " +
                       std::to_string(holder) +
                       " (its pid.lock): another Redpanda runs on it; stop that process or give "
                       "this worker a data_dir of its own");
    EXPECT_FALSE(host_.has_service(kService));
    ::kill(holder, SIGKILL);
    ::waitpid(holder, nullptr, 0);
    reaper.pid = 0;
    ::close(fd);
    settle(worker, "idle");
}

TEST(DataDir, the_lock_of_a_process_in_the_service_s_session_is_its_own) {
    // As s6-supervise starts a service: a session leader (the service's pid),
    // whose binary forks the process that takes the lock. The session is made
    // here, not taken from the test's own, which may lead none (getsid gives 0
    // when the leader is outside the test's pid namespace).
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t leader = ::fork();
    ASSERT_GE(leader, 0);
    if (leader == 0) {
        ::setsid();
        const pid_t forked = ::fork();
        if (forked == 0) {
            ::pause();
            ::_exit(0);
        }
        if (::write(ready[1], &forked, sizeof forked) != sizeof forked) ::_exit(1);
        ::pause();
        ::_exit(0);
    }
    struct Reaper {
        pid_t leader;
        ~Reaper() {
            ::kill(-leader, SIGKILL);  // the session's process group: both
            ::waitpid(leader, nullptr, 0);
        }
    } reaper{leader};
    pid_t forked = 0;
    ASSERT_EQ(::read(ready[0], &forked, sizeof forked), static_cast<ssize_t>(sizeof forked));
    ::close(ready[0]);
    ::close(ready[1]);

    EXPECT_TRUE(redpanda_plugin::held_by_service(leader, leader));
    EXPECT_TRUE(redpanda_plugin::held_by_service(forked, leader))
        << "a process of the service's session, as when binary forks";
    EXPECT_FALSE(redpanda_plugin::held_by_service(forked, ::getpid())) << "another session";
    EXPECT_FALSE(redpanda_plugin::held_by_service(::getpid(), leader));
    EXPECT_FALSE(redpanda_plugin::held_by_service(0, leader));
    EXPECT_FALSE(redpanda_plugin::held_by_service(forked, 0));
}

TEST_F(RedpandaWorkerTest, a_port_another_worker_holds_is_named) {
    host_.hold_port("benthos", "other", "http", 19092);
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "starting");
    const std::string why = reason(worker);
    EXPECT_NE(why.find("cannot deploy: "), std::string::npos) << why;
    EXPECT_NE(why.find("port 19092 is reserved by worker benthos/other"), std::string::npos) << why;
    EXPECT_FALSE(host_.has_service(kService));
}

TEST_F(RedpandaWorkerTest, check_config_reserves_the_ports_and_wants_the_binary) {
    FakeWorker missing(host_, type_, "broker", config());
    const auto result = missing.check_config();
    EXPECT_EQ(result.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(result.error,
              "binary: /opt/redpanda/bin/redpanda is not an executable file (install Redpanda, "
              "or set `binary` to where its redpanda is)");
    FakeWorker present(host_, type_, "broker2",
                       R"({"binary":"/bin/true","kafka_port":29092,"admin_port":29644})");
    EXPECT_TRUE(present.check_config().ok()) << present.check_config().error;
    host_.hold_port("benthos", "other", "http", 29092);
    EXPECT_NE(present.check_config().error.find("port 29092 is reserved by worker benthos/other"),
              std::string::npos);
}

// `user` and `group`: the broker runs as them, and the data directory the
// worker makes is theirs to write. The fake host plays root: the worker
// chowns for real, which needs root.
TEST_F(RedpandaWorkerTest, a_data_dir_it_makes_is_given_to_the_user_the_broker_runs_as) {
    if (::geteuid() != 0) GTEST_SKIP() << "giving a directory to another user needs root";
    FakeWorker worker(host_, type_, "broker",
                      config("{}", R"("user":"nobody","group":"nogroup",)"));
    settle(worker, "idle");
    EXPECT_EQ(host_.service(kService).spec.user, "nobody");
    EXPECT_EQ(host_.service(kService).spec.group, "nogroup");
    struct stat st {};
    ASSERT_EQ(::stat(data_dir_.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_gid, 65534u);
    EXPECT_EQ(st.st_mode & 07777, 0750u);
    struct stat parent {};
    ASSERT_EQ(::stat((temp_ + "/data").c_str(), &parent), 0);
    EXPECT_EQ(parent.st_uid, ::geteuid()) << "only the data directory itself is given";
    EXPECT_TRUE(host_.logged("made data directory " + data_dir_ + " for uid 65534 and gid 65534"));
}

TEST_F(RedpandaWorkerTest, an_account_the_host_refuses_makes_no_data_dir) {
    FakeWorker worker(host_, type_, "broker", config("{}", R"("user":"ghost",)"));
    ASSERT_TRUE(worker.derive().ok());
    const auto deployed = worker.execute("deploy");
    EXPECT_EQ(deployed.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(deployed.error, "user 'ghost' does not exist on this machine");
    EXPECT_FALSE(std::filesystem::exists(data_dir_));
    EXPECT_EQ(worker.check_config().error, "user 'ghost' does not exist on this machine");
}

// A data directory that is there already is never changed: a broker that
// runs as a user who does not own it is warned about.
TEST_F(RedpandaWorkerTest, a_data_dir_it_did_not_make_is_left_as_it_is_with_a_word) {
    std::filesystem::create_directories(data_dir_);
    struct stat before {};
    ASSERT_EQ(::stat(data_dir_.c_str(), &before), 0);
    ASSERT_NE(before.st_uid, 65534u);
    FakeWorker worker(host_, type_, "broker", config("{}", R"("user":"nobody",)"));
    settle(worker, "idle");
    EXPECT_EQ(host_.service(kService).spec.user, "nobody");
    struct stat after {};
    ASSERT_EQ(::stat(data_dir_.c_str(), &after), 0);
    EXPECT_EQ(after.st_uid, before.st_uid);
    EXPECT_TRUE(host_.logged("data directory " + data_dir_ + " is owned by uid " +
                                 std::to_string(before.st_uid) +
                                 ", and the broker runs as uid 65534: it may be unable to write "
                                 "there; chown it to the broker's user, or remove it for the "
                                 "worker to make it again",
                             warden::Level::warn));
}

TEST_F(RedpandaWorkerTest, stops_and_removes_its_service_on_shutdown_keeping_the_data) {
    FakeWorker worker(host_, type_, "broker", config());
    settle(worker, "idle");
    worker.request_shutdown();
    for (int i = 0; i < 20 && worker.step().signal != warden::Signal::needs_removal; ++i)
        host_.advance(kSecond);
    EXPECT_EQ(worker.state(), "stopped");
    EXPECT_FALSE(host_.has_service(kService));
    EXPECT_TRUE(std::filesystem::is_directory(data_dir_));
}

}  // namespace
