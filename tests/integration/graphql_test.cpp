// SPDX-License-Identifier: Apache-2.0
// tests/integration/graphql_test.cpp — the `graphql` worker end to end: the
// real `warden` binary on a real s6-svscan, graphql.so loaded from its file,
// the topic browser on real Node.js with its real npm modules, the Redpanda
// stand-in (tests/fixtures/redpanda_fixture) as its broker under the
// `redpanda` worker, and Debian's kcat as a Kafka producer. The assertions
// are what a user sees: the host's state-change lines with their reasons,
// `--status`, `--check-config`'s words, pids, and the GraphQL answers.
#include "host_run.hpp"
#include "loopback.hpp"

#include <httplib.h>
#include <signal.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

namespace warden::host {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using warden::test::free_port;
using warden::test::Listener;
using warden::test::read_file;

class GraphqlRun : public HostRun {
protected:
    void SetUp() override {
        HostRun::SetUp();
        plugins_.add(paths::graphql_plugin);
        plugins_.add(paths::redpanda_plugin);
        // As installed: topic-browser/ beside plugins/.
        plugins_.link_beside("topic-browser", paths::topic_browser_dir);
    }

    std::string broker(const std::string &desired = "running") const {
        return "  - type: redpanda\n    name: broker\n    desired_state: " + desired +
               "\n    config:\n      binary: " + paths::redpanda_fixture +
               "\n      data_dir: " + (dir_ / "data").string() +
               "\n      kafka_port: " + std::to_string(kafka_) +
               "\n      admin_port: " + std::to_string(admin_) +
               "\n      rpc_port: " + std::to_string(rpc_) + "\n      developer_mode: true\n";
    }

    std::string browser(const std::string &name, uint16_t port) const {
        return "  - type: graphql\n    name: " + name +
               "\n    desired_state: running\n    config:\n      kafka_brokers: [\"127.0.0.1:" +
               std::to_string(kafka_) + "\"]\n      port: " + std::to_string(port) +
               "\n      node: " + paths::node_binary + "\n      activity_window_ms: 5000\n";
    }

    std::string user_server(const std::string &name, uint16_t port) const {
        return "  - type: graphql\n    name: " + name +
               "\n    desired_state: running\n    config:\n      command: " + paths::node_binary +
               "\n      args: [" + paths::graphql_user_server +
               "]\n      port: " + std::to_string(port) +
               "\n      env: {MODULES_FROM: " + paths::topic_browser_dir +
               "}\n      metrics_path: \"\"\n";
    }

    // One GraphQL request over HTTP, as any client sends it; the parsed
    // answer, or null when there was none.
    static json ask(uint16_t port, const std::string &query) {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(5, 0);
        const auto answer =
            client.Post("/graphql", json{{"query", query}}.dump(), "application/json");
        if (!answer) return nullptr;
        return json::parse(answer->body, nullptr, false);
    }

    warden::test::ProcessResult produce(const std::string &topic, const std::string &lines,
                                        const std::vector<std::string> &extra = {}) {
        const fs::path file = dir_ / ("messages-" + topic);
        write_file(file, lines);
        std::vector<std::string> argv = {
            "kcat", "-b",         "127.0.0.1:" + std::to_string(kafka_), "-P", "-t", topic,
            "-l",   file.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run_process(argv);
    }

    static bool logs(const BackgroundProcess &host, const std::string &needle, int times = 1,
                     std::chrono::milliseconds timeout = 30s) {
        return HostRun::logs(host, needle, times, timeout);
    }
    std::string status() const {
        return run_process({paths::warden_binary, "--config", config_file(), "--status"}).out;
    }
    static std::string line_of(const BackgroundProcess &host, const std::string &change) {
        return warden::test::last_line_from(host.err(), change);
    }

    uint16_t kafka_ = free_port();
    uint16_t admin_ = free_port();
    uint16_t rpc_ = free_port();
};

constexpr const char *kTopicsQuery =
    "{ topics { topic lastEvent { value json headers { key value } } } }";

TEST_F(GraphqlRun, the_topic_browser_shows_what_kcat_produced_and_follows_its_broker) {
    const uint16_t port = free_port();
    write_config(config(broker() + browser("topics", port)));
    auto host = start();
    ASSERT_TRUE(logs(*host, "redpanda/broker: starting -> idle")) << host->err();
    ASSERT_TRUE(logs(*host, "graphql/topics: starting -> idle: answering { __typename }"))
        << host->err();

    const auto produced =
        produce("temperature", "{\"celsius\":20}\n{\"celsius\":21.5}\n", {"-H", "site=plant-1"});
    ASSERT_EQ(produced.exit_code, 0) << produced.describe();
    const auto alarms = produce("alarms", "door open\nfire\n");
    ASSERT_EQ(alarms.exit_code, 0) << alarms.describe();

    // Both topics, each with its newest event, through a plain HTTP client.
    json answer;
    ASSERT_TRUE(wait_until(
        [&] {
            answer = ask(port, kTopicsQuery);
            if (!answer.is_object() || !answer["data"]["topics"].is_array()) return false;
            std::set<std::string> seen;
            for (const json &t : answer["data"]["topics"])
                if (t["lastEvent"].is_object()) seen.insert(t["topic"].get<std::string>());
            return seen.count("temperature") == 1 && seen.count("alarms") == 1;
        },
        30s))
        << answer.dump() << host->err();
    for (const json &t : answer["data"]["topics"]) {
        if (t["topic"] == "alarms") {
            EXPECT_EQ(t["lastEvent"]["value"], "fire") << t.dump();
        }
        if (t["topic"] == "temperature") {
            EXPECT_EQ(t["lastEvent"]["json"], json({{"celsius", 21.5}})) << t.dump();
            EXPECT_EQ(t["lastEvent"]["headers"],
                      json::array({{{"key", "site"}, {"value", "plant-1"}}}))
                << t.dump();
        }
    }

    // Queries make it active; without them it is idle again after its window.
    ASSERT_TRUE(wait_until(
        [&] {
            ask(port, "{ topic(topic: \"alarms\") { topic } }");
            return occurrences(host->err(), "graphql/topics: idle -> active: ") >= 1;
        },
        30s))
        << host->err();
    ASSERT_TRUE(logs(*host, "graphql/topics: active -> idle: ")) << host->err();

    // The broker stopped: not ready, naming it; started again: ready.
    write_config(config(broker("stopped") + browser("topics", port)));
    ASSERT_TRUE(logs(*host, "graphql/topics: idle -> degraded: not ready: ")) << host->err();
    const std::string down = line_of(*host, "graphql/topics: idle -> degraded");
    EXPECT_NE(down.find("127.0.0.1:" + std::to_string(kafka_)), std::string::npos) << down;
    write_config(config(broker() + browser("topics", port)));
    ASSERT_TRUE(logs(*host, "graphql/topics: degraded -> idle: recovered; ", 1, 60s))
        << host->err();
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(GraphqlRun, a_second_server_on_a_taken_port_is_named_whoever_holds_it) {
    // Another program holds the port: the server dies of EADDRINUSE.
    const uint16_t port = free_port();
    Listener squatter(port);
    ASSERT_TRUE(squatter.listening());
    // Another worker holds it: nothing is deployed.
    const uint16_t shared = free_port();
    write_config(config(browser("late", port) + user_server("first", shared) +
                        user_server("second", shared)));
    auto host = start();
    ASSERT_TRUE(logs(*host, "graphql/late: starting -> degraded: ")) << host->err();
    // Whichever of the two reserves the port first runs; the other waits.
    std::string holder, waiter;
    ASSERT_TRUE(wait_until(
        [&] {
            for (const auto &[a, b] : {std::pair{"first", "second"}, std::pair{"second", "first"}})
                if (occurrences(host->err(), "graphql/" + std::string(a) + ": starting -> idle") >
                    0) {
                    holder = a;
                    waiter = b;
                }
            return !holder.empty();
        },
        30s))
        << host->err();
    // The reason follows each death; --status shows the newest.
    std::string shown;
    EXPECT_TRUE(wait_until(
        [&] {
            shown = status();
            return shown.find("port " + std::to_string(port) +
                              " is taken by another program (EADDRINUSE): Error: listen "
                              "EADDRINUSE: address already in use 127.0.0.1:" +
                              std::to_string(port)) != std::string::npos;
        },
        30s))
        << shown << read_file(sandbox_.log_root() / "graphql-late" / "current");
    EXPECT_NE(shown.find("server exited with code 1"), std::string::npos) << shown;
    EXPECT_NE(
        shown.find("port " + std::to_string(shared) + " is reserved by worker graphql/" + holder),
        std::string::npos)
        << shown;
    EXPECT_FALSE(fs::exists(sandbox_.scan_dir() / ("graphql-" + waiter)));
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(GraphqlRun, a_user_s_server_killed_restarted_adopted_and_removal_leaves_nothing) {
    const uint16_t port = free_port();
    write_config(config(user_server("api", port)));
    auto host = start();
    ASSERT_TRUE(logs(*host, "graphql/api: starting -> idle: answering { __typename }"))
        << host->err();
    EXPECT_EQ(ask(port, "{ hello(name: \"warden\") }"),
              json({{"data", {{"hello", "hello, warden"}}}}));
    const pid_t first = pid_of("graphql-api");
    ASSERT_NE(first, 0);
    ASSERT_EQ(::kill(first, SIGKILL), 0);
    ASSERT_TRUE(logs(*host, "graphql/api: idle -> degraded: ")) << host->err();
    ASSERT_TRUE(logs(*host, "graphql/api: degraded -> idle: recovered; ")) << host->err();
    const pid_t second = pid_of("graphql-api");
    EXPECT_NE(second, 0);
    EXPECT_NE(second, first);

    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s));
    auto again = start();
    ASSERT_TRUE(logs(*again, "graphql/api: starting -> idle")) << again->err();
    EXPECT_EQ(pid_of("graphql-api"), second) << "adopted, not restarted";

    // A config change restarts it in place: the same service, a new process.
    std::string changed = user_server("api", port);
    changed.replace(changed.find("MODULES_FROM: "), 14, "GREETING: hi, MODULES_FROM: ");
    write_config(config(changed));
    ASSERT_TRUE(logs(*again, "graphql/api: starting -> idle", 2)) << again->err();
    const pid_t third = pid_of("graphql-api");
    EXPECT_NE(third, 0);
    EXPECT_NE(third, second);
    EXPECT_EQ(ask(port, "{ hello }"), json({{"data", {{"hello", "hello, world"}}}}));

    write_config(config(" []\n"));
    ASSERT_TRUE(logs(*again, "graphql/api: stopping -> stopped")) << again->err();
    EXPECT_TRUE(wait_until([&] { return !process_alive(third); }, 20s));
    EXPECT_TRUE(wait_until([&] { return !fs::exists(sandbox_.scan_dir() / "graphql-api"); }));
    again->signal(SIGTERM);
    EXPECT_TRUE(again->wait(20s));
}

// packaging/demo/warden-demo.yaml as .ci/run-host fills it in, the stand-ins
// for Benthos and Redpanda, and ports of the test's own instead of the
// demo's fixed ones.
TEST_F(GraphqlRun, the_demo_runs_benthos_to_redpanda_to_the_topic_browser) {
    plugins_.add(paths::benthos_plugin);
    std::string demo =
        read_file(fs::path(paths::source_dir) / "packaging" / "demo" / "warden-demo.yaml");
    const uint16_t browser_port = free_port();
    const std::vector<std::pair<std::string, std::string>> fill = {
        {"@BENTHOS@", paths::benthos_fixture},
        {"@REDPANDA@", paths::redpanda_fixture},
        {"@DEMO@", dir_.path().string()},
        {"29092", std::to_string(kafka_)},
        {"29644", std::to_string(admin_)},
        {"29645", std::to_string(rpc_)},
        {"port: 8090", "port: " + std::to_string(browser_port)}};
    for (const auto &[from, to] : fill) {
        ASSERT_NE(demo.find(from), std::string::npos) << from << " is not in the demo config";
        for (auto at = demo.find(from); at != std::string::npos;
             at = demo.find(from, at + to.size()))
            demo.replace(at, from.size(), to);
    }
    write_config("scan_dir: " + sandbox_.scan_dir().string() + "\nplugin_dirs: [" +
                 plugins_.path().string() + "]\n" + demo);
    auto host = start();
    ASSERT_TRUE(logs(*host, "graphql/topics: starting -> idle", 1, 60s)) << host->err();
    json answer;
    EXPECT_TRUE(wait_until(
        [&] {
            answer = ask(browser_port, "{ topic(topic: \"sensors\") { lastEvent { json } } }");
            return answer.is_object() && answer["data"]["topic"].is_object() &&
                   answer["data"]["topic"]["lastEvent"]["json"].is_object();
        },
        60s))
        << answer.dump() << host->err();
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(30s));
}

TEST_F(GraphqlRun, check_config_checks_keys_brokers_ports_and_the_command) {
    const uint16_t port = free_port();
    write_config(config(
        "  - type: graphql\n    name: a\n    config:\n      kafka_brokers: [\"127.0.0.1\"]\n" +
        std::string(
            "  - type: graphql\n    name: b\n    config:\n      command: /nonexistent/api\n")));
    auto check = run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(check.exit_code, 1) << check.describe();
    EXPECT_NE(check.out.find("worker graphql/a: invalid config: kafka_brokers[0]: must be "
                             "host:port, such as 127.0.0.1:9092, got '127.0.0.1'"),
              std::string::npos)
        << check.out;

    write_config(config(browser("a", port) + user_server("b", port)));
    check = run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(check.exit_code, 1) << check.describe();
    EXPECT_NE(check.out.find("port " + std::to_string(port) + " is reserved by worker"),
              std::string::npos)
        << check.out;

    write_config(config(browser("a", port) + user_server("b", free_port()) +
                        "  - type: graphql\n    name: c\n    config:\n      command: "
                        "/nonexistent/api\n"));
    check = run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(check.exit_code, 1) << check.describe();
    EXPECT_NE(check.out.find("command: /nonexistent/api is not an executable file"),
              std::string::npos)
        << check.out;
    EXPECT_EQ(check.out.find("graphql/a"), std::string::npos)
        << "the browser passes: " << check.out;
}

}  // namespace
}  // namespace warden::host
