// SPDX-License-Identifier: Apache-2.0
// exec_worker_test.cpp — the `exec` worker, tested the way a plugin author
// tests a worker: through the SDK's fake host, with no Warden host, no s6 and
// no processes. FakeWorker::step() is one supervisor tick: derive, collect,
// next, then a transition or an action.
#include <warden/plugin.h>
#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using warden::DesiredState;
using warden::Signal;
using warden::testing::FakeHost;
using warden::testing::FakeWorker;

constexpr const char *kSleeper =
    R"({"command":"/bin/sleep","args":["infinity"],"env":{"GREETING":"hello world"}})";
constexpr int64_t kSecond = 1'000'000'000;

class ExecWorkerTest : public ::testing::Test {
protected:
    void SetUp() override { type_ = host_.worker_type("exec"); }

    // Steps the worker, moving the clock 100 ms per step, until it settles
    // in `state`.
    void settle(FakeWorker &worker, const std::string &state) {
        if (!worker.settle(state, 40, kSecond / 10))
            FAIL() << "worker did not settle in " << state << "; it is in " << worker.state();
    }

    FakeHost host_;
    const warden_plugin *plugin_ = host_.load(&warden_plugin_entry);
    const warden_worker_type *type_ = nullptr;
};

std::string derive_error(FakeWorker &worker) {
    const auto result = worker.derive();
    EXPECT_EQ(result.status, WARDEN_ERR_INVALID_ARGUMENT);
    return result.error;
}

TEST_F(ExecWorkerTest, describes_itself) {
    EXPECT_EQ(warden::view(plugin_->name), "exec");
    EXPECT_EQ(warden::view(type_->initial_state), "stopped");
    EXPECT_EQ(type_->state_count, 5u);
    EXPECT_EQ(type_->action_count, 5u);
}

TEST_F(ExecWorkerTest, derives_a_normalised_desired_state) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    const auto result = worker.derive();
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.output,
              R"({"args":["infinity"],"command":"/bin/sleep","env":{"GREETING":"hello world"},)"
              R"("service":"exec-sleeper","stable_after_ms":1000,"working_dir":""})");
}

TEST_F(ExecWorkerTest, refuses_configs_with_a_message_naming_the_key) {
    struct Case {
        const char *config;
        const char *error;
    };
    const Case cases[] = {
        {R"({})", "command: required, the absolute path of the program to run"},
        {R"([1])", "config: must be a mapping with at least `command`"},
        {R"({"command":"sleep"})", "command: must be an absolute path, got 'sleep'"},
        {R"({"command":"/bin/sleep","args":["1",2]})", "args[1]: must be a string"},
        {R"({"command":"/bin/sleep","args":"1"})", "args: must be a list of strings"},
        {R"({"command":"/bin/sleep","env":{"1BAD":"x"}})",
         "env: '1BAD' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)"},
        {R"({"command":"/bin/sleep","env":{"A":1}})", "env.A: must be a string"},
        {R"({"command":"/bin/sleep","working_dir":"tmp"})",
         "working_dir: must be an absolute path, got 'tmp'"},
        {R"({"command":"/bin/sleep","stable_after_ms":-5})",
         "stable_after_ms: must be a whole number of milliseconds from 0 to 3600000"},
        {R"({"comand":"/bin/sleep"})",
         "unknown key 'comand' (known: command, args, env, working_dir, stable_after_ms, user, "
         "group)"},
    };
    for (const Case &c : cases) {
        FakeWorker worker(host_, type_, "bad", c.config);
        EXPECT_EQ(derive_error(worker), c.error) << c.config;
    }
}

// `user` and `group` reach the spec; the host (here the fake, which plays
// root) switches the process to them.
TEST_F(ExecWorkerTest, runs_the_service_as_the_user_and_group_the_config_names) {
    FakeWorker worker(host_, type_, "sleeper",
                      R"({"command":"/bin/sleep","user":"nobody","group":"nogroup"})");
    const auto derived = worker.derive();
    ASSERT_TRUE(derived.ok()) << derived.error;
    EXPECT_EQ(derived.output, R"({"args":[],"command":"/bin/sleep","env":{},"group":"nogroup",)"
                              R"("service":"exec-sleeper","stable_after_ms":1000,"user":"nobody",)"
                              R"("working_dir":""})");
    EXPECT_TRUE(worker.check_config().ok());
    EXPECT_EQ(worker.step().state, "starting");
    EXPECT_EQ(worker.step().action, "deploy");
    ASSERT_TRUE(worker.last_action_result().ok()) << worker.last_action_result().error;
    EXPECT_EQ(host_.service("exec-sleeper").spec.user, "nobody");
    EXPECT_EQ(host_.service("exec-sleeper").spec.group, "nogroup");
}

// --check-config names a user or group the machine lacks, and one a host
// that is not root cannot run the service as; deploying it fails the same way.
TEST_F(ExecWorkerTest, check_config_refuses_an_account_the_host_would_refuse) {
    FakeWorker ghost(host_, type_, "ghost", R"({"command":"/bin/sleep","user":"ghost"})");
    const auto unknown = ghost.check_config();
    EXPECT_EQ(unknown.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(unknown.error, "user 'ghost' does not exist on this machine");
    FakeWorker bad(host_, type_, "bad", R"({"command":"/bin/sleep","group":"0"})");
    EXPECT_EQ(derive_error(bad),
              "group: '0' is not a group name: 1 to 32 of the characters A-Z a-z 0-9 . _ -, not "
              "beginning with '-'; a name, not a numeric id");

    warden::rules::HostAccount not_root;
    not_root.uid = not_root.gid = 1000;
    not_root.user = not_root.group = "app";
    host_.set_host_account(not_root);
    FakeWorker nobody(host_, type_, "sleeper", R"({"command":"/bin/sleep","user":"nobody"})");
    const auto refused = nobody.check_config();
    EXPECT_EQ(refused.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(refused.error,
              "running as user 'nobody' needs a host running as root; the host runs as user 'app'");
    ASSERT_TRUE(nobody.derive().ok());
    const auto deployed = nobody.execute("deploy");
    EXPECT_EQ(deployed.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(deployed.error,
              "create service 'exec-sleeper': service 'exec-sleeper': running as user 'nobody' "
              "needs a host running as root; the host runs as user 'app'");
    EXPECT_FALSE(host_.has_service("exec-sleeper"));
}

TEST_F(ExecWorkerTest, starts_the_service_and_becomes_running_once_the_process_stays_up) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);

    auto tick = worker.step();
    EXPECT_EQ(tick.state, "starting");
    EXPECT_EQ(tick.reason, "desired state is running");

    tick = worker.step();
    EXPECT_EQ(tick.action, "deploy");
    EXPECT_EQ(tick.reason, "creating service exec-sleeper");
    ASSERT_TRUE(worker.last_action_result().ok()) << worker.last_action_result().error;

    ASSERT_TRUE(host_.has_service("exec-sleeper"));
    const auto service = host_.service("exec-sleeper");
    EXPECT_EQ(service.spec.argv, (std::vector<std::string>{"/bin/sleep", "infinity"}));
    EXPECT_EQ(service.spec.env, (std::vector<std::string>{"GREETING=hello world"}));
    EXPECT_EQ(service.spec.kill_timeout_ms, 0u) << "the host's default: SIGKILL after 10 s";
    EXPECT_TRUE(service.status.up);

    tick = worker.step();
    EXPECT_EQ(worker.state(), "starting");
    EXPECT_EQ(tick.reason, "process 1000 up for 0.0 s; running after 1.0 s");

    host_.advance(kSecond + kSecond / 2);
    tick = worker.step();
    EXPECT_EQ(worker.state(), "running");
    EXPECT_EQ(tick.reason, "process 1000 up for 1.5 s");
    settle(worker, "running");
}

TEST_F(ExecWorkerTest, goes_degraded_while_the_process_crash_loops_and_back_when_it_stays_up) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");

    host_.crash_service("exec-sleeper", 3);
    auto tick = worker.step();
    EXPECT_EQ(worker.state(), "degraded");
    EXPECT_EQ(tick.reason, "process exited with code 3; 1 restart");

    tick = worker.step();
    EXPECT_EQ(tick.reason, "process exited with code 3; 1 restart; s6 starts it again");
    EXPECT_EQ(host_.service("exec-sleeper").commands.size(), 0u)
        << "s6 restarts the process; the worker must not";

    host_.revive_service("exec-sleeper");
    host_.crash_service("exec-sleeper", 3);
    host_.revive_service("exec-sleeper");
    tick = worker.step();
    EXPECT_EQ(worker.state(), "degraded");
    EXPECT_EQ(
        tick.reason,
        "process 1002 up for 0.0 s after it exited with code 3; 2 restarts; running after 1.0 s");

    host_.advance(2 * kSecond);
    tick = worker.step();
    EXPECT_EQ(worker.state(), "running");
    EXPECT_EQ(tick.reason, "recovered; process 1002 up for 2.0 s");
}

TEST_F(ExecWorkerTest, a_process_killed_by_a_signal_says_so) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");
    host_.update_service("exec-sleeper", [](warden::testing::FakeService &s) {
        s.status.up = false;
        s.status.pid = 0;
        s.status.died = true;
        s.status.last_signal = 9;
        s.status.restart_count = 1;
    });
    EXPECT_EQ(worker.step().reason, "process was killed by signal 9; 1 restart");
}

TEST_F(ExecWorkerTest, desired_stopped_stops_the_process_and_keeps_the_service) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");

    worker.set_desired_state(DesiredState::stopped);
    EXPECT_EQ(worker.step().state, "stopping");
    auto tick = worker.step();
    EXPECT_EQ(tick.action, "stop");
    EXPECT_EQ(tick.reason, "stopping service exec-sleeper");
    settle(worker, "stopped");

    ASSERT_TRUE(host_.has_service("exec-sleeper"));
    const auto service = host_.service("exec-sleeper");
    EXPECT_FALSE(service.status.up);
    EXPECT_FALSE(service.status.normally_up) << "stopped must survive a reboot: a down file";
    EXPECT_EQ(worker.step().reason, "stopped; service exec-sleeper kept");

    worker.set_desired_state(DesiredState::running);
    EXPECT_EQ(worker.step().state, "starting");
    tick = worker.step();
    EXPECT_EQ(tick.action, "start");
    EXPECT_EQ(tick.reason, "starting service exec-sleeper");
    host_.advance(2 * kSecond);
    settle(worker, "running");
    EXPECT_TRUE(host_.service("exec-sleeper").status.normally_up);
}

TEST_F(ExecWorkerTest, shutdown_removes_the_service_then_asks_to_be_removed) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");

    worker.request_shutdown();
    EXPECT_EQ(worker.step().reason, "shutdown requested");
    auto tick = worker.step();
    EXPECT_EQ(tick.action, "remove");
    EXPECT_FALSE(host_.has_service("exec-sleeper"));
    EXPECT_EQ(worker.step().state, "stopped");
    tick = worker.step();
    EXPECT_EQ(tick.signal, Signal::needs_removal);
    EXPECT_EQ(tick.reason, "stopped; service exec-sleeper removed");
}

TEST_F(ExecWorkerTest, a_config_change_updates_the_service_in_place) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");
    const int64_t old_pid = host_.service("exec-sleeper").status.pid;

    worker.set_config(R"({"command":"/bin/sleep","args":["3600"]})");
    auto tick = worker.step();
    EXPECT_EQ(worker.state(), "starting");
    EXPECT_EQ(tick.reason, "config changed; updating service exec-sleeper");
    tick = worker.step();
    EXPECT_EQ(tick.action, "deploy");

    const auto service = host_.service("exec-sleeper");
    EXPECT_EQ(service.updates, 1);
    EXPECT_EQ(service.spec.argv, (std::vector<std::string>{"/bin/sleep", "3600"}));
    EXPECT_NE(service.status.pid, old_pid) << "the process restarts with the new config";
    host_.advance(2 * kSecond);
    settle(worker, "running");
}

TEST_F(ExecWorkerTest, adopts_a_service_that_already_runs_without_restarting_it) {
    {
        FakeWorker before_restart(host_, type_, "sleeper", kSleeper);
        settle(before_restart, "running");
    }
    const int64_t pid = host_.service("exec-sleeper").status.pid;
    host_.advance(60 * kSecond);

    FakeWorker after_restart(host_, type_, "sleeper", kSleeper);
    settle(after_restart, "running");
    const auto service = host_.service("exec-sleeper");
    EXPECT_EQ(service.status.pid, pid);
    EXPECT_EQ(service.updates, 0);
}

TEST_F(ExecWorkerTest, desired_stopped_stops_an_adopted_process) {
    {
        FakeWorker before_restart(host_, type_, "sleeper", kSleeper);
        settle(before_restart, "running");
    }
    FakeWorker after_restart(host_, type_, "sleeper", kSleeper, DesiredState::stopped);
    auto tick = after_restart.step();
    EXPECT_EQ(tick.action, "stop");
    EXPECT_EQ(tick.reason, "desired state is stopped; stopping service exec-sleeper");
    settle(after_restart, "stopped");
    EXPECT_FALSE(host_.service("exec-sleeper").status.up);
}

TEST_F(ExecWorkerTest, restarts_a_service_stopped_behind_its_back) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");
    host_.update_service("exec-sleeper", [](warden::testing::FakeService &s) {
        s.status.want_up = false;
        s.status.up = false;
        s.status.pid = 0;
    });
    EXPECT_EQ(worker.step().reason, "service exec-sleeper was stopped outside warden");
    auto tick = worker.step();
    EXPECT_EQ(tick.action, "start");
    EXPECT_TRUE(host_.service("exec-sleeper").status.up);
}

TEST_F(ExecWorkerTest, touches_only_services_in_its_own_scope) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");
    worker.request_shutdown();
    settle(worker, "stopped");
    for (const auto &line : host_.audit()) EXPECT_EQ(line.rfind("exec/sleeper ", 0), 0u) << line;
    for (const auto &line : host_.audit())
        EXPECT_NE(line.find(" exec-sleeper "), std::string::npos) << line;
}

TEST_F(ExecWorkerTest, says_why_when_the_host_offers_no_service_operations) {
    host_.remove_service_slots();
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    ASSERT_TRUE(worker.derive().ok());
    const auto collected = worker.collect();
    EXPECT_EQ(collected.status, WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(collected.error,
              "observe service: this host does not offer service operations (host ABI " +
                  std::to_string(WARDEN_ABI_VERSION_MAJOR) + "." +
                  std::to_string(WARDEN_ABI_VERSION_MINOR) + ")");
    const auto created = worker.execute("deploy");
    EXPECT_EQ(created.status, WARDEN_ERR_UNSUPPORTED);
}

TEST_F(ExecWorkerTest, a_failing_action_reports_the_host_error) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    ASSERT_TRUE(worker.derive().ok());
    const auto result = worker.execute("start");
    EXPECT_EQ(result.status, WARDEN_ERR_NOT_FOUND);
    EXPECT_EQ(result.error, "control service 'exec-sleeper': no service exec-sleeper");
}

TEST_F(ExecWorkerTest, actions_honour_cancellation) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    ASSERT_TRUE(worker.derive().ok());
    worker.cancel_hooks(true);
    const auto result = worker.execute("deploy");
    EXPECT_EQ(result.status, WARDEN_ERR_CANCELLED);
    EXPECT_EQ(result.error, "deploy: cancelled by the host");
    EXPECT_FALSE(host_.has_service("exec-sleeper"));
}

TEST_F(ExecWorkerTest, does_not_trust_status_that_no_supervisor_updates) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");
    host_.update_service("exec-sleeper",
                         [](warden::testing::FakeService &s) { s.status.supervised = false; });
    auto tick = worker.step();
    EXPECT_EQ(worker.state(), "degraded");
    EXPECT_EQ(tick.reason,
              "s6-supervise is not running for service exec-sleeper; its status is stale");
    host_.advance(10 * kSecond);
    EXPECT_EQ(worker.step().reason,
              "s6-supervise is not running for service exec-sleeper; its status is stale");
    EXPECT_EQ(worker.state(), "degraded") << "a stale 'up' must never count as healthy";

    host_.update_service("exec-sleeper",
                         [](warden::testing::FakeService &s) { s.status.supervised = true; });
    tick = worker.step();
    EXPECT_EQ(worker.state(), "running");
}

TEST_F(ExecWorkerTest, a_process_that_dies_while_starting_is_degraded_but_an_old_stop_is_not) {
    FakeWorker worker(host_, type_, "sleeper", kSleeper);
    settle(worker, "running");
    worker.set_desired_state(DesiredState::stopped);
    settle(worker, "stopped");
    EXPECT_TRUE(host_.service("exec-sleeper").status.died) << "stopped by SIGTERM";

    host_.advance(5 * kSecond);
    worker.set_desired_state(DesiredState::running);
    EXPECT_EQ(worker.step().state, "starting");
    host_.advance(kSecond / 10);
    // Observed before the start: down, and died 5 s ago, before starting.
    EXPECT_EQ(worker.step().action, "start");
    host_.crash_service("exec-sleeper", 127);
    host_.advance(kSecond / 10);
    const auto tick = worker.step();
    EXPECT_EQ(worker.state(), "degraded");
    EXPECT_EQ(tick.reason, "process exited with code 127 (the program was not found); 1 restart");
}

}  // namespace
