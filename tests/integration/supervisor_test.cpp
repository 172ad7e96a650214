// SPDX-License-Identifier: Apache-2.0
// tests/integration/supervisor_test.cpp — the supervisor driving real
// workers: the exec sample and the misbehaving fixture plugin, loaded from
// their .so files, running real services on a real s6-svscan. Timings are
// short so each test takes about a second; every wait has a deadline.
#include "supervisor/supervisor.hpp"
#include "plugin_services/service_gate.hpp"
#include "plugins/plugin_registry.hpp"
#include "s6/s6_client.hpp"

#include "log_capture.hpp"
#include "plugin_dir.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using namespace std::chrono_literals;
using warden::test::LogCapture;
using warden::test::PluginDir;
using warden::test::process_alive;
using warden::test::S6Sandbox;
using warden::test::wait_until;

SupervisorSettings fast_settings() {
    SupervisorSettings s;
    s.tick = 20ms;
    s.observation_interval = 100ms;
    s.idle_observation_interval = 250ms;
    s.collect_timeout = 300ms;
    s.stale_after = 600ms;
    s.collector_timeout = 1000ms;
    s.collector_restarts = 2;
    s.collector_backoff = Backoff{50ms, 400ms};
    s.action_backoff = Backoff{100ms, 400ms};
    s.failure_backoff = Backoff{100ms, 400ms};
    s.exit_budget = 10s;
    return s;
}

class SupervisorOnS6 : public ::testing::Test {
protected:
    void SetUp() override {
        plugins_.add(paths::exec_plugin);
        plugins_.add(paths::misbehaving_plugin);
        registry_.load_directory(plugins_.path());
        ASSERT_NE(registry_.find_worker_type("exec"), nullptr) << log_.text();
        ASSERT_NE(registry_.find_worker_type("hangs"), nullptr) << log_.text();
    }

    WorkerSpec spec(const std::string &type_name, const std::string &name,
                    const std::string &config, int32_t desired = WARDEN_DESIRED_RUNNING) {
        WorkerSpec s;
        s.type = registry_.find_worker_type(type_name);
        s.name = name;
        s.desired_state = desired;
        auto derived = s.type->derive_desired(WorkerIdentity{type_name, name, 0}, config);
        EXPECT_TRUE(derived.ok()) << derived.error().message;
        if (derived) s.desired_json = derived.value();
        return s;
    }

    // An exec worker running the service fixture with `args`.
    WorkerSpec exec(const std::string &name, const std::string &args = R"(["say","hi"])",
                    int32_t desired = WARDEN_DESIRED_RUNNING) {
        return spec("exec", name,
                    std::string(R"({"command":")") + paths::service_fixture + R"(","args":)" +
                        args + R"(,"stable_after_ms":200})",
                    desired);
    }

    static std::optional<WorkerStatus> find(const Supervisor &supervisor,
                                            const std::string &label) {
        for (WorkerStatus &s : supervisor.status())
            if (s.label() == label) return s;
        return std::nullopt;
    }

    // Waits until the worker is in `state` and asks for nothing more.
    static bool settles(const Supervisor &supervisor, const std::string &label,
                        const std::string &state, std::chrono::milliseconds timeout = 15s) {
        return wait_until(
            [&] {
                auto s = find(supervisor, label);
                return s && s->state == state && s->action_running.empty();
            },
            timeout);
    }

    static std::string describe(const Supervisor &supervisor, const std::string &label) {
        auto s = find(supervisor, label);
        if (!s) return label + ": no such worker";
        return label + ": state " + s->state + " (" + s->reason + "), last action " +
               s->last_action + " " + s->last_action_error + ", failure " + s->failure +
               ", collect error " + s->collect_error;
    }

    pid_t pid_of(const std::string &service) {
        auto status = client_.observe(service);
        return status && status->up ? static_cast<pid_t>(status->pid) : 0;
    }

    LogCapture log_;
    S6Sandbox sandbox_;
    S6Client client_{sandbox_.options()};
    ServiceGate gate_{client_};
    PluginDir plugins_;
    PluginRegistry registry_;
};

TEST_F(SupervisorOnS6, runs_workers_from_specs_and_logs_each_state_change) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({exec("one"), exec("two")});
    ASSERT_TRUE(settles(supervisor, "exec/one", "running")) << describe(supervisor, "exec/one");
    ASSERT_TRUE(settles(supervisor, "exec/two", "running")) << describe(supervisor, "exec/two");
    EXPECT_NE(pid_of("exec-one"), 0);
    EXPECT_NE(pid_of("exec-two"), 0);
    const auto one = find(supervisor, "exec/one");
    EXPECT_EQ(one->phase, WARDEN_PHASE_RUNNING_HEALTHY);
    EXPECT_EQ(one->last_action_status, WARDEN_OK);
    EXPECT_GT(one->state_since, 0);
    EXPECT_EQ(log_.count("info exec/one: stopped -> starting: desired state is running"), 1)
        << log_.text();
    EXPECT_EQ(log_.count("info exec/one: starting -> running: process "), 1) << log_.text();
}

TEST_F(SupervisorOnS6, desired_state_stopped_stops_the_process_and_keeps_the_service) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({exec("pausable")});
    ASSERT_TRUE(settles(supervisor, "exec/pausable", "running"));
    const pid_t pid = pid_of("exec-pausable");

    supervisor.apply({exec("pausable", R"(["say","hi"])", WARDEN_DESIRED_STOPPED)});
    ASSERT_TRUE(settles(supervisor, "exec/pausable", "stopped"))
        << describe(supervisor, "exec/pausable");
    EXPECT_TRUE(wait_until([&] { return !process_alive(pid); }));
    EXPECT_TRUE(client_.observe("exec-pausable")->exists);

    supervisor.apply({exec("pausable")});
    ASSERT_TRUE(settles(supervisor, "exec/pausable", "running"))
        << describe(supervisor, "exec/pausable");
    EXPECT_NE(pid_of("exec-pausable"), 0);
}

TEST_F(SupervisorOnS6, applying_a_new_set_adds_removes_and_changes_only_what_differs) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({exec("kept"), exec("changed"), exec("dropped")});
    for (const char *label : {"exec/kept", "exec/changed", "exec/dropped"})
        ASSERT_TRUE(settles(supervisor, label, "running")) << describe(supervisor, label);
    const pid_t kept = pid_of("exec-kept"), changed = pid_of("exec-changed"),
                dropped = pid_of("exec-dropped");

    supervisor.apply({exec("kept"), exec("changed", R"(["say","changed"])"), exec("added")});
    ASSERT_TRUE(settles(supervisor, "exec/added", "running")) << describe(supervisor, "exec/added");
    ASSERT_TRUE(wait_until([&] { return !find(supervisor, "exec/dropped"); }))
        << describe(supervisor, "exec/dropped");
    EXPECT_FALSE(client_.observe("exec-dropped")->exists);
    EXPECT_TRUE(wait_until([&] { return !process_alive(dropped); }));
    ASSERT_TRUE(wait_until([&] {
        const pid_t now = pid_of("exec-changed");
        return now != 0 && now != changed;
    })) << describe(supervisor, "exec/changed");
    ASSERT_TRUE(settles(supervisor, "exec/changed", "running"));
    EXPECT_EQ(pid_of("exec-kept"), kept) << "an unchanged worker was touched";
    EXPECT_EQ(find(supervisor, "exec/kept")->state_changes, 2u);
}

TEST_F(SupervisorOnS6, a_new_supervisor_adopts_running_services_without_restarting_them) {
    pid_t pid = 0;
    {
        Supervisor first(gate_, fast_settings());
        first.apply({exec("steady")});
        ASSERT_TRUE(settles(first, "exec/steady", "running"));
        pid = pid_of("exec-steady");
    }
    Supervisor second(gate_, fast_settings());
    second.apply({exec("steady")});
    ASSERT_TRUE(settles(second, "exec/steady", "running")) << describe(second, "exec/steady");
    EXPECT_EQ(pid_of("exec-steady"), pid) << "adoption restarted the process";
    EXPECT_EQ(client_.observe("exec-steady")->restart_count, 0u);
}

TEST_F(SupervisorOnS6, a_crash_loop_is_degraded_with_its_exit_code_then_running_again) {
    warden::test::TempDir dir;
    const std::string healed = (dir / "healed").string();
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({exec("crasher", R"(["exit-unless",")" + healed + R"(","7"])")});
    ASSERT_TRUE(wait_until(
        [&] {
            auto s = find(supervisor, "exec/crasher");
            return s && s->state == "degraded" &&
                   s->reason.find("exited with code 7") != std::string::npos;
        },
        15s))
        << describe(supervisor, "exec/crasher");
    EXPECT_EQ(find(supervisor, "exec/crasher")->phase, WARDEN_PHASE_RUNNING_DEGRADED);

    warden::test::write_file(healed, "");
    ASSERT_TRUE(settles(supervisor, "exec/crasher", "running", 15s))
        << describe(supervisor, "exec/crasher");
    EXPECT_GT(client_.observe("exec-crasher")->restart_count, 0u);
}

TEST_F(SupervisorOnS6, a_hung_collect_makes_its_worker_stale_while_the_others_go_on) {
    warden::test::TempDir dir;
    const std::string release = (dir / "release").string();
    Supervisor supervisor(gate_, fast_settings());
    // Destroyed before the supervisor, so the hung collect returns (and the
    // supervisor can go) even when an assertion ends the test early.
    struct Release {
        std::string file;
        ~Release() { warden::test::write_file(file, ""); }
    } release_at_end{release};
    supervisor.apply(
        {spec("hangs", "stuck", R"({"hang_after":2,"release_file":")" + release + R"("})"),
         exec("busy")});
    ASSERT_TRUE(wait_until([&] {
        auto s = find(supervisor, "hangs/stuck");
        return s && s->stale;
    })) << describe(supervisor, "hangs/stuck");
    ASSERT_TRUE(settles(supervisor, "exec/busy", "running"));

    // While one worker's collect hangs, another still reconciles a change.
    supervisor.apply(
        {spec("hangs", "stuck", R"({"hang_after":2,"release_file":")" + release + R"("})"),
         exec("busy", R"(["say","hi"])", WARDEN_DESIRED_STOPPED)});
    ASSERT_TRUE(settles(supervisor, "exec/busy", "stopped")) << describe(supervisor, "exec/busy");
    EXPECT_TRUE(find(supervisor, "hangs/stuck")->stale);
    EXPECT_GE(log_.count("hangs/stuck: collect did not finish within"), 1) << log_.text();
    EXPECT_GE(log_.count("hangs/stuck: no observation for"), 1) << log_.text();

    // After its collector was restarted too often, the worker is asked to
    // shut down; once the collect returns, it goes.
    ASSERT_TRUE(wait_until([&] {
        auto s = find(supervisor, "hangs/stuck");
        return s && s->shutdown_requested;
    })) << describe(supervisor, "hangs/stuck");
}

TEST_F(SupervisorOnS6, a_plugin_deciding_a_state_and_an_action_fails_its_worker_only) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({spec("both", "greedy", "{}"), exec("fine")});
    ASSERT_TRUE(wait_until([&] {
        auto s = find(supervisor, "both/greedy");
        return s && s->failure.find("both state 'ok' and action 'poke'") != std::string::npos;
    })) << describe(supervisor, "both/greedy");
    ASSERT_TRUE(settles(supervisor, "exec/fine", "running")) << describe(supervisor, "exec/fine");
    // Asked again after a growing delay, not in a hot loop.
    ASSERT_TRUE(wait_until([&] { return log_.count("both/greedy: failed: ") >= 2; }));
    EXPECT_NE(log_.text().find("(2 in a row)"), std::string::npos) << log_.text();
    EXPECT_EQ(find(supervisor, "both/greedy")->last_action, "") << "the action must not run";
}

TEST_F(SupervisorOnS6, a_failing_action_is_backed_off_and_retried_until_it_works) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({spec("flaky", "poker", R"({"fail_times":2})")});
    ASSERT_TRUE(wait_until([&] {
        auto s = find(supervisor, "flaky/poker");
        return s && s->action_failures == 1 && s->action_retry_at > 0;
    })) << describe(supervisor, "flaky/poker");
    EXPECT_NE(find(supervisor, "flaky/poker")->last_action_error.find("poke refused on purpose"),
              std::string::npos);
    ASSERT_TRUE(wait_until([&] {
        auto s = find(supervisor, "flaky/poker");
        return s && s->reason == "poked";
    })) << describe(supervisor, "flaky/poker");
    const auto s = find(supervisor, "flaky/poker");
    EXPECT_EQ(s->last_action_status, WARDEN_OK);
    EXPECT_EQ(s->action_failures, 0);
    EXPECT_EQ(log_.count("flaky/poker: action poke failed (2 in a row)"), 1) << log_.text();
    EXPECT_EQ(log_.count("flaky/poker: action poke succeeded after 2 failures"), 1) << log_.text();
}

TEST_F(SupervisorOnS6, a_worker_that_keeps_asking_for_a_restart_is_backed_off) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({spec("restarts", "again", "{}")});
    ASSERT_TRUE(wait_until([&] {
        return log_.count(
                   "restarts/again: signalled needs-restart; re-creating the worker in 0.4 s") >= 2;
    })) << log_.text();
    // 100 ms, 200 ms, then 400 ms apart: a handful, not a hot loop.
    EXPECT_LT(log_.count("restarts/again: signalled needs-restart"), 10) << log_.text();
}

TEST_F(SupervisorOnS6, a_worker_whose_create_fails_goes_when_removed_from_the_config) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({spec("uncreatable", "never", "{}")});
    ASSERT_TRUE(wait_until([&] {
        auto s = find(supervisor, "uncreatable/never");
        return s && s->failure.find("this worker cannot be made") != std::string::npos;
    })) << describe(supervisor, "uncreatable/never");
    supervisor.apply({});
    EXPECT_TRUE(wait_until([&] { return !find(supervisor, "uncreatable/never"); }))
        << describe(supervisor, "uncreatable/never");
}

TEST_F(SupervisorOnS6, exit_leaves_services_running) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({exec("survivor")});
    ASSERT_TRUE(settles(supervisor, "exec/survivor", "running"));
    const pid_t pid = pid_of("exec-survivor");
    supervisor.begin_exit(/*stop_services=*/false);
    ASSERT_TRUE(supervisor.wait_exit_ready(std::chrono::steady_clock::now() + 10s))
        << testing::PrintToString(supervisor.exit_blockers());
    EXPECT_TRUE(process_alive(pid));
    EXPECT_EQ(pid_of("exec-survivor"), pid);
}

TEST_F(SupervisorOnS6, exit_with_stop_services_walks_every_worker_to_stopped) {
    Supervisor supervisor(gate_, fast_settings());
    supervisor.apply({exec("a"), exec("b")});
    ASSERT_TRUE(settles(supervisor, "exec/a", "running"));
    ASSERT_TRUE(settles(supervisor, "exec/b", "running"));
    const pid_t a = pid_of("exec-a"), b = pid_of("exec-b");
    supervisor.begin_exit(/*stop_services=*/true);
    ASSERT_TRUE(supervisor.wait_exit_ready(std::chrono::steady_clock::now() + 15s))
        << testing::PrintToString(supervisor.exit_blockers());
    EXPECT_TRUE(wait_until([&] { return !process_alive(a) && !process_alive(b); }));
    EXPECT_TRUE(client_.observe("exec-a")->exists) << "services are kept, only stopped";
}

}  // namespace
}  // namespace warden::host
