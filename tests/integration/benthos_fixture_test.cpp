// SPDX-License-Identifier: Apache-2.0
// tests/integration/benthos_fixture_test.cpp — the Benthos stand-in
// (tests/fixtures/benthos_fixture) as the Benthos plugin's tests use it: run
// as a process, its config driving what it does, seen through its exit code,
// its log lines and its HTTP endpoints. Its kafka output produces to the
// Redpanda stand-in, and Debian's kcat reads back what it produced.
#include "loopback.hpp"
#include "process.hpp"
#include "redpanda_standin.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace paths = warden::test::paths;
using namespace std::chrono_literals;
using warden::test::BackgroundProcess;
using warden::test::free_port;
using warden::test::Listener;
using warden::test::occurrences;
using warden::test::run_process;
using warden::test::TempDir;
using warden::test::wait_until;
using warden::test::write_file;

constexpr const char *kGenerate = "{ generate: { mapping: 'root = \"hello\"', interval: 20ms } }";

// A config file in the test's own directory: the stand-in's HTTP server on
// `port`, then `body` (input, pipeline, output...).
std::string write_config(const TempDir &dir, uint16_t port, const std::string &body,
                         const std::string &name = "config.yaml") {
    const auto file = dir / name;
    write_file(file, "http:\n  address: 127.0.0.1:" + std::to_string(port) + "\n" + body);
    return file.string();
}

// The stand-in running in the background; killed by pid when it goes.
class RunningFixture {
public:
    RunningFixture(const TempDir &dir, const std::string &config)
        : process_({paths::benthos_fixture, "-c", config}, dir / "out.log", dir / "err.log") {}

    BackgroundProcess &process() { return process_; }
    std::string out() const { return process_.out(); }

    bool logged(const std::string &text, std::chrono::milliseconds timeout = 10s) const {
        return wait_until([&] { return process_.out().find(text) != std::string::npos; }, timeout);
    }

private:
    BackgroundProcess process_;
};

// One client for all of a test's requests: connections are kept alive and
// reused, as the plugin's prober does.
class Http {
public:
    explicit Http(uint16_t port) : client_("127.0.0.1", port) {
        client_.set_keep_alive(true);
        client_.set_connection_timeout(1s);
        client_.set_read_timeout(2s);
    }

    // Status and body of GET `path`; status 0 when nothing answered.
    std::pair<int, std::string> get(const std::string &path) {
        const auto result = client_.Get(path);
        if (!result) return {0, ""};
        last_content_type_ = result->get_header_value("Content-Type");
        return {result->status, result->body};
    }

    bool answers(std::chrono::milliseconds timeout = 10s) {
        return wait_until([&] { return get("/ping").first == 200; }, timeout);
    }

    // The value of sample `name{label="",path="PATH"}` in /metrics; -1 when absent.
    double metric(const std::string &name, const std::string &path) {
        const std::string body = get("/metrics").second;
        const std::string sample = "\n" + name + "{label=\"\",path=\"" + path + "\"} ";
        const size_t at = body.find(sample);
        if (at == std::string::npos) return -1;
        return std::strtod(body.c_str() + at + sample.size(), nullptr);
    }

    const std::string &last_content_type() const { return last_content_type_; }

private:
    httplib::Client client_;
    std::string last_content_type_;
};

// The Redpanda stand-in as the kafka output's broker.
using Broker = warden::test::RedpandaStandIn;

bool kcat_installed() {
    std::istringstream path(std::getenv("PATH") != nullptr ? std::getenv("PATH") : "");
    for (std::string dir; std::getline(path, dir, ':');)
        if (!dir.empty() && ::access((dir + "/kcat").c_str(), X_OK) == 0) return true;
    return false;
}

TEST(BenthosFixture, lint_passes_a_valid_config_silently) {
    TempDir dir("warden-benthos-fixture");
    const auto config = write_config(dir, 4195,
                                     "input: " + std::string(kGenerate) +
                                         "\npipeline:\n  processors:\n    - mapping: root = this\n"
                                         "output: { drop: {} }\nlogger: { level: debug }\n"
                                         "metrics: { prometheus: {} }\n");
    const auto result = run_process({paths::benthos_fixture, "lint", config});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "");
}

TEST(BenthosFixture, lint_names_each_problem_with_its_file_line_and_column) {
    TempDir dir("warden-benthos-fixture");
    const auto bad = write_config(dir, 4195,
                                  "input:\n"
                                  "  generate:\n"
                                  "    mapping: root = \"x\"\n"
                                  "    nonexistent: 1\n"
                                  "    count: lots\n"
                                  "output:\n"
                                  "  socket: { network: tcp }\n"
                                  "pipeline:\n"
                                  "  processors:\n"
                                  "    - wat: {}\n"
                                  "surprise: 1\n");
    const auto broken = dir / "broken.yaml";
    write_file(broken, "input:\n  generate:\n    mapping: [\n");

    const auto result = run_process({paths::benthos_fixture, "lint", bad, broken.string()});
    EXPECT_EQ(result.exit_code, 1) << result.describe();
    const std::string syntax = broken.string() + "(4,1) yaml: line 4: ";
    ASSERT_NE(result.out.find("\n" + syntax), std::string::npos) << result.out;
    EXPECT_EQ(result.out.substr(0, result.out.find("\n" + syntax) + 1),
              bad + "(6,5) field nonexistent not recognised\n" +  //
                  bad + "(7,12) field count: expected int value\n" + bad +
                  "(9,11) field address is required\n" + bad +
                  "(12,7) unable to infer processor type from candidates: [wat]\n" + bad +
                  "(13,1) field surprise not recognised\n");
}

TEST(BenthosFixture, an_invalid_config_is_logged_and_exits_one_when_run) {
    TempDir dir("warden-benthos-fixture");
    const auto config = write_config(dir, free_port(), "output: { nonexistent_output: {} }\n");
    const auto result = run_process({paths::benthos_fixture, "run", config}, {{}, {}, 10s});
    EXPECT_EQ(result.exit_code, 1) << result.describe();
    EXPECT_NE(result.out.find("level=error msg=\"" + config +
                              "(3,9) unable to infer output type from candidates: "
                              "[nonexistent_output]\" @service=benthos\n"),
              std::string::npos)
        << result.out;
}

TEST(BenthosFixture, version_says_it_is_a_stand_in_and_an_unknown_command_line_exits_one) {
    const auto version = run_process({paths::benthos_fixture, "--version"});
    EXPECT_EQ(version.exit_code, 0) << version.describe();
    EXPECT_EQ(version.out.rfind("Version: 4.27.0-fixture\n", 0), 0u) << version.out;
    EXPECT_NE(version.out.find("test stand-in for Benthos"), std::string::npos) << version.out;

    const auto unknown = run_process({paths::benthos_fixture, "--colour", "mauve"});
    EXPECT_EQ(unknown.exit_code, 1) << unknown.describe();
    EXPECT_EQ(unknown.out, "");
    EXPECT_NE(unknown.err.find("cannot run with the command line \"--colour mauve\""),
              std::string::npos)
        << unknown.err;
}

TEST(BenthosFixture, generate_into_drop_answers_ping_ready_metrics_and_counts_up) {
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port();
    RunningFixture fixture(
        dir,
        write_config(dir, port, "input: " + std::string(kGenerate) + "\noutput: { drop: {} }\n"));
    Http http(port);
    ASSERT_TRUE(http.answers()) << fixture.out();
    EXPECT_EQ(http.get("/ping"), std::make_pair(200, std::string("pong")));
    EXPECT_TRUE(wait_until([&] { return http.get("/ready").first == 200; }));
    EXPECT_EQ(http.get("/ready").second, "OK");
    EXPECT_EQ(http.get("/version").second,
              "{\"version\":\"4.27.0-fixture\",\"built\":\"2024-04-22T00:00:00Z\"}");

    ASSERT_TRUE(wait_until([&] { return http.metric("output_sent", "root.output") >= 3; }))
        << http.get("/metrics").second;
    const auto [status, metrics] = http.get("/metrics");
    EXPECT_EQ(status, 200);
    EXPECT_EQ(http.last_content_type(), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(metrics.find("# HELP input_received Benthos Counter metric\n"
                           "# TYPE input_received counter\n"
                           "input_received{label=\"\",path=\"root.input\"} "),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("input_latency_ns{label=\"\",path=\"root.input\",quantile=\"0.99\"} "),
              std::string::npos)
        << metrics;
    EXPECT_EQ(http.metric("input_connection_up", "root.input"), 1);
    EXPECT_EQ(http.metric("output_connection_up", "root.output"), 1);
    EXPECT_EQ(http.metric("output_error", "root.output"), 0);
    EXPECT_GE(http.metric("input_received", "root.input"), 3);

    const std::string out = fixture.out();
    EXPECT_NE(out.find("level=info msg=\"Listening for HTTP requests at: http://127.0.0.1:" +
                       std::to_string(port) + "\" @service=benthos\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("level=info msg=\"Output type drop is now active\" @service=benthos "
                       "label=\"\" path=root.output\n"),
              std::string::npos)
        << out;
}

TEST(BenthosFixture, reject_counts_every_message_as_an_output_error_and_logs_why) {
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port();
    RunningFixture fixture(dir, write_config(dir, port,
                                             "input: " + std::string(kGenerate) +
                                                 "\noutput: { reject: 'no thanks' }\n"));
    Http http(port);
    ASSERT_TRUE(http.answers()) << fixture.out();
    ASSERT_TRUE(wait_until([&] { return http.metric("output_error", "root.output") >= 5; }))
        << http.get("/metrics").second;
    EXPECT_EQ(http.metric("output_sent", "root.output"), 0);
    EXPECT_TRUE(
        fixture.logged("level=error msg=\"Failed to send message to reject: no thanks\" "
                       "@service=benthos label=\"\" path=root.output\n"))
        << fixture.out();
}

TEST(BenthosFixture, a_throwing_mapping_counts_processor_errors_and_logs_the_thrown_text) {
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port();
    RunningFixture fixture(
        dir, write_config(dir, port,
                          "input: " + std::string(kGenerate) +
                              "\npipeline:\n  processors:\n    - mapping: root = throw(\"boom\")\n"
                              "output: { drop: {} }\n"));
    Http http(port);
    ASSERT_TRUE(http.answers()) << fixture.out();
    ASSERT_TRUE(wait_until([&] {
        return http.metric("processor_error", "root.pipeline.processors.0") >= 3;
    })) << http.get("/metrics").second;
    EXPECT_GE(http.metric("output_sent", "root.output"), 3) << "failed messages still go on";
    EXPECT_TRUE(
        fixture.logged("level=error msg=\"failed assignment (line 1): boom\" "
                       "@service=benthos label=\"\" path=root.pipeline.processors.0\n"))
        << fixture.out();
}

TEST(BenthosFixture, a_socket_output_nobody_listens_on_is_not_ready_and_nothing_is_read) {
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port(), closed = free_port();
    RunningFixture fixture(
        dir, write_config(dir, port,
                          "input: " + std::string(kGenerate) +
                              "\noutput: { socket: { network: tcp, address: '127.0.0.1:" +
                              std::to_string(closed) + "' } }\n"));
    Http http(port);
    ASSERT_TRUE(http.answers()) << fixture.out();
    EXPECT_EQ(http.get("/ready"), std::make_pair(503, std::string("output not connected")));
    ASSERT_TRUE(wait_until([&] {
        return http.metric("output_connection_failed", "root.output") >= 2;
    })) << http.get("/metrics").second;
    EXPECT_EQ(http.metric("input_received", "root.input"), 0);
    EXPECT_EQ(http.metric("output_connection_up", "root.output"), 0);
    EXPECT_TRUE(
        fixture.logged("level=error msg=\"Failed to connect to socket: dial tcp 127.0.0.1:" +
                       std::to_string(closed) +
                       ": connect: connection refused\" @service=benthos label=\"\" "
                       "path=root.output\n"))
        << fixture.out();

    // Once something listens, it connects, becomes ready and reads.
    Listener listener(closed);
    EXPECT_TRUE(wait_until([&] { return http.get("/ready").first == 200; })) << fixture.out();
    EXPECT_TRUE(wait_until([&] { return http.metric("input_received", "root.input") >= 1; }));
    EXPECT_EQ(http.metric("output_connection_up", "root.output"), 1);
}

TEST(BenthosFixture, an_occupied_http_port_exits_one_with_benthos_message) {
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port();
    Listener occupied(port);
    const auto config =
        write_config(dir, port, "input: " + std::string(kGenerate) + "\noutput: { drop: {} }\n");
    const auto result = run_process({paths::benthos_fixture, "-c", config}, {{}, {}, 10s});
    EXPECT_EQ(result.exit_code, 1) << result.describe();
    EXPECT_NE(result.out.find("level=error msg=\"Failed to start HTTP server: listen tcp "
                              "127.0.0.1:" +
                              std::to_string(port) +
                              ": bind: address already in use\" @service=benthos\n"),
              std::string::npos)
        << result.out;
}

TEST(BenthosFixture, generate_with_a_count_exits_zero_when_done) {
    TempDir dir("warden-benthos-fixture");
    const auto config =
        write_config(dir, free_port(),
                     "input: { generate: { mapping: 'root = \"hi\"', interval: 1ms, count: 3 } }\n"
                     "pipeline:\n  processors:\n    - log: { message: 'saw ${! content() }' }\n"
                     "output: { drop: {} }\n"
                     "logger: { format: json, add_timestamp: true }\n");
    const auto result = run_process({paths::benthos_fixture, "-c", config}, {{}, {}, 10s});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(occurrences(result.out, "\"msg\":\"saw hi\""), 3) << result.out;
    EXPECT_NE(result.out.find("\"level\":\"info\",\"msg\":\"Pipeline has terminated. Shutting "
                              "down the service\",\"@service\":\"benthos\"}\n"),
              std::string::npos)
        << result.out;
    EXPECT_EQ(result.out.rfind("{\"time\":\"", 0), 0u) << result.out;
}

TEST(BenthosFixture, sigterm_logs_and_exits_zero) {
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port();
    RunningFixture fixture(
        dir,
        write_config(dir, port, "input: " + std::string(kGenerate) + "\noutput: { drop: {} }\n"));
    Http http(port);
    ASSERT_TRUE(http.answers()) << fixture.out();
    fixture.process().signal(SIGTERM);
    ASSERT_TRUE(fixture.process().wait(10s)) << fixture.out();
    EXPECT_EQ(fixture.process().exit_code(), 0) << fixture.out();
    EXPECT_NE(fixture.out().find("level=info msg=\"Received SIGTERM, the service is closing\" "
                                 "@service=benthos\n"),
              std::string::npos)
        << fixture.out();
}

TEST(BenthosFixture, lint_accepts_benthos_kafka_output_fields_and_requires_a_topic) {
    TempDir dir("warden-benthos-fixture");
    const auto full = write_config(dir, 4195,
                                   "input: " + std::string(kGenerate) +
                                       "\noutput:\n"
                                       "  kafka:\n"
                                       "    addresses: [ 'a:9092,b:9092', c:9092 ]\n"
                                       "    topic: readings\n"
                                       "    key: sensor-1\n"
                                       "    client_id: warden\n"
                                       "    max_in_flight: 1\n"
                                       "    partitioner: murmur2_hash\n"
                                       "    compression: snappy\n"
                                       "    timeout: 2s\n",
                                   "full.yaml");
    const auto accepted = run_process({paths::benthos_fixture, "lint", full});
    EXPECT_EQ(accepted.exit_code, 0) << accepted.describe();
    EXPECT_EQ(accepted.out, "");

    const auto no_topic = write_config(dir, 4195,
                                       "output:\n"
                                       "  kafka:\n"
                                       "    addresses: [ 127.0.0.1:9092 ]\n",
                                       "no_topic.yaml");
    const auto refused = run_process({paths::benthos_fixture, "lint", no_topic});
    EXPECT_EQ(refused.exit_code, 1) << refused.describe();
    EXPECT_EQ(refused.out, no_topic + "(5,5) field topic is required\n");
}

TEST(BenthosFixture, a_kafka_output_produces_each_message_and_counts_it_once_acknowledged) {
    ASSERT_TRUE(Broker::built()) << paths::redpanda_fixture
                                 << " is missing: build the redpanda_fixture target";
    if (!kcat_installed()) GTEST_SKIP() << "kcat is not installed (Debian package kcat)";
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port(), nobody = free_port();
    Broker broker(dir.path(), free_port());
    ASSERT_TRUE(broker.ready()) << broker.err();

    // The first entry holds two brokers, as Benthos allows; one of them is
    // down, and the other is enough.
    const std::string brokers = "127.0.0.1:" + std::to_string(nobody) + "," + broker.address();
    RunningFixture fixture(
        dir, write_config(dir, port,
                          "input: { generate: { mapping: 'root = \"reading\"', interval: 1ms, "
                          "count: 3 } }\n"
                          "output:\n"
                          "  kafka: { addresses: [ '" +
                              brokers +
                              "' ], topic: readings, key: sensor-1, max_in_flight: 1 }\n"
                              "shutdown_delay: 30s\n"));
    Http http(port);
    ASSERT_TRUE(http.answers()) << fixture.out();
    ASSERT_TRUE(fixture.logged("Pipeline has terminated. Shutting down the service"))
        << fixture.out();
    EXPECT_EQ(http.metric("output_sent", "root.output"), 3) << http.get("/metrics").second;
    EXPECT_EQ(http.metric("output_error", "root.output"), 0);
    EXPECT_EQ(http.metric("output_connection_up", "root.output"), 1);
    const std::string out = fixture.out();
    EXPECT_NE(out.find("level=info msg=\"Sending Kafka messages to addresses: [127.0.0.1:" +
                       std::to_string(nobody) + " " + broker.address() +
                       "]\" @service=benthos label=\"\" path=root.output\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("level=info msg=\"Output type kafka is now active\" @service=benthos "
                       "label=\"\" path=root.output\n"),
              std::string::npos)
        << out;

    const auto consumed = run_process({"kcat", "-C", "-b", broker.address(), "-t", "readings", "-o",
                                       "beginning", "-e", "-q", "-f", "%k %s\n"},
                                      {{}, {}, 10s});
    ASSERT_EQ(consumed.exit_code, 0) << consumed.describe();
    EXPECT_EQ(consumed.out, "sensor-1 reading\nsensor-1 reading\nsensor-1 reading\n");

    // SIGTERM cuts the shutdown delay short.
    fixture.process().signal(SIGTERM);
    ASSERT_TRUE(fixture.process().wait(5s)) << fixture.out();
    EXPECT_EQ(fixture.process().exit_code(), 0) << fixture.out();
}

TEST(BenthosFixture,
     a_kafka_output_without_a_broker_is_not_ready_and_sends_nothing_until_one_starts) {
    ASSERT_TRUE(Broker::built()) << paths::redpanda_fixture
                                 << " is missing: build the redpanda_fixture target";
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port(), kafka = free_port();
    RunningFixture fixture(dir,
                           write_config(dir, port,
                                        "input: " + std::string(kGenerate) +
                                            "\noutput: { kafka: { addresses: [ '127.0.0.1:" +
                                            std::to_string(kafka) + "' ], topic: readings } }\n"));
    Http http(port);
    ASSERT_TRUE(http.answers()) << fixture.out();
    EXPECT_EQ(http.get("/ready"), std::make_pair(503, std::string("output not connected")));
    ASSERT_TRUE(wait_until([&] {
        return http.metric("output_connection_failed", "root.output") >= 2;
    })) << http.get("/metrics").second;
    EXPECT_EQ(http.metric("output_sent", "root.output"), 0);
    EXPECT_EQ(http.metric("input_received", "root.input"), 0);
    EXPECT_EQ(http.metric("output_connection_up", "root.output"), 0);
    EXPECT_TRUE(fixture.logged(
        "level=error msg=\"Failed to connect to kafka: kafka: client has run out of available "
        "brokers to talk to: dial tcp 127.0.0.1:" +
        std::to_string(kafka) +
        ": connect: connection refused\" @service=benthos label=\"\" path=root.output\n"))
        << fixture.out();

    // Once the broker is up, it connects, becomes ready and produces.
    Broker broker(dir.path(), kafka);
    ASSERT_TRUE(broker.ready()) << broker.err();
    EXPECT_TRUE(wait_until([&] { return http.get("/ready").first == 200; })) << fixture.out();
    EXPECT_TRUE(wait_until([&] { return http.metric("output_sent", "root.output") >= 1; }))
        << http.get("/metrics").second;
    EXPECT_EQ(http.metric("output_connection_up", "root.output"), 1);
}

TEST(BenthosFixture, a_kafka_output_whose_broker_goes_away_counts_the_loss_and_is_not_ready) {
    ASSERT_TRUE(Broker::built()) << paths::redpanda_fixture
                                 << " is missing: build the redpanda_fixture target";
    TempDir dir("warden-benthos-fixture");
    const uint16_t port = free_port();
    auto broker = std::make_unique<Broker>(dir.path(), free_port());
    ASSERT_TRUE(broker->ready()) << broker->err();
    RunningFixture fixture(
        dir,
        write_config(dir, port,
                     "input: " + std::string(kGenerate) + "\noutput: { kafka: { addresses: [ '" +
                         broker->address() + "' ], topic: readings, timeout: 500ms } }\n"));
    Http http(port);
    ASSERT_TRUE(http.answers()) << fixture.out();
    ASSERT_TRUE(wait_until([&] { return http.metric("output_sent", "root.output") >= 2; }))
        << http.get("/metrics").second;

    broker.reset();  // killed
    EXPECT_TRUE(wait_until([&] { return http.get("/ready").second == "output not connected"; }))
        << fixture.out();
    EXPECT_TRUE(wait_until([&] {
        return http.metric("output_connection_lost", "root.output") == 1;
    })) << http.get("/metrics").second;
    EXPECT_GE(http.metric("output_error", "root.output"), 1);
    EXPECT_TRUE(
        fixture.logged("level=error msg=\"Failed to send message to kafka: Local: Message "
                       "timed out\" @service=benthos label=\"\" path=root.output\n"))
        << fixture.out();
}

}  // namespace
