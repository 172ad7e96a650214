// SPDX-License-Identifier: Apache-2.0
// tests/integration/redpanda_test.cpp — the `redpanda` worker end to end: the
// real `warden` binary on a real s6-svscan, the plugin loaded from its .so,
// the Redpanda stand-in (tests/fixtures/redpanda_fixture) as the broker,
// and Debian's kcat as a real Kafka client. The assertions are what a user
// sees: the host's state-change lines with their reasons, `--status`,
// `--check-config`'s words, pids and log files.
#include "host_run.hpp"
#include "loopback.hpp"

#include <httplib.h>
#include <signal.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace warden::host {
namespace {

namespace fs = std::filesystem;
using warden::test::free_port;
using warden::test::Listener;
using warden::test::read_file;

// One broker's config; each gets ports of its own from the kernel, so tests
// running at the same time never meet on one.
struct Broker {
    std::string name = "broker";
    uint16_t kafka = free_port();
    uint16_t admin = free_port();
    uint16_t rpc = free_port();
    std::string memory = "1536M";
    std::string extra;    // more config lines, each "      key: value\n"
    std::string cluster;  // the `cluster:` mapping's lines, each "        key: value\n"
};

class RedpandaRun : public HostRun {
protected:
    void SetUp() override {
        HostRun::SetUp();
        plugins_.add(paths::redpanda_plugin);
    }

    fs::path data_dir(const Broker &b) const { return dir_ / "data" / b.name; }

    std::string worker(const Broker &b, const std::string &desired = "running") const {
        return "  - type: redpanda\n    name: " + b.name + "\n    desired_state: " + desired +
               "\n    config:\n      binary: " + paths::redpanda_fixture +
               "\n      data_dir: " + data_dir(b).string() +
               "\n      kafka_port: " + std::to_string(b.kafka) +
               "\n      admin_port: " + std::to_string(b.admin) +
               "\n      rpc_port: " + std::to_string(b.rpc) + "\n      memory: " + b.memory +
               "\n      activity_window_ms: 5000\n" + b.extra +
               (b.cluster.empty() ? "" : "      cluster:\n" + b.cluster);
    }

    // The stand-in's knobs (its README), written before it starts.
    void knobs(const Broker &b, const std::string &yaml) {
        fs::create_directories(data_dir(b));
        write_file(data_dir(b) / "standin.yaml", yaml);
    }

    // The host's line for the newest change matching `change`.
    static std::string line_of(const BackgroundProcess &host, const std::string &change) {
        return warden::test::last_line_from(host.err(), change);
    }

    std::string status() const {
        return run_process({paths::warden_binary, "--config", config_file(), "--status"}).out;
    }
    // Waits until `--status` shows `needle`; the last output seen.
    std::string status_shows(const std::string &needle, std::chrono::milliseconds timeout = 20s) {
        std::string shown;
        wait_until(
            [&] {
                shown = status();
                return shown.find(needle) != std::string::npos;
            },
            timeout);
        return shown;
    }

    // The cluster config version `--status` shows; -1 when it shows none.
    int cluster_version() const {
        const std::string shown = status();
        const std::string marker = "cluster config version ";
        const auto at = shown.rfind(marker);
        return at == std::string::npos ? -1 : std::atoi(shown.c_str() + at + marker.size());
    }

    std::string service_log(const std::string &service) const {
        return read_file(sandbox_.log_root() / service / "current");
    }

    // kcat against the broker's Kafka port: produce `lines`, or read the
    // topic from its beginning to its end.
    warden::test::ProcessResult produce(const Broker &b, const std::string &topic,
                                        const std::string &lines) {
        const fs::path file = dir_ / ("messages-" + topic);
        write_file(file, lines);
        return run_process({"kcat", "-b", "127.0.0.1:" + std::to_string(b.kafka), "-P", "-t", topic,
                            "-l", file.string()});
    }
    warden::test::ProcessResult consume(const Broker &b, const std::string &topic) {
        return run_process({"kcat", "-b", "127.0.0.1:" + std::to_string(b.kafka), "-C", "-t", topic,
                            "-o", "beginning", "-e", "-q"});
    }

    static bool logs(const BackgroundProcess &host, const std::string &needle, int times = 1,
                     std::chrono::milliseconds timeout = 30s) {
        return HostRun::logs(host, needle, times, timeout);
    }
};

TEST_F(RedpandaRun, idle_then_active_while_kcat_produces_and_consumes_then_idle_again) {
    const Broker b;
    write_config(config(worker(b)));
    auto host = start();
    ASSERT_TRUE(logs(*host, "redpanda/broker: starting -> idle: broker ")) << host->err();
    const std::string idle = line_of(*host, "redpanda/broker: starting -> idle");
    EXPECT_NE(idle.find("produce 0 B/s, consume 0 B/s"), std::string::npos) << idle;
    EXPECT_TRUE(fs::is_directory(data_dir(b))) << "the worker made the data directory";
    const std::string yaml =
        read_file(sandbox_.scan_dir() / "redpanda-broker" / "data" / "redpanda.yaml");
    EXPECT_NE(yaml.find("\"port\": " + std::to_string(b.admin)), std::string::npos) << yaml;
    EXPECT_NE(service_log("redpanda-broker").find("--memory 1536M"), std::string::npos)
        << "the memory exactly as given";

    const auto produced = produce(b, "events", "one\ntwo\nthree\n");
    ASSERT_EQ(produced.exit_code, 0) << produced.describe();
    const auto consumed = consume(b, "events");
    ASSERT_EQ(consumed.exit_code, 0) << consumed.describe();
    EXPECT_EQ(consumed.out, "one\ntwo\nthree\n");
    ASSERT_TRUE(logs(*host, "redpanda/broker: idle -> active: broker ")) << host->err();
    // Nothing more within the 5 s window: idle again.
    ASSERT_TRUE(logs(*host, "redpanda/broker: active -> idle: broker ")) << host->err();
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(RedpandaRun, cluster_properties_change_through_the_admin_api_and_node_changes_restart) {
    Broker b;
    b.cluster = "        log_retention_ms: 604800000\n";
    write_config(config(worker(b)));
    auto host = start();
    ASSERT_TRUE(logs(*host, "redpanda/broker: starting -> idle")) << host->err();
    const pid_t first = pid_of("redpanda-broker");
    ASSERT_NE(first, 0);

    // A cluster property: the same process, the new version shown.
    ASSERT_TRUE(wait_until([&] { return cluster_version() >= 0; }, 20s)) << status();
    const int version = cluster_version();
    b.cluster = "        log_retention_ms: 3600000\n        auto_create_topics_enabled: true\n";
    write_config(config(worker(b)));
    ASSERT_TRUE(wait_until([&] { return cluster_version() == version + 1; }, 20s))
        << status() << host->err();
    EXPECT_EQ(pid_of("redpanda-broker"), first) << "no restart for a cluster property";
    EXPECT_NE(host->err().find("cluster config version " + std::to_string(version + 1) +
                               " (auto_create_topics_enabled, log_retention_ms)"),
              std::string::npos)
        << host->err();

    // One Redpanda refuses: its words, nothing of it applied, still running.
    b.cluster = "        log_retention_ms: 7200000\n        log_cleanup_policy: sometimes\n";
    write_config(config(worker(b)));
    ASSERT_TRUE(logs(*host,
                     "redpanda/broker: idle -> degraded: Redpanda refused the cluster "
                     "config: log_cleanup_policy: "))
        << host->err();
    EXPECT_EQ(pid_of("redpanda-broker"), first);
    EXPECT_NE(line_of(*host, "redpanda/broker: idle -> degraded")
                  .find("; nothing of that change was applied and the broker keeps cluster config "
                        "version " +
                        std::to_string(version + 1)),
              std::string::npos)
        << host->err();
    httplib::Client admin("127.0.0.1", b.admin);
    const auto retention = admin.Get("/v1/cluster_config?key=log_retention_ms");
    ASSERT_TRUE(retention);
    EXPECT_EQ(retention->body, "{\"log_retention_ms\":3600000}") << "nothing of it applied";

    // A node setting: restarted in place, the old process's lines kept.
    b.cluster = "        log_retention_ms: 3600000\n";
    b.extra = "      smp: 2\n";
    write_config(config(worker(b)));
    ASSERT_TRUE(logs(*host, "redpanda/broker: degraded -> starting: config changed"))
        << host->err();
    ASSERT_TRUE(logs(*host, "redpanda/broker: starting -> idle", 2)) << host->err();
    const pid_t second = pid_of("redpanda-broker");
    EXPECT_NE(second, 0);
    EXPECT_NE(second, first);
    const std::string log = service_log("redpanda-broker");
    EXPECT_NE(log.find("--smp 1"), std::string::npos) << "the old process's lines are kept";
    EXPECT_NE(log.find("--smp 2"), std::string::npos);
    // The property dropped from the YAML went back to Redpanda's default.
    ASSERT_TRUE(wait_until([&] { return cluster_version() == version + 2; }, 20s))
        << status() << host->err();
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(RedpandaRun, a_taken_port_a_held_data_dir_and_a_broker_never_ready_each_say_why) {
    Broker taken;
    taken.name = "taken";
    Listener squatter(taken.kafka);
    Broker held;
    held.name = "held";
    Broker slow;
    slow.name = "slow";
    slow.extra = "      start_timeout_ms: 5000\n";
    knobs(slow, "never_ready: true\n");

    // Another Redpanda already runs on `held`'s data directory.
    fs::create_directories(data_dir(held));
    const fs::path other_yaml = dir_ / "other.yaml";
    write_file(other_yaml,
               "redpanda:\n  data_directory: " + data_dir(held).string() +
                   "\n  kafka_api: [{address: 127.0.0.1, port: " + std::to_string(free_port()) +
                   "}]\n  admin: [{address: 127.0.0.1, port: " + std::to_string(free_port()) +
                   "}]\n  rpc_server: {address: 127.0.0.1, port: " + std::to_string(free_port()) +
                   "}\n");
    BackgroundProcess other({paths::redpanda_fixture, "--redpanda-cfg", other_yaml.string()},
                            dir_ / "other-out", dir_ / "other-err");
    ASSERT_TRUE(wait_until([&] { return fs::exists(data_dir(held) / "pid.lock"); }, 10s))
        << other.err();

    write_config(config(worker(taken) + worker(held) + worker(slow)));
    auto host = start();
    ASSERT_TRUE(logs(*host, "redpanda/taken: starting -> degraded: broker exited with code 1"))
        << host->err();
    const std::string taken_line = line_of(*host, "redpanda/taken: starting -> degraded");
    EXPECT_NE(taken_line.find("Address already in use"), std::string::npos) << taken_line;
    EXPECT_NE(taken_line.find(std::to_string(taken.kafka)), std::string::npos) << taken_line;

    const std::string shown = status_shows("is held by process " + std::to_string(other.pid()));
    EXPECT_NE(shown.find("data directory " + data_dir(held).string() + " is held by process " +
                         std::to_string(other.pid()) + " (its pid.lock)"),
              std::string::npos)
        << shown;
    EXPECT_FALSE(fs::exists(sandbox_.scan_dir() / "redpanda-held")) << "nothing deployed";

    ASSERT_TRUE(logs(*host,
                     "redpanda/slow: starting -> degraded: not ready: Redpanda says it "
                     "is booting"))
        << host->err();
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(RedpandaRun, killed_restarted_by_s6_adopted_by_a_new_host_and_removal_leaves_nothing) {
    const Broker b;
    write_config(config(worker(b)));
    auto host = start();
    ASSERT_TRUE(logs(*host, "redpanda/broker: starting -> idle")) << host->err();
    const pid_t first = pid_of("redpanda-broker");
    ASSERT_EQ(::kill(first, SIGKILL), 0);
    ASSERT_TRUE(logs(*host, "redpanda/broker: idle -> degraded: ")) << host->err();
    ASSERT_TRUE(logs(*host, "redpanda/broker: degraded -> idle: recovered; ")) << host->err();
    const pid_t second = pid_of("redpanda-broker");
    EXPECT_NE(second, 0);
    EXPECT_NE(second, first);

    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s));
    auto again = start();
    ASSERT_TRUE(logs(*again, "redpanda/broker: starting -> idle")) << again->err();
    EXPECT_EQ(pid_of("redpanda-broker"), second) << "adopted, not restarted";

    write_config(config(" []\n"));
    ASSERT_TRUE(logs(*again, "redpanda/broker: stopping -> stopped")) << again->err();
    EXPECT_TRUE(wait_until([&] { return !process_alive(second); }, 20s));
    EXPECT_TRUE(wait_until([&] { return !fs::exists(sandbox_.scan_dir() / "redpanda-broker"); }));
    EXPECT_TRUE(fs::is_directory(data_dir(b))) << "the data stays";
    again->signal(SIGTERM);
    EXPECT_TRUE(again->wait(20s));
}

TEST_F(RedpandaRun, check_config_checks_keys_memory_properties_and_ports) {
    Broker m;
    m.name = "m";
    m.memory = "1.5G";
    Broker p;
    p.name = "p";
    p.cluster = "        log_retention_mss: 1\n";
    write_config(config(worker(m) + worker(p)));
    auto check = run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(check.exit_code, 1) << check.describe();
    EXPECT_NE(check.out.find("worker redpanda/m: invalid config: memory: must be a size as "
                             "Redpanda's --memory takes it"),
              std::string::npos)
        << check.out;
    EXPECT_NE(check.out.find("worker redpanda/p: invalid config: cluster.log_retention_mss: not a "
                             "cluster property of Redpanda v24.3"),
              std::string::npos)
        << check.out;

    // Keys that pass: then the worker type's own check, with the ports.
    Broker a;
    a.name = "a";
    Broker b;
    b.name = "b";
    b.kafka = a.kafka;
    write_config(config(worker(a) + worker(b)));
    check = run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(check.exit_code, 1) << check.describe();
    EXPECT_NE(check.out.find("port " + std::to_string(a.kafka) + " is reserved by worker"),
              std::string::npos)
        << check.out;
    b.kafka = free_port();
    write_config(config(worker(a) + worker(b)));
    check = run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
}

}  // namespace
}  // namespace warden::host
