// SPDX-License-Identifier: Apache-2.0
// benthos_worker_test.cpp — the `benthos` worker through the SDK's fake
// host: lint answered by a command handler, Benthos's endpoints by HTTP
// routes, s6 in memory. FakeWorker::step() is one supervisor tick.
#include <warden/plugin.h>
#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using warden::CommandResult;
using warden::HttpResponse;
using warden::testing::FakeHost;
using warden::testing::FakeWorker;

constexpr int64_t kSecond = 1'000'000'000;
constexpr const char *kBridge =
    R"({"binary":"/opt/benthos","http_port":4195,"error_window_ms":5000,)"
    R"("input":{"generate":{"mapping":"root = \"hello\"","interval":"100ms"}},)"
    R"("output":{"drop":{}}})";
constexpr uint32_t kPort = 4195;
constexpr const char *kConnectError =
    "level=error msg=\"Failed to connect to socket: dial tcp 127.0.0.1:9: connect: connection "
    "refused\" @service=benthos label=\"\" path=root.output";

// kBridge with `extra` ("\"key\":value,") among its keys.
std::string bridge_with(const std::string &extra) {
    return "{" + extra + (kBridge + 1);
}

std::string metrics(int input, int output_error) {
    return "# TYPE input_received counter\n"
           "input_received{label=\"\",path=\"root.input\"} " +
           std::to_string(input) + "\noutput_error{label=\"\",path=\"root.output\"} " +
           std::to_string(output_error) + "\n";
}

class BenthosWorkerTest : public ::testing::Test {
protected:
    void SetUp() override {
        type_ = host_.worker_type("benthos");
        host_.on_command([this](const warden::Command &) { return lint_answer_; });
        serve(true, 0, 0);
    }

    // Benthos's three endpoints, as a running pipeline answers them.
    void serve(bool ready, int input, int output_error) {
        host_.serve_http(kPort, "/ping", HttpResponse{200, "pong"});
        host_.serve_http(
            kPort, "/ready",
            ready ? HttpResponse{200, "OK"} : HttpResponse{503, "output not connected\n"});
        host_.serve_http(kPort, "/metrics", HttpResponse{200, metrics(input, output_error)});
    }

    // Steps once a second until the worker is in `state` and stays.
    void settle(FakeWorker &worker, const std::string &state, int max_steps = 30) {
        if (!worker.settle(state, max_steps, kSecond))
            FAIL() << "worker did not settle in " << state << "; it is in " << worker.state()
                   << ": " << worker.step().reason;
    }

    std::string reason(FakeWorker &worker) { return worker.step().reason; }

    // Steps every `every` seconds, from now, until the worker restarts the
    // process (the host's clock stays at that step); how many seconds that
    // took, -1 when it did not within `limit`.
    int seconds_until_restart(FakeWorker &worker, int limit, warden::testing::NextResult &restart,
                              int every = 1) {
        for (int s = 0; s <= limit; s += every) {
            restart = worker.step();
            if (restart.action == "restart") return s;
            host_.advance(every * kSecond);
        }
        return -1;
    }
    int seconds_until_restart(FakeWorker &worker, int limit, int every = 1) {
        warden::testing::NextResult ignored;
        return seconds_until_restart(worker, limit, ignored, every);
    }

    int64_t pid() { return host_.service("benthos-bridge-1").status.pid; }

    FakeHost host_;
    const warden_plugin *plugin_ = host_.load(&warden_plugin_entry);
    const warden_worker_type *type_ = nullptr;
    CommandResult lint_answer_{0, 0, ""};
};

TEST_F(BenthosWorkerTest, describes_itself) {
    EXPECT_EQ(warden::view(plugin_->name), "benthos");
    EXPECT_EQ(plugin_->min_host_minor, 2u);
    EXPECT_EQ(warden::view(type_->initial_state), "stopped");
    EXPECT_EQ(type_->state_count, 6u);
    EXPECT_EQ(type_->action_count, 6u);
    EXPECT_NE(type_->check_config, nullptr);
}

TEST_F(BenthosWorkerTest, lints_deploys_then_runs_idle_and_active) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    const auto commands = host_.commands();
    ASSERT_EQ(commands.size(), 1u);
    EXPECT_EQ(commands[0].argv, (std::vector<std::string>{"/opt/benthos", "lint", "benthos.yaml"}));
    ASSERT_EQ(commands[0].files.size(), 1u);
    EXPECT_NE(commands[0].files[0].content.find("\"address\": \"127.0.0.1:4195\""),
              std::string::npos);
    ASSERT_TRUE(host_.has_service("benthos-bridge-1"));
    const auto service = host_.service("benthos-bridge-1");
    EXPECT_EQ(service.spec.argv,
              (std::vector<std::string>{"/opt/benthos", "-c", "data/benthos.yaml"}));
    EXPECT_EQ(service.spec.files[0].content, commands[0].files[0].content);
    EXPECT_EQ(reason(worker), "live and ready; no input in the last minute");

    serve(true, 50, 0);
    settle(worker, "active");
    EXPECT_NE(reason(worker).find("input "), std::string::npos);
}

TEST_F(BenthosWorkerTest, a_config_lint_rejects_is_never_deployed) {
    lint_answer_ = CommandResult{1, 0, "benthos.yaml(12,5) field nope not recognised\n"};
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "starting");
    EXPECT_EQ(reason(worker),
              "benthos lint rejected the config: benthos.yaml(12,5) field nope not recognised; "
              "nothing deployed");
    EXPECT_FALSE(host_.has_service("benthos-bridge-1"));
    EXPECT_EQ(host_.commands().size(), 1u) << "the same bytes are linted once";
}

TEST_F(BenthosWorkerTest, a_binary_that_cannot_run_is_named_and_tried_again) {
    host_.on_command([](const warden::Command &c) -> CommandResult {
        throw warden::Error(WARDEN_ERR_NOT_FOUND, "cannot run " + c.argv[0] + ": No such file");
    });
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    for (int i = 0; i < 5; ++i) {
        worker.step();
        host_.advance(kSecond);
    }
    const auto result = worker.step();
    EXPECT_EQ(result.action, "check");
    EXPECT_NE(result.reason.find("benthos lint could not run: "), std::string::npos)
        << result.reason;
    EXPECT_NE(result.reason.find("cannot run /opt/benthos: No such file"), std::string::npos)
        << result.reason;
    EXPECT_FALSE(host_.has_service("benthos-bridge-1"));
}

TEST_F(BenthosWorkerTest, a_lint_that_is_killed_is_no_verdict_on_the_config) {
    lint_answer_ = CommandResult{0, 9, ""};
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    worker.step();
    const auto linted = worker.step();
    ASSERT_EQ(linted.action, "check");
    const auto result = worker.execute("check");
    EXPECT_NE(result.status, WARDEN_OK);
    EXPECT_EQ(result.error, "benthos lint did not finish: killed by signal 9");
    lint_answer_ = CommandResult{0, 0, ""};
    settle(worker, "idle");
}

TEST_F(BenthosWorkerTest, a_port_another_worker_holds_is_named) {
    host_.hold_port("benthos", "other", "http", kPort);
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "starting");
    const std::string why = reason(worker);
    EXPECT_NE(why.find("cannot deploy: "), std::string::npos) << why;
    EXPECT_NE(why.find("port 4195 is reserved by worker benthos/other"), std::string::npos) << why;
    EXPECT_FALSE(host_.has_service("benthos-bridge-1"));
}

TEST_F(BenthosWorkerTest, output_errors_in_the_window_degrade_it_until_the_window_is_clean) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    host_.set_log("benthos-bridge-1",
                  {"2026-11-22T06:30:00.1  level=error msg=\"Failed to send message to reject: "
                   "nope\" @service=benthos"});
    serve(true, 0, 10);
    settle(worker, "degraded");
    const std::string why = reason(worker);
    EXPECT_EQ(why.rfind("output error rate ", 0), 0u) << why;
    EXPECT_NE(why.find("/s: Failed to send message to reject: nope"), std::string::npos) << why;
    // The counter stays at 10: once the 5 s window holds no growth, it recovers.
    settle(worker, "idle");
}

TEST_F(BenthosWorkerTest, not_ready_is_degraded_with_benthos_reason) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    serve(false, 0, 0);
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker), "not ready for 2.0 s: output not connected; restart in 58.0 s");
    serve(true, 0, 0);
    settle(worker, "idle");
}

TEST_F(BenthosWorkerTest, a_crashing_process_is_degraded_with_its_exit_code) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    host_.set_log("benthos-bridge-1", {"level=error msg=\"Failed to start HTTP server\""});
    host_.crash_service("benthos-bridge-1", 1);
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker).rfind("pipeline exited with code 1; ", 0), 0u);
    EXPECT_NE(reason(worker).find(": Failed to start HTTP server"), std::string::npos);
    host_.revive_service("benthos-bridge-1");
    settle(worker, "idle");
}

// ---- the figures it publishes (ABI 1.5) -------------------------------------------

// Benthos's /metrics with each counter the figures read, in two series where
// a pipeline may have several (the inputs of a broker, two processors).
std::string all_metrics(int received, int sent, int output_errors, int processor_errors) {
    const auto n = [](int v) { return std::to_string(v); };
    return "# TYPE input_received counter\n"
           "input_received{label=\"a\",path=\"root.input.broker.inputs.0\"} " +
           n(received - received / 3) +
           "\ninput_received{label=\"b\",path=\"root.input.broker.inputs.1\"} " + n(received / 3) +
           "\noutput_sent{label=\"\",path=\"root.output\"} " + n(sent) +
           "\noutput_error{label=\"\",path=\"root.output\"} " + n(output_errors) +
           "\nprocessor_error{label=\"\",path=\"root.pipeline.processors.0\"} 1" +
           "\nprocessor_error{label=\"\",path=\"root.pipeline.processors.1\"} " +
           n(processor_errors - 1) + "\n";
}

TEST_F(BenthosWorkerTest, publishes_benthos_totals_and_the_last_minutes_rates) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    for (int s = 0; s <= 60; ++s) {  // a whole minute of nothing counted
        worker.step();
        host_.advance(kSecond);
    }
    host_.serve_http(kPort, "/metrics", HttpResponse{200, all_metrics(120, 90, 3, 4)});
    worker.step();
    const auto value = [&](const char *name) {
        const auto f = host_.figure("benthos", "bridge-1", name);
        EXPECT_TRUE(f.has_value()) << name;
        return f ? f->value : -1;
    };
    EXPECT_EQ(value("input_received_total"), 120);
    EXPECT_EQ(value("output_sent_total"), 90);
    EXPECT_EQ(value("output_error_total"), 3);
    EXPECT_EQ(value("processor_error_total"), 4);
    EXPECT_EQ(value("input_received_per_second"), 2.0) << "120 over the last minute";
    EXPECT_EQ(value("output_sent_per_second"), 1.5);

    const auto figures = host_.figures();
    ASSERT_EQ(figures.size(), 6u);
    for (const auto &f : figures) {
        const bool total = f.name.size() > 6 && f.name.substr(f.name.size() - 6) == "_total";
        EXPECT_EQ(f.kind, total ? warden::FigureKind::counter : warden::FigureKind::gauge)
            << f.name;
        EXPECT_TRUE(f.label_name.empty()) << f.name;
    }
    EXPECT_EQ(host_.figure("benthos", "bridge-1", "input_received_total")->help,
              "Messages the pipeline's inputs received since its process started (Benthos's "
              "input_received, summed over its inputs).");
    EXPECT_FALSE(host_.logged("figure", warden::Level::warn));
}

TEST_F(BenthosWorkerTest, its_rates_read_zero_while_its_process_is_down_and_its_totals_stay) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    host_.serve_http(kPort, "/metrics", HttpResponse{200, all_metrics(30, 30, 0, 1)});
    settle(worker, "active");
    EXPECT_GT(host_.figure("benthos", "bridge-1", "output_sent_per_second")->value, 0);
    host_.crash_service("benthos-bridge-1", 1);
    settle(worker, "degraded");
    EXPECT_EQ(host_.figure("benthos", "bridge-1", "output_sent_per_second")->value, 0);
    EXPECT_EQ(host_.figure("benthos", "bridge-1", "input_received_per_second")->value, 0);
    EXPECT_EQ(host_.figure("benthos", "bridge-1", "output_sent_total")->value, 30);

    // Started again, Benthos counts from zero: a total lower than the last
    // one is published as it is (Prometheus reads a counter reset).
    host_.serve_http(kPort, "/metrics", HttpResponse{200, all_metrics(2, 2, 0, 1)});
    host_.revive_service("benthos-bridge-1");
    worker.step();
    EXPECT_EQ(host_.figure("benthos", "bridge-1", "output_sent_total")->value, 2);
}

TEST_F(BenthosWorkerTest, publishes_no_figures_to_a_host_older_than_1_5_and_says_nothing) {
    host_.speak_abi_minor(4);
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    serve(true, 50, 0);
    settle(worker, "active");
    EXPECT_TRUE(host_.figures().empty());
    EXPECT_FALSE(host_.logged("figure", warden::Level::warn));
}

TEST_F(BenthosWorkerTest, a_config_change_lint_rejects_leaves_the_pipeline_running) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    const int64_t pid = host_.service("benthos-bridge-1").status.pid;
    const std::string before = host_.service("benthos-bridge-1").spec.files[0].content;

    lint_answer_ = CommandResult{1, 0, "benthos.yaml(3,3) field outptu not recognised\n"};
    worker.set_config(
        R"({"binary":"/opt/benthos","http_port":4195,"input":{"stdin":{}},"output":{"drop":{}}})");
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker),
              "benthos lint rejected the config: benthos.yaml(3,3) field outptu not recognised; "
              "the previous config keeps running");
    EXPECT_EQ(host_.service("benthos-bridge-1").status.pid, pid);
    EXPECT_EQ(host_.service("benthos-bridge-1").spec.files[0].content, before);

    lint_answer_ = CommandResult{0, 0, ""};
    worker.set_config(R"({"binary":"/opt/benthos","http_port":4195,"input":{"stdin":{}},)"
                      R"("output":{"drop":{}},"log_level":"debug"})");
    settle(worker, "idle");
    EXPECT_NE(host_.service("benthos-bridge-1").spec.files[0].content, before);
}

TEST_F(BenthosWorkerTest, check_config_runs_lint_and_says_why) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    EXPECT_TRUE(worker.check_config().ok());
    lint_answer_ = CommandResult{1, 0, "benthos.yaml(5,5) field nope not recognised\n"};
    const auto result = worker.check_config();
    EXPECT_EQ(result.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(result.error,
              "benthos lint rejected the config: benthos.yaml(5,5) field nope not recognised");
}

// `user` and `group` reach the spec (the fake host plays root); lint still
// runs as the host's own user, and check_config names an account the host
// would refuse.
TEST_F(BenthosWorkerTest, runs_the_pipeline_as_the_user_and_group_the_config_names) {
    FakeWorker ghost(host_, type_, "bridge-1", bridge_with(R"("user":"ghost",)"));
    EXPECT_EQ(ghost.check_config().error, "user 'ghost' does not exist on this machine");
    FakeWorker worker(host_, type_, "bridge-1",
                      bridge_with(R"("user":"nobody","group":"nogroup",)"));
    EXPECT_TRUE(worker.check_config().ok()) << worker.check_config().error;
    settle(worker, "idle");
    EXPECT_EQ(host_.service("benthos-bridge-1").spec.user, "nobody");
    EXPECT_EQ(host_.service("benthos-bridge-1").spec.group, "nogroup");
}

TEST_F(BenthosWorkerTest, stops_and_removes_its_service_on_shutdown) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    worker.request_shutdown();
    for (int i = 0; i < 20 && worker.step().signal != warden::Signal::needs_removal; ++i)
        host_.advance(kSecond);
    EXPECT_EQ(worker.state(), "stopped");
    EXPECT_FALSE(host_.has_service("benthos-bridge-1"));
}

TEST_F(BenthosWorkerTest, a_pipeline_not_ready_is_restarted_in_place_at_the_deadline_not_before) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    const int64_t first = pid();
    host_.set_log("benthos-bridge-1", {kConnectError});
    serve(false, 0, 0);
    for (int s = 0; s < 60; ++s) {
        const auto result = worker.step();
        ASSERT_NE(result.action, "restart") << "after " << s << " s: " << result.reason;
        if (s == 12) {
            EXPECT_EQ(result.reason,
                      "not ready for 12.0 s: output not connected: Failed to connect to socket: "
                      "dial tcp 127.0.0.1:9: connect: connection refused; restart in 48.0 s");
        }
        host_.advance(kSecond);
    }
    EXPECT_EQ(worker.state(), "degraded");
    EXPECT_EQ(pid(), first);

    const auto restart = worker.step();
    EXPECT_EQ(restart.action, "restart");
    EXPECT_EQ(restart.reason,
              "not ready for 60.0 s: output not connected: Failed to connect to socket: dial tcp "
              "127.0.0.1:9: connect: connection refused; restarting it in place (restart 1, next "
              "after 120.0 s)");
    EXPECT_TRUE(worker.last_action_result().ok()) << worker.last_action_result().error;
    const auto service = host_.service("benthos-bridge-1");
    EXPECT_NE(service.status.pid, first);
    ASSERT_EQ(service.commands.size(), 1u);
    EXPECT_EQ(service.commands[0].first, warden::ServiceCommand::restart);
    EXPECT_EQ(service.updates, 0) << "the same service, restarted in place";
    EXPECT_EQ(worker.state(), "degraded");
}

TEST_F(BenthosWorkerTest, each_further_not_ready_restart_waits_twice_as_long) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    serve(false, 0, 0);
    ASSERT_EQ(seconds_until_restart(worker, 100), 60);
    const int64_t second = pid();
    host_.advance(kSecond);
    EXPECT_EQ(reason(worker), "not ready for 1.0 s: output not connected; restart 2 in 119.0 s");

    warden::testing::NextResult restart;
    ASSERT_EQ(seconds_until_restart(worker, 200, restart), 119);
    EXPECT_EQ(
        restart.reason,
        "not ready for 120.0 s: output not connected; restarting it in place (restart 2, next "
        "after 240.0 s)");
    EXPECT_NE(pid(), second);
    ASSERT_EQ(seconds_until_restart(worker, 300, restart), 240);
    EXPECT_EQ(
        restart.reason,
        "not ready for 240.0 s: output not connected; restarting it in place (restart 3, next "
        "after 480.0 s)");
    EXPECT_EQ(worker.state(), "degraded");
}

TEST_F(BenthosWorkerTest, the_wait_between_not_ready_restarts_stops_growing_at_30_minutes) {
    FakeWorker worker(host_, type_, "bridge-1", bridge_with(R"("not_ready_restart_ms":480000,)"));
    settle(worker, "idle");
    serve(false, 0, 0);
    // Stepped every 10 s, as the waits are whole multiples of it.
    warden::testing::NextResult restart;
    ASSERT_EQ(seconds_until_restart(worker, 500, restart, 10), 480);
    EXPECT_NE(restart.reason.find("(restart 1, next after 960.0 s)"), std::string::npos)
        << restart.reason;
    ASSERT_EQ(seconds_until_restart(worker, 1000, restart, 10), 960);
    EXPECT_NE(restart.reason.find("(restart 2, next after 1800.0 s)"), std::string::npos)
        << restart.reason;
    ASSERT_EQ(seconds_until_restart(worker, 2000, restart, 10), 1800);
    EXPECT_NE(restart.reason.find("(restart 3, next after 1800.0 s)"), std::string::npos)
        << restart.reason;
    ASSERT_EQ(seconds_until_restart(worker, 2000, restart, 10), 1800);
    EXPECT_EQ(
        restart.reason,
        "not ready for 1800.0 s: output not connected; restarting it in place (restart 4, next "
        "after 1800.0 s)");
}

TEST_F(BenthosWorkerTest, not_ready_restarts_count_from_one_again_after_it_ran_ready) {
    FakeWorker worker(host_, type_, "bridge-1", kBridge);
    settle(worker, "idle");
    serve(false, 0, 0);
    ASSERT_EQ(seconds_until_restart(worker, 100), 60);

    // Ready for less than the 3 s hold: still the same stuck pipeline.
    serve(true, 0, 0);
    for (int s = 0; s < 3; ++s) {
        host_.advance(kSecond);
        worker.step();
    }
    EXPECT_EQ(worker.state(), "degraded");
    serve(false, 0, 0);
    warden::testing::NextResult restart;
    ASSERT_EQ(seconds_until_restart(worker, 200, restart), 120);
    EXPECT_NE(restart.reason.find("(restart 2, next after 240.0 s)"), std::string::npos)
        << restart.reason;

    // Live and ready for the hold: it runs again, and the count starts over.
    serve(true, 0, 0);
    settle(worker, "idle");
    serve(false, 0, 0);
    ASSERT_EQ(seconds_until_restart(worker, 200, restart), 60);
    EXPECT_EQ(restart.reason,
              "not ready for 60.0 s: output not connected; restarting it in place (restart 1, next "
              "after 120.0 s)");
}

TEST_F(BenthosWorkerTest, not_ready_restart_ms_0_never_restarts_it) {
    FakeWorker worker(host_, type_, "bridge-1", bridge_with(R"("not_ready_restart_ms":0,)"));
    settle(worker, "idle");
    const int64_t first = pid();
    serve(false, 0, 0);
    EXPECT_EQ(seconds_until_restart(worker, 3600, /*every=*/10), -1);
    EXPECT_EQ(worker.state(), "degraded");
    EXPECT_EQ(reason(worker), "not ready: output not connected");
    EXPECT_EQ(pid(), first);
    EXPECT_TRUE(host_.service("benthos-bridge-1").commands.empty());
}

TEST_F(BenthosWorkerTest, a_deadline_shorter_than_the_start_grace_restarts_it_from_starting) {
    serve(false, 0, 0);
    FakeWorker worker(host_, type_, "bridge-1", bridge_with(R"("not_ready_restart_ms":2000,)"));
    warden::testing::NextResult step;
    int waiting = 0;  // steps that showed the process up and not ready, still starting
    for (int s = 0; s < 20 && step.state != "degraded"; ++s) {
        host_.advance(kSecond);
        step = worker.step();
        if (worker.state() == "starting" && step.reason.rfind("pipeline ", 0) == 0) {
            ++waiting;
            EXPECT_NE(step.reason.find(" s: output not connected; restart in "), std::string::npos)
                << step.reason;
        }
    }
    EXPECT_GT(waiting, 0);
    ASSERT_EQ(worker.state(), "degraded");
    EXPECT_EQ(step.reason,
              "not ready for 2.0 s: output not connected; restarting it in place (restart 1, next "
              "after 4.0 s)");
    const int64_t first = pid();
    const auto restart = worker.step();  // the new state decides at once
    EXPECT_EQ(restart.action, "restart");
    EXPECT_NE(pid(), first);
    host_.advance(kSecond);
    EXPECT_EQ(reason(worker), "not ready for 1.0 s: output not connected; restart 2 in 3.0 s");
}

}  // namespace
