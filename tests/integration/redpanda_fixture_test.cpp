// SPDX-License-Identifier: Apache-2.0
// tests/integration/redpanda_fixture_test.cpp — the Redpanda stand-in
// (tests/fixtures/redpanda_fixture) as the Redpanda plugin's tests will use
// it: run as a process on ports it is given, seen through its exit code, its
// log lines, its admin API and its Kafka API (with Debian's kcat).
#include "loopback.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using warden::test::BackgroundProcess;
using warden::test::free_port;
using warden::test::Listener;
using warden::test::occurrences;
using warden::test::read_file;
using warden::test::run_process;
using warden::test::TempDir;
using warden::test::wait_until;
using warden::test::write_file;

const std::string fixture = warden::test::paths::redpanda_fixture;

// The ports of one stand-in, picked by the kernel.
struct Ports {
    uint16_t admin = free_port(), kafka = free_port(), rpc = free_port();
};

// A redpanda.yaml in the test's directory, its data directory beside it,
// and the stand-in's knobs (a short boot keeps the tests quick).
class Node {
public:
    explicit Node(const std::string &extra = "", const std::string &knobs = "boot_ms: 20\n")
        : dir_("warden-redpanda-fixture") {
        std::filesystem::create_directory(data());
        write_config(extra);
        write_file(data() / "standin.yaml", knobs);
    }

    void write_config(const std::string &extra) {
        std::ostringstream yaml;
        yaml << "redpanda:\n"
             << "  data_directory: " << data().string() << "\n"
             << "  rpc_server: {address: 127.0.0.1, port: " << ports.rpc << "}\n"
             << "  kafka_api: [{address: 127.0.0.1, port: " << ports.kafka << "}]\n"
             << "  admin: [{address: 127.0.0.1, port: " << ports.admin << "}]\n"
             << extra << "pandaproxy: {}\nschema_registry: {}\n";
        write_file(config(), yaml.str());
    }

    std::filesystem::path config() const { return dir_ / "redpanda.yaml"; }
    std::filesystem::path data() const { return dir_ / "data"; }
    const TempDir &dir() const { return dir_; }
    std::string kafka() const { return "127.0.0.1:" + std::to_string(ports.kafka); }

    // Runs the stand-in to its end (a start that fails).
    warden::test::ProcessResult run_to_end(std::vector<std::string> flags = {}) const {
        std::vector<std::string> argv = {fixture, "--redpanda-cfg", config().string()};
        argv.insert(argv.end(), flags.begin(), flags.end());
        return run_process(argv, {{}, {}, 10s});
    }

    Ports ports;

private:
    TempDir dir_;
};

// The stand-in running in the background; killed by pid when it goes.
class Running {
public:
    explicit Running(const Node &node, std::vector<std::string> flags = {})
        : process_(argv(node, flags), node.dir() / "out.log", node.dir() / "err.log"),
          http_("127.0.0.1", node.ports.admin) {
        http_.set_connection_timeout(1s);
        http_.set_read_timeout(2s);
    }

    BackgroundProcess &process() { return process_; }
    std::string err() const { return process_.err(); }

    std::pair<int, std::string> get(const std::string &path) {
        const auto result = http_.Get(path);
        if (!result) return {0, ""};
        return {result->status, result->body};
    }

    std::pair<int, std::string> put(const std::string &path, const std::string &body) {
        const auto result = http_.Put(path, body, "application/json");
        if (!result) return {0, ""};
        return {result->status, result->body};
    }

    bool ready(std::chrono::milliseconds timeout = 10s) {
        return wait_until(
            [&] { return get("/v1/status/ready").second == "{\"status\":\"ready\"}"; }, timeout);
    }

    // The value of series `series` (name and labels) in /public_metrics; -1 when absent.
    double metric(const std::string &series) {
        const std::string body = get("/public_metrics").second;
        const size_t at = body.find("\n" + series + " ");
        if (at == std::string::npos) return -1;
        return std::strtod(body.c_str() + at + series.size() + 2, nullptr);
    }

    // SIGTERM, then its exit code (-1 if it did not exit within 10 s: its
    // shutdown is quick, but a busy machine may hold it up).
    int stop() {
        process_.signal(SIGTERM);
        return process_.wait(10s) ? process_.exit_code() : -1;
    }

private:
    static std::vector<std::string> argv(const Node &node, const std::vector<std::string> &flags) {
        std::vector<std::string> argv = {fixture, "--redpanda-cfg", node.config().string()};
        argv.insert(argv.end(), flags.begin(), flags.end());
        return argv;
    }

    BackgroundProcess process_;
    httplib::Client http_;
};

bool kcat_installed() {
    std::istringstream path(std::getenv("PATH") != nullptr ? std::getenv("PATH") : "");
    for (std::string dir; std::getline(path, dir, ':');)
        if (!dir.empty() && ::access((dir + "/kcat").c_str(), X_OK) == 0) return true;
    return false;
}

// The line of `log` that contains `text`, or "".
std::string line_with(const std::string &log, const std::string &text) {
    const size_t at = log.find(text);
    if (at == std::string::npos) return "";
    const size_t start = log.rfind('\n', at);
    const size_t end = log.find('\n', at);
    return log.substr(start == std::string::npos ? 0 : start + 1,
                      end == std::string::npos
                          ? std::string::npos
                          : end - (start == std::string::npos ? 0 : start + 1));
}

// The value in a GET /v1/cluster_config?key=NAME body: {"NAME":VALUE}.
std::string single_value(const std::string &body) {
    const size_t colon = body.find(':');
    return colon == std::string::npos || body.size() < colon + 2
               ? ""
               : body.substr(colon + 1, body.size() - colon - 2);
}

TEST(RedpandaFixture, version_and_command_line_errors_exit_as_redpanda_does) {
    const auto version = run_process({fixture, "--version"});
    EXPECT_EQ(version.exit_code, 0) << version.describe();
    EXPECT_EQ(version.out, "v24.3.8 - b1dd9f54ab1fcd31110608ff214d0937bf30fdb1-fixture\n");

    const auto positional = run_process({fixture, "--redpanda-cfg", "x.yaml", "start"});
    EXPECT_EQ(positional.exit_code, 1) << positional.describe();
    EXPECT_EQ(positional.err,
              "ERROR  main - cli_parser.cc:46 - Argument parse error: too many positional options "
              "have been specified on the command line\n");

    const auto memory = run_process({fixture, "--redpanda-cfg", "x.yaml", "--memory=2X"});
    EXPECT_EQ(memory.exit_code, 1) << memory.describe();
    EXPECT_EQ(memory.err,
              "Could not initialize seastar: boost::wrapexcept<boost::bad_lexical_cast> (bad "
              "lexical cast: source type value could not be interpreted as target)\n");

    const auto smp = run_process({fixture, "--redpanda-cfg", "x.yaml", "--smp", "many"});
    EXPECT_EQ(smp.exit_code, 1) << smp.describe();
    EXPECT_NE(smp.err.find("Argument parse error: the argument ('many') for option '--smp' is "
                           "invalid\n"),
              std::string::npos)
        << smp.err;

    const auto missing = run_process({fixture, "--smp", "1"});
    EXPECT_EQ(missing.exit_code, 1) << missing.describe();
    EXPECT_NE(missing.err.find("] seastar - Exiting on unhandled exception: "
                               "std::invalid_argument (Missing redpanda-cfg flag)\n"),
              std::string::npos)
        << missing.err;
}

TEST(RedpandaFixture, boots_then_is_ready_logs_the_flags_given_and_stops_on_sigterm) {
    // Booting until the test lets it be ready: no race with a boot time.
    Node node("  developer_mode: true\n", "never_ready: true\n");
    Running redpanda(node,
                     {"--smp=2", "--memory", "3G", "--overprovisioned", "--unsafe-bypass-fsync=1"});
    ASSERT_TRUE(wait_until([&] { return redpanda.get("/v1/status/ready").first == 200; }))
        << redpanda.err();
    EXPECT_EQ(redpanda.get("/v1/status/ready").second, "{\"status\":\"booting\"}");
    write_file(node.data() / "standin.yaml", "never_ready: false\n");
    ASSERT_TRUE(redpanda.ready()) << redpanda.err();
    EXPECT_EQ(redpanda.get("/v1/does/not/exist"),
              std::make_pair(404, std::string("{\"message\": \"Not found\", \"code\": 404}")));

    const std::string err = redpanda.err();
    EXPECT_NE(line_with(err, "Command line: ")
                  .find(" --smp=2 --memory 3G --overprovisioned "
                        "--unsafe-bypass-fsync=1"),
              std::string::npos)
        << err;
    EXPECT_NE(line_with(err, "System resources: ")
                  .find("{ cpus: 2, available memory: 3.000GiB, reserved memory: 1.500GiB}"),
              std::string::npos)
        << err;
    // Seastar's format, and Redpanda's order of events.
    const std::string started = line_with(err, "Successfully started Redpanda!");
    EXPECT_EQ(started.rfind("INFO  20", 0), 0u) << started;
    EXPECT_NE(started.find(" [shard 0:main] main - application.cc:"), std::string::npos) << started;
    const size_t rpc = err.find("Started RPC server listening at {host: 127.0.0.1, port: " +
                                std::to_string(node.ports.rpc) + "}");
    const size_t admin = err.find(
        "admin_api_server - server.cc:353 - Started HTTP admin service listening at "
        "{{:{host: 127.0.0.1, port: " +
        std::to_string(node.ports.admin) + "}}}");
    const size_t kafka = err.find(
        "Started Kafka API server listening at {{:{host: 127.0.0.1, "
        "port: " +
        std::to_string(node.ports.kafka) + "}}}");
    const size_t ready = err.find("Successfully started Redpanda!");
    ASSERT_NE(rpc, std::string::npos) << err;
    ASSERT_NE(admin, std::string::npos) << err;
    ASSERT_NE(kafka, std::string::npos) << err;
    EXPECT_TRUE(rpc < admin && admin < kafka && kafka < ready) << err;
    EXPECT_NE(redpanda.process().out().find("Welcome to the Redpanda community!"),
              std::string::npos);
    EXPECT_EQ(read_file(node.data() / "pid.lock"), std::to_string(redpanda.process().pid()) + "\n");

    const auto before = std::chrono::steady_clock::now();
    EXPECT_EQ(redpanda.stop(), 0) << redpanda.err();
    // Quick (Redpanda's own stop is), with room for a loaded machine.
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
    const std::string end = redpanda.err();
    EXPECT_NE(end.find("main - application.cc:516 - Stopping...\n"), std::string::npos) << end;
    EXPECT_NE(end.find("main - application.cc:498 - Shutdown complete.\n"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(node.data() / "pid.lock"));
}

TEST(RedpandaFixture, cluster_config_put_validates_applies_later_and_survives_a_restart) {
    // A PUT's values become visible 3 s after it answers: long enough that
    // the GET right after the PUT sees the old value on a busy machine too.
    Node node("  developer_mode: true\n  auto_create_topics_enabled: true\n",
              "boot_ms: 20\nconfig_apply_ms: 3000\n");
    auto redpanda = std::make_unique<Running>(node);
    ASSERT_TRUE(redpanda->ready()) << redpanda->err();
    const std::string status_v1 =
        "[{\"node_id\": 0, \"restart\": false, \"config_version\": 1, \"invalid\": [], "
        "\"unknown\": []}]";
    EXPECT_EQ(redpanda->get("/v1/cluster_config/status").second, status_v1);
    EXPECT_EQ(redpanda->get("/v1/cluster_config?key=log_segment_ms").second,
              "{\"log_segment_ms\":1209600000}");
    EXPECT_EQ(redpanda->get("/v1/cluster_config?key=auto_create_topics_enabled").second,
              "{\"auto_create_topics_enabled\":true}");
    EXPECT_EQ(redpanda->get("/v1/cluster_config?key=no_such_thing"),
              std::make_pair(400, std::string("{\"message\": \"Unknown property {no_such_thing}\", "
                                              "\"code\": 400}")));
    const auto all = redpanda->get("/v1/cluster_config");
    EXPECT_EQ(all.first, 200);
    EXPECT_EQ(occurrences(all.second, "\":"), 428) << all.second.substr(0, 200);

    // One bad value refuses the whole request: nothing of it is applied.
    EXPECT_EQ(redpanda->put("/v1/cluster_config",
                            R"({"upsert": {"log_segment_ms": 1000, "log_compression_type": "brotli",
                                "log_retention_ms": "a week", "storage_min_free_bytes": 5,
                                "log_cleanup_policy": "compact", "nope": 1}, "remove": []})"),
              std::make_pair(
                  400, std::string("{\"log_compression_type\":\"Must be one of none,gzip,snappy,"
                                   "lz4,zstd,producer\",\"log_retention_ms\":\"expected type "
                                   "integer\",\"log_segment_ms\":\"too small, must be at least "
                                   "60000ms\",\"nope\":\"Unknown property\","
                                   "\"storage_min_free_bytes\":\"too small, must be at least "
                                   "10485760\"}")));
    EXPECT_EQ(redpanda->get("/v1/cluster_config?key=log_cleanup_policy").second,
              "{\"log_cleanup_policy\":\"delete\"}");
    EXPECT_EQ(redpanda->get("/v1/cluster_config/status").second, status_v1);
    EXPECT_EQ(redpanda->put("/v1/cluster_config", R"({"upsert": {}})").first, 400);

    // Accepted: a new version, visible a moment later.
    EXPECT_EQ(redpanda->put("/v1/cluster_config",
                            R"({"upsert": {"log_segment_ms": 3600000, "log_cleanup_policy":
                                "compact", "log_compression_type": "snappy"}, "remove": []})"),
              std::make_pair(200, std::string("{\"config_version\": 2}")));
    EXPECT_EQ(redpanda->get("/v1/cluster_config?key=log_segment_ms").second,
              "{\"log_segment_ms\":1209600000}")
        << "applied at once; the real node applies asynchronously";
    EXPECT_TRUE(wait_until([&] {
        return redpanda->get("/v1/cluster_config?key=log_segment_ms").second ==
               "{\"log_segment_ms\":3600000}";
    }));
    EXPECT_EQ(redpanda->get("/v1/cluster_config?include_defaults=false").second,
              "{\"log_cleanup_policy\":\"compact\",\"auto_create_topics_enabled\":true,"
              "\"cluster_id\":" +
                  single_value(redpanda->get("/v1/cluster_config?key=cluster_id").second) +
                  ",\"log_compression_type\":\"snappy\",\"log_segment_ms\":3600000}");

    // The same values again: no new version. A remove: back to the default.
    EXPECT_EQ(redpanda->put("/v1/cluster_config",
                            R"({"upsert": {"log_segment_ms": "3600000"}, "remove": []})"),
              std::make_pair(200, std::string("{\"config_version\": 2}")));
    EXPECT_EQ(redpanda->put("/v1/cluster_config",
                            R"({"upsert": {}, "remove": ["log_compression_type"]})"),
              std::make_pair(200, std::string("{\"config_version\": 3}")));
    // A property that needs a restart: the status says so until one.
    EXPECT_EQ(redpanda->put("/v1/cluster_config",
                            R"({"upsert": {"kafka_qdc_enable": true}, "remove": []})"),
              std::make_pair(200, std::string("{\"config_version\": 4}")));
    EXPECT_TRUE(wait_until([&] {
        return redpanda->get("/v1/cluster_config/status").second ==
               "[{\"node_id\": 0, \"restart\": true, \"config_version\": 4, \"invalid\": [], "
               "\"unknown\": []}]";
    })) << redpanda->get("/v1/cluster_config/status").second;
    EXPECT_EQ(redpanda->get("/v1/cluster_config?key=log_compression_type").second,
              "{\"log_compression_type\":\"producer\"}");

    // Restarted: the same config and version; redpanda.yaml's cluster keys
    // are only a first boot's seed.
    ASSERT_EQ(redpanda->stop(), 0) << redpanda->err();
    redpanda.reset();
    Running again(node);
    ASSERT_TRUE(again.ready()) << again.err();
    EXPECT_EQ(again.get("/v1/cluster_config/status").second,
              "[{\"node_id\": 0, \"restart\": false, \"config_version\": 4, \"invalid\": [], "
              "\"unknown\": []}]");
    EXPECT_EQ(again.get("/v1/cluster_config?key=log_segment_ms").second,
              "{\"log_segment_ms\":3600000}");
    EXPECT_NE(again.err().find("Ignoring value for 'auto_create_topics_enabled' in redpanda.yaml: "
                               "use `rpk cluster config edit` to edit cluster configuration "
                               "properties."),
              std::string::npos)
        << again.err();
    EXPECT_NE(read_file(node.data() / "config_cache.yaml").find("_version: 4\n"),
              std::string::npos);
}

TEST(RedpandaFixture, kcat_produces_and_consumes_through_the_kafka_port_and_counters_follow) {
    if (!kcat_installed()) GTEST_SKIP() << "kcat is not installed (Debian package kcat)";
    Node node("  developer_mode: true\n  auto_create_topics_enabled: true\n");
    Running redpanda(node);
    ASSERT_TRUE(redpanda.ready()) << redpanda.err();
    const std::string bytes =
        "redpanda_kafka_request_bytes_total{redpanda_namespace=\"kafka\","
        "redpanda_request=\"";
    EXPECT_EQ(redpanda.metric("redpanda_cluster_topics{}"), 0);
    EXPECT_EQ(redpanda.metric(bytes + "produce\",redpanda_topic=\"readings\"}"), -1);

    const auto messages = node.dir() / "messages.txt";
    write_file(messages, "one\ntwo\nthree\nfour\nfive\n");
    const auto produce =
        run_process({"kcat", "-P", "-b", node.kafka(), "-t", "readings", "-l", messages.string()},
                    {{}, {}, 10s});
    ASSERT_EQ(produce.exit_code, 0) << produce.describe() << redpanda.err();
    const double produced = redpanda.metric(bytes + "produce\",redpanda_topic=\"readings\"}");
    EXPECT_GT(produced, 5 * 3) << "at least the values' bytes";
    EXPECT_EQ(redpanda.metric(bytes + "consume\",redpanda_topic=\"readings\"}"), 0);
    EXPECT_EQ(redpanda.metric("redpanda_kafka_records_produced_total{redpanda_namespace=\"kafka\","
                              "redpanda_topic=\"readings\"}"),
              5);

    const auto consume = run_process(
        {"kcat", "-C", "-b", node.kafka(), "-t", "readings", "-o", "beginning", "-e", "-q"},
        {{}, {}, 10s});
    ASSERT_EQ(consume.exit_code, 0) << consume.describe();
    EXPECT_EQ(consume.out, "one\ntwo\nthree\nfour\nfive\n");
    EXPECT_EQ(redpanda.metric(bytes + "consume\",redpanda_topic=\"readings\"}"), produced)
        << "the same batches came back";
    EXPECT_EQ(redpanda.metric(bytes + "follower_consume\",redpanda_topic=\"readings\"}"), 0);
    EXPECT_EQ(redpanda.metric("redpanda_kafka_records_fetched_total{redpanda_namespace=\"kafka\","
                              "redpanda_topic=\"readings\"}"),
              5);
    EXPECT_EQ(redpanda.metric("redpanda_cluster_topics{}"), 1);
    EXPECT_EQ(redpanda.metric("redpanda_kafka_partitions{redpanda_namespace=\"kafka\","
                              "redpanda_topic=\"readings\"}"),
              1)
        << "default_topic_partitions";
    // The controller's series are still there, as on a real node.
    EXPECT_EQ(redpanda.metric("redpanda_kafka_request_bytes_total{redpanda_namespace=\"redpanda\","
                              "redpanda_request=\"produce\",redpanda_topic=\"controller\"}"),
              0);

    const auto list = run_process({"kcat", "-L", "-b", node.kafka()}, {{}, {}, 10s});
    EXPECT_NE(list.out.find("broker 0 at " + node.kafka()), std::string::npos)
        << "clients are sent back to the configured port, to node 0: " << list.out;
}

TEST(RedpandaFixture, knobs_drive_readiness_and_the_storage_metrics_while_it_runs) {
    Node node("  developer_mode: true\n  node_id: 3\n");
    Running redpanda(node);
    ASSERT_TRUE(redpanda.ready()) << redpanda.err();
    EXPECT_EQ(redpanda.metric("redpanda_storage_disk_free_space_alert{}"), 0);
    EXPECT_EQ(redpanda.metric("redpanda_cluster_unavailable_partitions{}"), 0);
    EXPECT_EQ(redpanda.metric("redpanda_cluster_brokers{}"), 1);
    const auto node_config = redpanda.get("/v1/node_config").second;
    EXPECT_NE(node_config.find("\"kafka_api\":[{\"name\":\"\",\"address\":\"127.0.0.1\",\"port\":" +
                               std::to_string(node.ports.kafka) + "}]"),
              std::string::npos)
        << node_config;
    EXPECT_EQ(redpanda.get("/v1/cluster_config/status").second.rfind("[{\"node_id\": 3, ", 0), 0u);

    // Below storage_min_free_bytes (5 GiB): degraded, as Redpanda's alert says.
    write_file(node.data() / "standin.yaml",
               "disk_free_bytes: 1000000000\ndisk_total_bytes: 2000000000\n"
               "unavailable_partitions: 2\nnever_ready: true\n");
    EXPECT_EQ(redpanda.get("/v1/status/ready").second, "{\"status\":\"booting\"}");
    EXPECT_EQ(redpanda.metric("redpanda_storage_disk_free_bytes{}"), 1e9);
    EXPECT_EQ(redpanda.metric("redpanda_storage_disk_total_bytes{}"), 2e9);
    EXPECT_EQ(redpanda.metric("redpanda_storage_disk_free_space_alert{}"), 2);
    EXPECT_EQ(redpanda.metric("redpanda_cluster_unavailable_partitions{}"), 2);

    write_file(node.data() / "standin.yaml", "disk_alert: 1\n");
    EXPECT_EQ(redpanda.get("/v1/status/ready").second, "{\"status\":\"ready\"}");
    EXPECT_EQ(redpanda.metric("redpanda_storage_disk_free_space_alert{}"), 1);
}

TEST(RedpandaFixture, a_held_pid_lock_fails_the_start_with_redpandas_words) {
    Node node;
    const auto lock_file = node.data() / "pid.lock";
    const int fd = ::open(lock_file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    ASSERT_EQ(::fcntl(fd, F_SETLK, &lock), 0);
    ASSERT_EQ(::write(fd, "4242\n", 5), 5);

    const auto result = node.run_to_end();
    ::close(fd);
    EXPECT_EQ(result.exit_code, 1) << result.describe();
    EXPECT_NE(result.err.find("ERROR 20"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("] main - application.cc:524 - Failure during startup: "
                              "std::runtime_error (failed to lock pidfile. already locked)\n"),
              std::string::npos)
        << result.err;
    EXPECT_EQ(read_file(lock_file), "4242\n") << "another process's pid file is left alone";
}

TEST(RedpandaFixture, a_taken_port_fails_the_start_with_the_line_of_its_listener) {
    Node node("  developer_mode: true\n");
    const auto in_use = [](uint16_t port) {
        const std::string address = "127.0.0.1:" + std::to_string(port);
        return "std::__1::system_error (error system:98, posix_listen failed for address " +
               address + ": Address already in use)";
    };
    const auto server = [&in_use](const std::string &name, uint16_t port) {
        return "std::runtime_error (" + name +
               " - Error attempting to listen on {://127.0.0.1:" + std::to_string(port) +
               ":PLAINTEXT}: " + in_use(port) + ")";
    };
    const std::vector<std::pair<uint16_t, std::string>> cases = {
        {node.ports.rpc, server("vectorized internal rpc protocol", node.ports.rpc)},
        {node.ports.admin, in_use(node.ports.admin)},
        {node.ports.kafka, server("kafka rpc protocol", node.ports.kafka)},
    };
    for (const auto &[port, failure] : cases) {
        Listener taken(port);
        const auto result = node.run_to_end();
        EXPECT_EQ(result.exit_code, 1) << result.describe();
        EXPECT_NE(result.err.find("Failure during startup: " + failure + "\n"), std::string::npos)
            << result.err;
        EXPECT_FALSE(std::filesystem::exists(node.data() / "pid.lock"));
    }
}

TEST(RedpandaFixture, bad_configs_and_a_crash_loop_fail_the_start_as_redpanda_does) {
    Node node("  surprise: 1\n");
    auto result = node.run_to_end();
    EXPECT_EQ(result.exit_code, 1) << result.describe();
    EXPECT_NE(result.err.find("Failure during startup: std::invalid_argument (Unknown property "
                              "surprise)\n"),
              std::string::npos)
        << result.err;

    std::filesystem::remove_all(node.data());
    node.write_config("");
    result = node.run_to_end();
    EXPECT_EQ(result.exit_code, 1) << result.describe();
    EXPECT_NE(result.err.find("Failure during startup: std::invalid_argument (Configured data "
                              "directory did not exist: " +
                              node.data().string() + ")\n"),
              std::string::npos)
        << result.err;

    // Not in developer_mode: unclean starts are counted in startup_log.
    std::filesystem::create_directory(node.data());
    write_file(node.data() / "standin.yaml", "fatal_startup: disk on fire\n");
    node.write_config("  crash_loop_limit: 1\n");
    for (int start = 1; start <= 2; ++start) {
        result = node.run_to_end();
        EXPECT_EQ(result.exit_code, 1) << result.describe();
        EXPECT_NE(result.err.find("Failure during startup: std::runtime_error (disk on fire)\n"),
                  std::string::npos)
            << result.err;
    }
    result = node.run_to_end();
    EXPECT_EQ(result.exit_code, 1) << result.describe();
    EXPECT_NE(result.err.find("Crash loop detected. Too many consecutive crashes 2, exceeded "
                              "crash_loop_limit configured value 1. To recover Redpanda from this "
                              "state, manually remove file at path \"" +
                              (node.data() / "startup_log").string() + "\"."),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("Failure during startup: std::runtime_error (Crash loop detected, "
                              "aborting startup.)\n"),
              std::string::npos)
        << result.err;
    // A changed redpanda.yaml resets the count.
    node.write_config("  crash_loop_limit: 1\n  rack: r1\n");
    result = node.run_to_end();
    EXPECT_NE(result.err.find("(disk on fire)"), std::string::npos) << result.err;
}

}  // namespace
