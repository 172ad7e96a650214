// SPDX-License-Identifier: Apache-2.0
// tests/abi/worker_type_test.cpp — worker types loaded from .so files, called
// through the host's WorkerType with the host's own services table: a worker
// type in C, the exec sample (without a scan dir for its services), and C++
// plugins whose hooks throw.
#include "plugins/plugin_registry.hpp"

#include "log_capture.hpp"
#include "plugin_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using warden::test::LogCapture;
using warden::test::PluginDir;

// One plugin loaded through the registry, and one worker of its type.
class LoadedType : public ::testing::Test {
protected:
    void load(const char *plugin, const std::string &type_name) {
        dir_.add(plugin);
        registry_.load_directory(dir_.path());
        type_ = registry_.find_worker_type(type_name);
        ASSERT_NE(type_, nullptr) << log_.text();
        identity_ = WorkerIdentity{type_name, "w1", 1'700'000'000'000'000'000};
    }
    std::unique_ptr<PluginWorker> make_worker() {
        auto worker = type_->create(identity_);
        EXPECT_TRUE(worker.ok()) << (worker.ok() ? "" : worker.error().message);
        return worker.ok() ? std::move(worker).value() : nullptr;
    }

    LogCapture log_;
    PluginDir dir_;
    PluginRegistry registry_;
    const WorkerType *type_ = nullptr;
    WorkerIdentity identity_;
    warden_cancel cancel_;
};

class CWorkerType : public LoadedType {
protected:
    void SetUp() override { load(paths::abi_c_worker, "echo"); }
};

TEST_F(CWorkerType, exposes_what_its_table_declares) {
    const WorkerTypeInfo &info = type_->info();
    EXPECT_EQ(info.description, "a worker type written in C");
    ASSERT_EQ(info.states.size(), 1u);
    EXPECT_EQ(info.states[0].name, "idle");
    EXPECT_EQ(info.states[0].phase, WARDEN_PHASE_RUNNING_HEALTHY);
    EXPECT_EQ(info.initial_state, "idle");
    ASSERT_EQ(info.actions.size(), 1u);
    EXPECT_EQ(info.actions[0].name, "touch");
    EXPECT_EQ(info.actions[0].timeout_ms, 1000u);
}

TEST_F(CWorkerType, derives_collects_decides_and_acts) {
    auto desired = type_->derive_desired(identity_, R"({"greeting":"hello"})");
    ASSERT_TRUE(desired.ok()) << desired.error().message;
    EXPECT_EQ(desired.value(), R"({"greeting":"hello"})");

    auto worker = make_worker();
    ASSERT_NE(worker, nullptr);
    WorkerSnapshot snapshot;
    snapshot.state = "idle";
    snapshot.desired_json = desired.value();

    auto waiting = type_->next(*worker, snapshot);
    ASSERT_TRUE(waiting.ok()) << waiting.error().message;
    EXPECT_EQ(waiting->state, "");
    EXPECT_EQ(waiting->action, "");
    EXPECT_EQ(waiting->reason, "waiting for the first observation");

    auto observed = type_->collect(*worker, snapshot, cancel_);
    ASSERT_TRUE(observed.ok()) << observed.error().message;
    EXPECT_EQ(observed.value(), R"({"collects":1,"touches":0})");

    snapshot.observed_json = observed.value();
    auto decision = type_->next(*worker, snapshot);
    ASSERT_TRUE(decision.ok()) << decision.error().message;
    EXPECT_EQ(decision->action, "touch");
    EXPECT_EQ(decision->reason, "touching");

    ASSERT_TRUE(type_->execute(*worker, "touch", snapshot, cancel_).ok());
    EXPECT_EQ(type_->collect(*worker, snapshot, cancel_).value(), R"({"collects":2,"touches":1})");
}

TEST_F(CWorkerType, refuses_output_that_is_not_a_json_object) {
    auto desired = type_->derive_desired(identity_, "[1, 2]");
    ASSERT_FALSE(desired.ok());
    EXPECT_EQ(desired.error().message,
              "worker type 'echo' (plugin c_worker): derive_desired_state wrote no JSON object "
              "(of at most 128 levels): '[1, 2]'");
    // A document nested deeper than a recursive parser should follow: refused
    // before anything recurses into it.
    const std::string deep = "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
    EXPECT_FALSE(type_->derive_desired(identity_, deep).ok());
    EXPECT_FALSE(type_->derive_desired(identity_, "{\"bad\": \"caf\xe9\"}").ok()) << "not UTF-8";
}

TEST_F(CWorkerType, refuses_an_undeclared_action_without_calling_the_plugin) {
    auto worker = make_worker();
    auto result = type_->execute(*worker, "launch_missiles", WorkerSnapshot{}, cancel_);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "worker type 'echo' (plugin c_worker): no action 'launch_missiles'");
}

TEST_F(CWorkerType, passes_cancellation_to_the_action) {
    auto worker = make_worker();
    cancel_.requested = true;
    auto result = type_->execute(*worker, "touch", WorkerSnapshot{}, cancel_);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "worker type 'echo' (plugin c_worker): execute_action(touch) failed (cancelled): it "
              "gave no reason");
}

// The exec sample, loaded by the real host, its worker made without a scan
// dir: it still derives and decides, and says plainly why it cannot observe
// or create its service. (With a scan dir: tests/integration/exec_on_s6_test.)
class ExecWithoutScanDir : public LoadedType {
protected:
    void SetUp() override {
        load(paths::exec_plugin, "exec");
        identity_.name = "sleeper";
    }
};

TEST_F(ExecWithoutScanDir, derives_a_desired_state_from_a_valid_config) {
    auto desired = type_->derive_desired(
        identity_, R"({"command":"/bin/sleep","args":["infinity"],"env":{"A":"b c"}})");
    ASSERT_TRUE(desired.ok()) << desired.error().message;
    EXPECT_EQ(desired.value(),
              R"({"args":["infinity"],"command":"/bin/sleep","env":{"A":"b c"},)"
              R"("service":"exec-sleeper","stable_after_ms":1000,"working_dir":""})");
}

TEST_F(ExecWithoutScanDir, refuses_a_config_and_names_the_key) {
    auto desired = type_->derive_desired(identity_, R"({"command":"sleep"})");
    ASSERT_FALSE(desired.ok());
    EXPECT_EQ(desired.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(desired.error().message, "command: must be an absolute path, got 'sleep'");
}

TEST_F(ExecWithoutScanDir, decides_and_reports_that_the_host_offers_no_services) {
    auto worker = make_worker();
    ASSERT_NE(worker, nullptr);
    WorkerSnapshot snapshot;
    snapshot.state = "stopped";
    snapshot.desired_json = type_->derive_desired(identity_, R"({"command":"/bin/true"})").value();

    auto collected = type_->collect(*worker, snapshot, cancel_);
    ASSERT_FALSE(collected.ok());
    EXPECT_EQ(collected.error().message,
              "worker type 'exec' (plugin exec): collect_observed_state failed (unsupported): "
              "observe service 'exec-sleeper': service operations need a scan dir, and this "
              "caller has none (a plugin's own context, or a worker made without one)");

    snapshot.observed_json = R"({"service":{"exists":false}})";
    auto decision = type_->next(*worker, snapshot);
    ASSERT_TRUE(decision.ok()) << decision.error().message;
    EXPECT_EQ(decision->state, "starting");
    EXPECT_EQ(decision->reason, "desired state is running");

    snapshot.state = "starting";
    decision = type_->next(*worker, snapshot);
    ASSERT_TRUE(decision.ok()) << decision.error().message;
    EXPECT_EQ(decision->action, "deploy");
    EXPECT_EQ(decision->reason, "creating service exec-sleeper");

    auto created = type_->execute(*worker, "deploy", snapshot, cancel_);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().message,
              "worker type 'exec' (plugin exec): execute_action(deploy) failed "
              "(unsupported): create service 'exec-sleeper': service operations need a scan dir, "
              "and this caller has none (a plugin's own context, or a worker made without one)");
}

// Exceptions thrown by a C++ plugin's hooks stop at the wrapper's trampolines.
class ThrowingHooks : public LoadedType {
protected:
    void SetUp() override { load(paths::abi_cxx_throws, "thrower"); }
};

TEST_F(ThrowingHooks, turn_a_std_exception_into_an_error_and_a_log_line) {
    auto desired = type_->derive_desired(identity_, "{}");
    ASSERT_FALSE(desired.ok());
    EXPECT_EQ(desired.error().message,
              "worker type 'thrower' (plugin cxx-throws): derive_desired_state failed (error): "
              "uncaught exception in derive_desired_state: derive exploded");
    EXPECT_EQ(log_.count("error [thrower/w1] uncaught exception in derive_desired_state: derive "
                         "exploded"),
              1)
        << log_.text();
}

TEST_F(ThrowingHooks, turn_a_non_std_exception_into_an_error) {
    auto worker = make_worker();
    auto observed = type_->collect(*worker, WorkerSnapshot{}, cancel_);
    ASSERT_FALSE(observed.ok());
    EXPECT_EQ(observed.error().message,
              "worker type 'thrower' (plugin cxx-throws): collect_observed_state failed (error): "
              "uncaught exception in collect_observed_state: an exception not derived from "
              "std::exception");
}

TEST_F(ThrowingHooks, turn_an_exception_in_next_into_an_error) {
    auto worker = make_worker();
    WorkerSnapshot snapshot;
    snapshot.state = "broken";
    auto decision = type_->next(*worker, snapshot);
    ASSERT_FALSE(decision.ok());
    EXPECT_EQ(decision.error().message,
              "worker type 'thrower' (plugin cxx-throws): next failed (error): uncaught exception "
              "in next: next exploded");
}

TEST_F(ThrowingHooks, pass_a_deliberate_error_through_with_its_status_and_no_error_line) {
    auto worker = make_worker();
    auto result = type_->execute(*worker, "fail", WorkerSnapshot{}, cancel_);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "worker type 'thrower' (plugin cxx-throws): execute_action(fail) failed (not found): "
              "no such thing as /dev/frobnicator");
    EXPECT_EQ(log_.count("error "), 0) << log_.text();
}

// A C++ plugin built without the wrapper may let an exception escape; the
// host stops it at the hook.
TEST(RawCppHooks, an_escaping_exception_becomes_the_hooks_error) {
    LogCapture log;
    PluginDir dir;
    dir.add(paths::abi_raw_cpp_throws);
    PluginRegistry registry;
    registry.load_directory(dir.path());
    const WorkerType *type = registry.find_worker_type("raw");
    ASSERT_NE(type, nullptr) << log.text();
    auto desired = type->derive_desired(WorkerIdentity{"raw", "r1", 0}, "{}");
    ASSERT_FALSE(desired.ok());
    EXPECT_EQ(desired.error().message,
              "worker type 'raw' (plugin raw-cpp): derive_desired_state failed (error): a C++ "
              "exception crossed the plugin boundary: derive escaped");
}

// A worker keeps its plugin loaded: the plugin's shutdown waits for it.
TEST(WorkerLifetime, a_plugin_is_shut_down_only_after_its_last_worker_is_destroyed) {
    LogCapture log;
    PluginDir dir;
    dir.add(paths::abi_c_worker);
    std::unique_ptr<PluginWorker> worker;
    {
        PluginRegistry registry;
        registry.load_directory(dir.path());
        const WorkerType *type = registry.find_worker_type("echo");
        ASSERT_NE(type, nullptr) << log.text();
        auto made = type->create(WorkerIdentity{"echo", "survivor", 0});
        ASSERT_TRUE(made.ok()) << made.error().message;
        worker = std::move(made).value();
    }
    EXPECT_EQ(log.count("shutdown after the last worker"), 0)
        << "the plugin was shut down while its worker lived:\n"
        << log.text();
    worker.reset();
    EXPECT_EQ(log.count("[plugin c_worker] shutdown after the last worker"), 1) << log.text();
}

}  // namespace
}  // namespace warden::host
