// SPDX-License-Identifier: Apache-2.0
// tests/integration/exec_on_s6_test.cpp — the exec sample worker, loaded
// from exec.so by the host's loader, running a real service on a real
// s6-svscan through the host services' service slots. The supervisor comes
// later; here a small driver calls the hooks the way it will: derive,
// collect, next, then the transition or the action.
#include "common/clock.hpp"
#include "plugin_services/service_gate.hpp"
#include "plugins/plugin_registry.hpp"
#include "s6/s6_client.hpp"

#include "log_capture.hpp"
#include "plugin_dir.hpp"
#include "s6_sandbox.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using warden::test::LogCapture;
using warden::test::PluginDir;
using warden::test::process_alive;
using warden::test::read_file;
using warden::test::S6Sandbox;
using warden::test::wait_until;

// Drives one worker through its hooks, one tick at a time.
class Driver {
public:
    Driver(const WorkerType &type, ServiceGate &gate, const std::string &name, std::string config)
        : type_(type), config_(std::move(config)) {
        identity_ = WorkerIdentity{type.name(), name, 0};
        auto made = type.create(identity_, &gate);
        if (!made) throw std::runtime_error(made.error().message);
        worker_ = std::move(made).value();
        snapshot_.state = type.info().initial_state;
        snapshot_.state_since_ns = monotonic_ns();
    }

    // One tick; returns the decision, or throws with the hook's error.
    Decision tick() {
        snapshot_.desired_json = must(type_.derive_desired(identity_, config_));
        snapshot_.observed_json = must(type_.collect(*worker_, snapshot_, cancel_));
        snapshot_.now_ns = snapshot_.observed_at_ns = monotonic_ns();
        Decision decision = must(type_.next(*worker_, snapshot_));
        if (!decision.state.empty() && decision.state != snapshot_.state) {
            snapshot_.state = decision.state;
            snapshot_.state_since_ns = monotonic_ns();
        }
        if (!decision.action.empty()) {
            Result<void> done = type_.execute(*worker_, decision.action, snapshot_, cancel_);
            snapshot_.last_action = decision.action;
            snapshot_.last_action_status = done ? WARDEN_OK : WARDEN_ERR;
            snapshot_.last_action_error = done ? "" : done.error().message;
            if (!done) throw std::runtime_error(done.error().message);
        }
        last_ = decision;
        return decision;
    }

    // Ticks until the worker settles in `state` (it stays, asking nothing).
    bool settle(const std::string &state) {
        return wait_until(
            [&] {
                const Decision d = tick();
                return snapshot_.state == state && d.state.empty() && d.action.empty();
            },
            std::chrono::seconds(15));
    }

    const std::string &state() const { return snapshot_.state; }
    const Decision &last() const { return last_; }
    void set_desired_state(int32_t desired) { snapshot_.desired_state = desired; }
    void request_shutdown() { snapshot_.shutdown_requested = true; }

private:
    template <typename T>
    static T must(Result<T> result) {
        if (!result) throw std::runtime_error(result.error().message);
        return std::move(result).value();
    }

    const WorkerType &type_;
    std::string config_;
    WorkerIdentity identity_;
    std::unique_ptr<PluginWorker> worker_;
    WorkerSnapshot snapshot_;
    warden_cancel cancel_;
    Decision last_;
};

class ExecOnS6 : public ::testing::Test {
protected:
    void SetUp() override {
        plugins_.add(paths::exec_plugin);
        registry_.load_directory(plugins_.path());
        type_ = registry_.find_worker_type("exec");
        ASSERT_NE(type_, nullptr) << log_.text();
    }
    std::string config(const std::string &say) const {
        return std::string(R"({"command":")") + paths::service_fixture + R"(","args":["say",")" +
               say + R"("],"stable_after_ms":300})";
    }

    LogCapture log_;
    S6Sandbox sandbox_;
    S6Client client_{sandbox_.options()};
    ServiceGate gate_{client_};
    PluginDir plugins_;
    PluginRegistry registry_;
    const WorkerType *type_ = nullptr;
};

TEST_F(ExecOnS6, runs_a_real_service_observes_it_and_removes_it_on_shutdown) {
    Driver worker(*type_, gate_, "greeter", config("hello from exec"));
    ASSERT_TRUE(worker.settle("running")) << worker.state() << ": " << worker.last().reason << "\n"
                                          << log_.text();
    EXPECT_NE(worker.last().reason.find("up for"), std::string::npos) << worker.last().reason;

    auto status = client_.observe("exec-greeter");
    ASSERT_TRUE(status.ok());
    ASSERT_TRUE(status->up);
    const pid_t pid = static_cast<pid_t>(status->pid);
    EXPECT_TRUE(wait_until([&] {
        return read_file("/proc/" + std::to_string(pid) + "/cmdline") ==
               std::string(paths::service_fixture) + '\0' + "say" + '\0' + "hello from exec" + '\0';
    }));
    EXPECT_TRUE(wait_until([&] {
        const auto current = client_.log_dir("exec-greeter") / "current";
        return std::filesystem::exists(current) &&
               read_file(current).find("hello from exec") != std::string::npos;
    }));

    worker.request_shutdown();
    ASSERT_TRUE(wait_until([&] { return worker.tick().signal == WARDEN_SIGNAL_NEEDS_REMOVAL; },
                           std::chrono::seconds(15)))
        << worker.state() << ": " << worker.last().reason;
    EXPECT_EQ(worker.state(), "stopped");
    EXPECT_FALSE(process_alive(pid));
    EXPECT_FALSE(std::filesystem::exists(client_.service_dir("exec-greeter")));

    // Every service operation went through the gate, in its own scope.
    EXPECT_GT(
        log_.count("audit worker=exec/greeter operation=observe service=exec-greeter result=ok"), 0)
        << log_.text();
    EXPECT_EQ(
        log_.count("audit worker=exec/greeter operation=create service=exec-greeter result=ok"), 1)
        << log_.text();
    EXPECT_EQ(
        log_.count("audit worker=exec/greeter operation=remove service=exec-greeter result=ok"), 1)
        << log_.text();
    EXPECT_EQ(log_.count("not permitted"), 0) << log_.text();
}

TEST_F(ExecOnS6, desired_stopped_stops_the_process_and_keeps_the_service) {
    Driver worker(*type_, gate_, "pausable", config("x"));
    ASSERT_TRUE(worker.settle("running")) << worker.last().reason;
    const pid_t pid = static_cast<pid_t>(client_.observe("exec-pausable")->pid);
    worker.set_desired_state(WARDEN_DESIRED_STOPPED);
    ASSERT_TRUE(worker.settle("stopped")) << worker.state() << ": " << worker.last().reason;
    EXPECT_FALSE(process_alive(pid));
    auto status = client_.observe("exec-pausable");
    ASSERT_TRUE(status.ok());
    EXPECT_TRUE(status->exists);
    EXPECT_FALSE(status->up);
    EXPECT_FALSE(status->normally_up) << "a down file keeps it down across reboots";
    EXPECT_EQ(worker.last().reason, "stopped; service exec-pausable kept");
}

TEST_F(ExecOnS6, a_new_worker_adopts_the_running_service_without_restarting_it) {
    pid_t pid = 0;
    {
        Driver before(*type_, gate_, "steady", config("x"));
        ASSERT_TRUE(before.settle("running")) << before.last().reason;
        pid = static_cast<pid_t>(client_.observe("exec-steady")->pid);
    }
    S6Client restarted_client(sandbox_.options());
    ServiceGate restarted_gate(restarted_client);
    Driver after(*type_, restarted_gate, "steady", config("x"));
    ASSERT_TRUE(after.settle("running")) << after.last().reason;
    EXPECT_EQ(restarted_client.observe("exec-steady")->pid, pid) << "the process was restarted";
}

TEST_F(ExecOnS6, a_crashing_process_is_degraded_with_its_exit_code) {
    const std::string crashing =
        std::string(R"({"command":")") + paths::service_fixture + R"(","args":["exit","7"]})";
    Driver worker(*type_, gate_, "crasher", crashing);
    ASSERT_TRUE(wait_until(
        [&] {
            worker.tick();
            return worker.state() == "degraded";
        },
        std::chrono::seconds(15)))
        << worker.state() << ": " << worker.last().reason;
    EXPECT_NE(worker.last().reason.find("exited with code 7"), std::string::npos)
        << worker.last().reason;
}

// A host that is not root runs services only as itself: the exec worker's
// deploy fails with the host's words, and nothing is created. The host's
// uid is given to the gate, so this holds whoever runs the test.
TEST_F(ExecOnS6, a_host_that_is_not_root_refuses_another_user_at_deploy) {
    rules::HostAccount not_root;
    not_root.uid = not_root.gid = 54321;
    not_root.user = "app";
    ServiceGate gate(client_, nullptr, nullptr, not_root);
    const std::string as_nobody = std::string(R"({"command":")") + paths::service_fixture +
                                  R"(","args":["say","x"],"user":"nobody"})";
    Driver worker(*type_, gate, "guest", as_nobody);
    std::string refused;
    ASSERT_TRUE(wait_until([&] {
        try {
            worker.tick();
        } catch (const std::runtime_error &e) {
            refused = e.what();
        }
        return !refused.empty();
    })) << worker.state()
        << ": " << worker.last().reason;
    EXPECT_NE(refused.find("create service 'exec-guest': service 'exec-guest': running as user "
                           "'nobody' needs a host running as root; the host runs as user 'app'"),
              std::string::npos)
        << refused;
    EXPECT_FALSE(std::filesystem::exists(client_.service_dir("exec-guest")));
}

}  // namespace
}  // namespace warden::host
