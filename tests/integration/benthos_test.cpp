// SPDX-License-Identifier: Apache-2.0
// tests/integration/benthos_test.cpp — the `benthos` worker end to end: the
// real `warden` binary on a real s6-svscan, the plugin loaded from its .so,
// and the Benthos stand-in (tests/fixtures/benthos_fixture) as the binary.
// The assertions are what a user sees: the host's state-change lines with
// their reasons, `--check-config`'s words, pids, service dirs and log files.
#include "loopback.hpp"
#include "plugin_dir.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include "s6/s6_client.hpp"

#include <httplib.h>
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using warden::test::BackgroundProcess;
using warden::test::free_port;
using warden::test::Listener;
using warden::test::occurrences;
using warden::test::PluginDir;
using warden::test::read_file;
using warden::test::run_process;
using warden::test::S6Sandbox;
using warden::test::TempDir;
using warden::test::wait_until;
using warden::test::write_file;

// Sections of a worker's config, as YAML flow mappings.
constexpr const char *kGenerate = "{ generate: { mapping: 'root = \"hello\"', interval: 50ms } }";
constexpr const char *kHttpServer = "{ http_server: { path: /post } }";
constexpr const char *kDrop = "{ drop: {} }";

// Each worker gets a port of its own from the kernel, so tests running at
// the same time (each with its own host and port registry) never meet on one.
struct Pipeline {
    std::string input = kGenerate;
    std::string output = kDrop;
    std::string extra;  // more config lines, each "      key: value\n"
    uint16_t port = free_port();
};

std::string benthos_worker(const std::string &name, const Pipeline &p,
                           const std::string &desired = "running") {
    return "  - type: benthos\n    name: " + name + "\n    desired_state: " + desired +
           "\n    config:\n      binary: " + paths::benthos_fixture +
           "\n      http_port: " + std::to_string(p.port) + "\n      input: " + p.input +
           "\n      pipeline: { processors: [ { mapping: 'root = content().uppercase()' } ] }\n"
           "      output: " +
           p.output + "\n" + p.extra;
}

class BenthosRun : public ::testing::Test {
protected:
    void SetUp() override { plugins_.add(paths::benthos_plugin); }

    std::string config(const std::string &workers) const {
        return "scan_dir: " + sandbox_.scan_dir().string() + "\nplugin_dirs: [" +
               plugins_.path().string() +
               "]\nsupervisor: {tick_ms: 20, observation_interval_ms: 200}\nworkers:\n" + workers;
    }
    void write_config(const std::string &workers) {
        write_file(dir_ / "warden.yaml", config(workers));
    }
    std::string config_file() const { return (dir_ / "warden.yaml").string(); }

    std::unique_ptr<BackgroundProcess> start() {
        ++runs_;
        return std::make_unique<BackgroundProcess>(
            std::vector<std::string>{paths::warden_binary, "--config", config_file(), "--log-dir",
                                     sandbox_.log_root().string()},
            dir_ / ("out-" + std::to_string(runs_)), dir_ / ("err-" + std::to_string(runs_)));
    }

    // Waits until the host has logged `needle` `times` times; the Benthos
    // states wait for readiness to hold 3 s, and degraded-when-not-ready
    // takes 10 s, so the deadline is generous.
    static bool logs(const BackgroundProcess &host, const std::string &needle, int times = 1,
                     std::chrono::milliseconds timeout = 40s) {
        return wait_until([&] { return occurrences(host.err(), needle) >= times; }, timeout);
    }

    // The host's line for the newest change matching `change`.
    static std::string line_of(const BackgroundProcess &host, const std::string &change) {
        return warden::test::last_line_from(host.err(), change);
    }

    // What `warden --status` shows: the state, its reason, the last action.
    std::string status() const {
        return run_process({paths::warden_binary, "--config", config_file(), "--status"}).out;
    }

    pid_t pid_of(const std::string &service) {
        auto status = client_.observe(service);
        return status && status->up ? static_cast<pid_t>(status->pid) : 0;
    }

    std::string service_log(const std::string &service) {
        return read_file(sandbox_.log_root() / service / "current");
    }

    S6Sandbox sandbox_{/*start_svscan=*/false};
    S6Client client_{sandbox_.options()};
    PluginDir plugins_;
    TempDir dir_{"warden-benthos"};
    int runs_ = 0;
};

TEST_F(BenthosRun, runs_a_pipeline_idle_then_active_and_removal_leaves_nothing) {
    const uint16_t port = free_port();
    write_config(benthos_worker("bridge", {kHttpServer, kDrop, "", port}));
    auto host = start();
    ASSERT_TRUE(logs(*host, "benthos/bridge: stopped -> starting: desired state is running"))
        << host->err();
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> idle: live and ready; ")) << host->err();
    EXPECT_NE(
        line_of(*host, "benthos/bridge: starting -> idle").find("no input in the last minute"),
        std::string::npos);
    const fs::path config_yaml = sandbox_.scan_dir() / "benthos-bridge" / "data" / "benthos.yaml";
    EXPECT_NE(read_file(config_yaml).find("\"address\": \"127.0.0.1:" + std::to_string(port)),
              std::string::npos);

    httplib::Client client("127.0.0.1", port);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.Post("/post", "hello", "text/plain"));
    ASSERT_TRUE(logs(*host, "benthos/bridge: idle -> active: input ")) << host->err();

    const pid_t pid = pid_of("benthos-bridge");
    ASSERT_NE(pid, 0);
    write_config(" []\n");
    ASSERT_TRUE(logs(*host, "benthos/bridge: active -> stopping: shutdown requested"))
        << host->err();
    ASSERT_TRUE(logs(*host, "benthos/bridge: stopping -> stopped")) << host->err();
    EXPECT_TRUE(wait_until([&] { return !warden::test::process_alive(pid); }, 10s));
    EXPECT_TRUE(wait_until([&] { return !fs::exists(sandbox_.scan_dir() / "benthos-bridge"); }));
    EXPECT_NE(service_log("benthos-bridge").find("Running main config from specified file"),
              std::string::npos)
        << "logs are kept";
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(BenthosRun, a_config_lint_rejects_is_not_deployed_and_check_config_says_why) {
    write_config(benthos_worker("bad", {kGenerate, "{ nonexistent_output: {} }", ""}));
    const auto check =
        run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(check.exit_code, 1) << check.describe();
    EXPECT_NE(check.out.find("worker benthos/bad: benthos lint rejected the config: "),
              std::string::npos)
        << check.out;
    EXPECT_NE(check.out.find("nonexistent_output"), std::string::npos) << check.out;

    auto host = start();
    ASSERT_TRUE(logs(*host, "benthos lint rejected the config: ")) << host->err();
    std::string shown;
    ASSERT_TRUE(wait_until(
        [&] {
            shown = run_process({paths::warden_binary, "--config", config_file(), "--status"}).out;
            return shown.find("; nothing deployed") != std::string::npos;
        },
        20s))
        << shown;
    EXPECT_NE(shown.find("benthos lint rejected the config: "), std::string::npos) << shown;
    EXPECT_FALSE(fs::exists(sandbox_.scan_dir() / "benthos-bad"));
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(BenthosRun, a_config_change_restarts_in_place_and_a_rejected_one_leaves_it_running) {
    const uint16_t port = free_port();
    write_config(benthos_worker("bridge", {kGenerate, kDrop, "", port}));
    auto host = start();
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> active: input ")) << host->err();
    const pid_t first = pid_of("benthos-bridge");
    ASSERT_NE(first, 0);

    write_config(benthos_worker("bridge", {kGenerate, "{ nonexistent_output: {} }", "", port}));
    ASSERT_TRUE(logs(*host, "benthos/bridge: active -> degraded: benthos lint rejected the config"))
        << host->err();
    EXPECT_NE(line_of(*host, "benthos/bridge: active -> degraded")
                  .find("; the previous config keeps running"),
              std::string::npos);
    EXPECT_EQ(pid_of("benthos-bridge"), first);

    write_config(benthos_worker("bridge", {kGenerate, kDrop, "      log_level: debug\n", port}));
    ASSERT_TRUE(logs(*host, "benthos/bridge: degraded -> starting: config changed")) << host->err();
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> active", 2)) << host->err();
    const pid_t second = pid_of("benthos-bridge");
    EXPECT_NE(second, 0);
    EXPECT_NE(second, first);
    const std::string log = service_log("benthos-bridge");
    EXPECT_GE(occurrences(log, "Running main config from specified file"), 2)
        << "the old process's log lines are kept beside the new one's";
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(BenthosRun, a_process_killed_by_a_signal_is_restarted_by_s6_and_runs_again) {
    write_config(benthos_worker("bridge", {}));
    auto host = start();
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> active")) << host->err();
    const pid_t first = pid_of("benthos-bridge");
    ASSERT_EQ(::kill(first, SIGKILL), 0);
    // Seen dead ("pipeline was killed by signal 9") or already restarted and
    // not yet listening ("not live"): which depends on when it is observed.
    ASSERT_TRUE(logs(*host, "benthos/bridge: active -> degraded: ")) << host->err() << status();
    const std::string degraded = line_of(*host, "benthos/bridge: active -> degraded");
    EXPECT_TRUE(degraded.find("killed by signal 9") != std::string::npos ||
                degraded.find("not live: ") != std::string::npos)
        << degraded;
    ASSERT_TRUE(logs(*host, "benthos/bridge: degraded -> active: recovered; "))
        << host->err() << status();
    EXPECT_NE(pid_of("benthos-bridge"), first);
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(BenthosRun, not_ready_while_its_output_cannot_connect_then_running_once_it_can) {
    const uint16_t sink = free_port();
    write_config(benthos_worker(
        "bridge",
        {kGenerate,
         "{ socket: { network: tcp, address: '127.0.0.1:" + std::to_string(sink) + "' } }", ""}));
    auto host = start();
    // After the 10 s start grace; restarted only after the default 60 s.
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> degraded: not ready for ")) << host->err();
    const std::string degraded = line_of(*host, "benthos/bridge: starting -> degraded");
    EXPECT_NE(degraded.find(" s: output not connected: Failed to connect"), std::string::npos)
        << degraded;
    EXPECT_NE(degraded.find("; restart in "), std::string::npos) << degraded;
    Listener listener(sink);
    ASSERT_TRUE(logs(*host, "benthos/bridge: degraded -> active: recovered; ")) << host->err();
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(BenthosRun, a_pipeline_that_stays_not_ready_is_restarted_in_place_then_runs_once_it_can) {
    const uint16_t sink = free_port();
    const std::string output =
        "{ socket: { network: tcp, address: '127.0.0.1:" + std::to_string(sink) + "' } }";
    write_config(
        benthos_worker("bridge", {kGenerate, output, "      not_ready_restart_ms: 2000\n"}));
    auto host = start();
    pid_t first = 0;
    ASSERT_TRUE(wait_until([&] { return (first = pid_of("benthos-bridge")) != 0; }, 20s))
        << host->err();

    // 2 s not ready: restarted in place (it is not starting any more).
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> degraded: not ready for ", 1, 20s))
        << host->err();
    const std::string restarting = line_of(*host, "benthos/bridge: starting -> degraded");
    EXPECT_NE(restarting.find(" s: output not connected: Failed to connect"), std::string::npos)
        << restarting;
    EXPECT_NE(restarting.find("; restarting it in place (restart 1, next after 4.0 s)"),
              std::string::npos)
        << restarting;
    pid_t second = 0;
    ASSERT_TRUE(wait_until(
        [&] {
            second = pid_of("benthos-bridge");
            return second != 0 && second != first;
        },
        10s))
        << host->err();

    // Still not ready: the next restart waits twice as long, and says so.
    std::string shown;
    ASSERT_TRUE(wait_until(
        [&] {
            shown = status();
            return shown.find("restart ok") != std::string::npos &&
                   shown.find(" s: output not connected") != std::string::npos &&
                   shown.find("; restart 2 in ") != std::string::npos;
        },
        10s))
        << shown;

    Listener listener(sink);
    ASSERT_TRUE(logs(*host, "benthos/bridge: degraded -> active: recovered; ", 1, 20s))
        << host->err() << status();
    EXPECT_TRUE(fs::exists(sandbox_.scan_dir() / "benthos-bridge"));
    EXPECT_GE(occurrences(service_log("benthos-bridge"), "Running main config from specified file"),
              2)
        << "restarted in place: the old process's log lines are kept beside the new one's";
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(BenthosRun, output_errors_degrade_it_with_benthos_error_line) {
    const uint16_t port = free_port();
    write_config(benthos_worker("bridge", {kGenerate, "{ reject: 'no thanks' }", "", port}));
    auto host = start();
    ASSERT_TRUE(logs(*host, "-> degraded: output error rate ")) << host->err();
    EXPECT_NE(line_of(*host, "-> degraded: output error rate ")
                  .find("/s: Failed to send message to reject: no thanks"),
              std::string::npos)
        << host->err();
    write_config(benthos_worker("bridge", {kGenerate, kDrop, "", port}));
    ASSERT_TRUE(logs(*host, "benthos/bridge: degraded -> starting: config changed")) << host->err();
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> active")) << host->err();
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(BenthosRun, a_crash_loop_shows_the_exit_code_and_benthos_reason) {
    const uint16_t port = free_port();
    auto occupied = std::make_unique<Listener>(port);
    write_config(benthos_worker("bridge", {kGenerate, kDrop, "", port}));
    auto host = start();
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> degraded: pipeline exited with code 1"))
        << host->err();
    EXPECT_NE(line_of(*host, "benthos/bridge: starting -> degraded").find("address already in use"),
              std::string::npos)
        << host->err();
    occupied.reset();
    ASSERT_TRUE(logs(*host, "benthos/bridge: degraded -> active: recovered; ")) << host->err();
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

TEST_F(BenthosRun, a_restarted_host_adopts_the_running_pipeline_on_the_same_port) {
    write_config(benthos_worker("bridge", {}));
    auto host = start();
    ASSERT_TRUE(logs(*host, "benthos/bridge: starting -> active")) << host->err();
    const pid_t pid = pid_of("benthos-bridge");
    const std::string yaml =
        read_file(sandbox_.scan_dir() / "benthos-bridge" / "data" / "benthos.yaml");
    host->signal(SIGTERM);
    ASSERT_TRUE(host->wait(20s));

    auto again = start();
    ASSERT_TRUE(logs(*again, "benthos/bridge: starting -> active")) << again->err();
    EXPECT_EQ(pid_of("benthos-bridge"), pid) << "adopted, not restarted";
    EXPECT_EQ(read_file(sandbox_.scan_dir() / "benthos-bridge" / "data" / "benthos.yaml"), yaml);
    again->signal(SIGTERM);
    EXPECT_TRUE(again->wait(20s));
}

TEST_F(BenthosRun, two_workers_asking_for_one_port_are_named_and_stopping_keeps_the_service) {
    const uint16_t port = free_port();
    write_config(benthos_worker("one", {kGenerate, kDrop, "", port}) +
                 benthos_worker("two", {kGenerate, kDrop, "", port}));
    const auto check =
        run_process({paths::warden_binary, "--config", config_file(), "--check-config"});
    EXPECT_EQ(check.exit_code, 1) << check.describe();
    EXPECT_NE(check.out.find("worker benthos/two: "), std::string::npos) << check.out;
    EXPECT_NE(check.out.find("is reserved by worker benthos/one"), std::string::npos) << check.out;

    write_config(benthos_worker("one", {kGenerate, kDrop, "", port}));
    auto host = start();
    ASSERT_TRUE(logs(*host, "benthos/one: starting -> active")) << host->err();
    write_config(benthos_worker("one", {kGenerate, kDrop, "", port}, "stopped"));
    ASSERT_TRUE(logs(*host, "benthos/one: active -> stopping: desired state is stopped"))
        << host->err();
    ASSERT_TRUE(logs(*host,
                     "benthos/one: stopping -> stopped: pipeline stopped; service "
                     "benthos-one kept"))
        << host->err();
    EXPECT_EQ(pid_of("benthos-one"), 0);
    EXPECT_TRUE(fs::exists(sandbox_.scan_dir() / "benthos-one"));
    host->signal(SIGTERM);
    EXPECT_TRUE(host->wait(20s));
}

}  // namespace
}  // namespace warden::host
