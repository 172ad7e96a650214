// SPDX-License-Identifier: Apache-2.0
// tests/unit/kit_lifecycle_test.cpp — the worker kit's states, actions and
// collect, through a worker type that uses every part of it: two services,
// a config check run before each deploy, readiness by s6 notification, a
// not-ready restart. Driven on the SDK's fake host, one supervisor tick per
// FakeWorker::step().
#include <warden/kit.hpp>
#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using nlohmann::json;
using warden::CommandResult;
using warden::DesiredState;
using warden::Signal;
using warden::testing::FakeHost;
using warden::testing::FakeService;
using warden::testing::FakeWorker;
namespace kit = warden::kit;

constexpr int64_t kSecond = 1'000'000'000;

// A `pair` worker: service `pair-NAME` runs the configured program and
// `pair-NAME-sidecar` a helper; `/usr/bin/check` must pass the config first.
// Config: {"argv": [...], "notify": bool, "restart_ms": n, "sidecar": bool}.
class PairWorker : public kit::ServiceWorker<PairWorker> {
public:
    static constexpr std::string_view type_name = "pair";
    using Actions = ActionsWithCheck;
    using ServiceWorker::ServiceWorker;

    static std::string derive_desired(const warden::Host &, const warden::Identity &identity,
                                      std::string_view config_json) {
        auto config = kit::ConfigReader::parse(config_json, "at least `argv`");
        json desired = {{"service", identity.service_name()}};
        desired["argv"] = config.string_list("argv").value_or(std::vector<std::string>{});
        desired["notify"] = config.boolean("notify").value_or(false);
        desired["sidecar"] = config.boolean("sidecar").value_or(true);
        desired["restart_ms"] = config.whole_number("restart_ms", 0, 600'000).value_or(0);
        config.finish();
        return desired.dump();
    }

    static kit::Plan plan(const warden::Snapshot &snapshot, const kit::Observed &) {
        const json desired = json::parse(snapshot.desired_json());
        kit::Plan plan;
        warden::ServiceSpec main;
        main.name = desired["service"];
        main.argv = desired["argv"];
        main.notification_fd = desired["notify"].get<bool>() ? 3 : 0;
        plan.services.push_back(main);
        if (desired["sidecar"].get<bool>()) {
            warden::ServiceSpec sidecar;
            sidecar.name = main.name + "-sidecar";
            sidecar.argv = {"/usr/bin/sidecar"};
            plan.services.push_back(sidecar);
        }
        kit::ConfigCheck check{"pair check", {}};
        check.command.argv = {"/usr/bin/check"};
        check.command.files.push_back({"argv", json(desired["argv"]).dump(), 0});
        plan.check = check;
        plan.not_ready_restart_ms = desired["restart_ms"];
        return plan;
    }
};

struct PairPlugin {
    static constexpr std::string_view name = "pair";
    static constexpr std::string_view version = "1.0.0";
    static constexpr uint32_t min_host_minor = 2;
    using WorkerTypes = warden::WorkerTypes<PairWorker>;
};

}  // namespace

WARDEN_PLUGIN(PairPlugin)

namespace {

constexpr const char *kSleep = R"({"argv":["/bin/sleep","9"]})";

class KitLifecycle : public ::testing::Test {
protected:
    void SetUp() override {
        host_.on_command([this](const warden::Command &c) {
            ++checks_;
            last_check_ = c;
            return check_answer_;
        });
    }

    // Steps once every 100 ms until the worker is in `state` and stays.
    void settle(FakeWorker &worker, const std::string &state) {
        if (!worker.settle(state, 80, kSecond / 10))
            FAIL() << "not settled in " << state << "; in " << worker.state() << ": "
                   << worker.step().reason;
    }

    FakeWorker make(const char *config = kSleep, DesiredState desired = DesiredState::running) {
        return FakeWorker(host_, type_, "a", config, desired);
    }

    FakeHost host_;
    const warden_plugin *plugin_ = host_.load(&warden_plugin_entry);
    const warden_worker_type *type_ = host_.worker_type("pair");
    CommandResult check_answer_{0, 0, ""};
    warden::Command last_check_;
    int checks_ = 0;
};

TEST_F(KitLifecycle, declares_the_kits_states_and_actions) {
    EXPECT_EQ(warden::view(type_->initial_state), "stopped");
    std::vector<std::string> states, actions;
    for (uint32_t i = 0; i < type_->state_count; ++i)
        states.emplace_back(warden::view(type_->states[i]->name));
    for (uint32_t i = 0; i < type_->action_count; ++i)
        actions.emplace_back(warden::view(type_->actions[i]->name));
    EXPECT_EQ(states,
              (std::vector<std::string>{"stopped", "starting", "running", "degraded", "stopping"}));
    EXPECT_EQ(actions,
              (std::vector<std::string>{"check", "deploy", "start", "stop", "restart", "remove"}));
}

TEST_F(KitLifecycle, checks_then_deploys_every_service_then_runs) {
    FakeWorker worker = make();
    EXPECT_EQ(worker.step().state, "starting");
    auto tick = worker.step();
    EXPECT_EQ(tick.action, "check");
    EXPECT_EQ(tick.reason, "checking the config with pair check");
    EXPECT_EQ(last_check_.argv, std::vector<std::string>{"/usr/bin/check"});
    ASSERT_EQ(last_check_.files.size(), 1u);
    EXPECT_EQ(last_check_.files[0].content, R"(["/bin/sleep","9"])");

    tick = worker.step();
    EXPECT_EQ(tick.action, "deploy");
    EXPECT_EQ(tick.reason, "creating services pair-a, pair-a-sidecar");
    EXPECT_TRUE(host_.has_service("pair-a"));
    EXPECT_TRUE(host_.has_service("pair-a-sidecar"));
    EXPECT_EQ(worker.step().reason, "2 processes up for 0.0 s; running after 1.0 s");
    host_.advance(2 * kSecond);
    tick = worker.step();
    EXPECT_EQ(tick.state, "running");
    EXPECT_EQ(tick.reason, "2 processes up for 2.0 s");
    settle(worker, "running");
    EXPECT_EQ(checks_, 1) << "the same bytes are checked once";
}

TEST_F(KitLifecycle, a_config_the_check_refuses_is_never_deployed) {
    check_answer_ = CommandResult{2, 0, "\nline 3: unknown field\r\nline 9: bad\nline 12\nmore\n"};
    FakeWorker worker = make();
    settle(worker, "starting");
    EXPECT_EQ(worker.step().reason,
              "pair check rejected the config: line 3: unknown field; line 9: bad; line 12; "
              "nothing deployed");
    EXPECT_FALSE(host_.has_service("pair-a"));
    EXPECT_TRUE(host_.logged("pair check rejected the config", warden::Level::warn));
}

TEST_F(KitLifecycle, a_refused_change_keeps_the_running_config_and_an_accepted_one_deploys) {
    FakeWorker worker = make();
    settle(worker, "running");
    const int64_t pid = host_.service("pair-a").status.pid;

    check_answer_ = CommandResult{1, 0, ""};
    worker.set_config(R"({"argv":["/bin/sleep","10"]})");
    settle(worker, "degraded");
    EXPECT_EQ(worker.step().reason,
              "pair check rejected the config: exit code 1 and no message; the previous config "
              "keeps running");
    EXPECT_EQ(host_.service("pair-a").status.pid, pid);

    check_answer_ = CommandResult{0, 0, ""};
    worker.set_config(R"({"argv":["/bin/sleep","11"]})");
    settle(worker, "running");
    EXPECT_EQ(host_.service("pair-a").spec.argv, (std::vector<std::string>{"/bin/sleep", "11"}));
    EXPECT_EQ(host_.service("pair-a").updates, 1);
    EXPECT_EQ(host_.service("pair-a-sidecar").updates, 0) << "an unchanged service is left alone";
}

TEST_F(KitLifecycle, a_check_that_cannot_run_fails_the_action_and_is_tried_again) {
    check_answer_ = CommandResult{127, 0, "check: not found\n"};
    FakeWorker worker = make();
    worker.step();
    worker.step();
    const auto failed = worker.step();
    EXPECT_EQ(failed.action, "check");
    EXPECT_EQ(worker.last_action_result().error, "pair check did not finish: check: not found");
    const auto again = worker.step();
    EXPECT_EQ(again.action, "check");
    EXPECT_EQ(again.reason,
              "pair check could not run: pair check did not finish: check: not found");
    check_answer_ = CommandResult{0, 0, ""};
    settle(worker, "running");
}

TEST_F(KitLifecycle, deploy_removes_a_service_the_plan_no_longer_names) {
    FakeWorker worker = make();
    settle(worker, "running");
    worker.set_config(R"({"argv":["/bin/sleep","9"],"sidecar":false})");
    settle(worker, "running");
    EXPECT_TRUE(host_.has_service("pair-a"));
    EXPECT_FALSE(host_.has_service("pair-a-sidecar"));
}

TEST_F(KitLifecycle, a_crash_loop_is_named_with_the_exit_code) {
    FakeWorker worker = make();
    settle(worker, "running");
    for (int i = 0; i < 3; ++i) {
        host_.crash_service("pair-a", 2);
        worker.step();
        host_.advance(kSecond);
        host_.revive_service("pair-a");
        worker.step();
    }
    host_.crash_service("pair-a", 2);
    const auto tick = worker.step();
    EXPECT_EQ(worker.state(), "degraded");
    EXPECT_EQ(tick.reason,
              "service pair-a exited with code 2; 4 restarts; crash loop: pair-a: 4 exits in the "
              "last 60 s; s6 starts it again");
}

TEST_F(KitLifecycle, readiness_by_notification_waits_for_the_signal) {
    FakeWorker worker = make(R"({"argv":["/bin/sleep","9"],"notify":true,"sidecar":false})");
    settle(worker, "starting");
    const std::string waiting = worker.step().reason;
    EXPECT_EQ(waiting.rfind("process 1000 up for ", 0), 0u) << waiting;
    EXPECT_NE(waiting.find(" s; not ready: service pair-a has not signalled readiness"),
              std::string::npos)
        << waiting;
    host_.update_service("pair-a", [&](FakeService &s) {
        s.status.ready = true;
        s.status.ready_since_ns = host_.wall_now_ns();
    });
    host_.advance(2 * kSecond);
    EXPECT_EQ(worker.step().state, "running");
}

TEST_F(KitLifecycle, a_process_that_stays_not_ready_is_restarted_in_place_with_backoff) {
    FakeWorker worker =
        make(R"({"argv":["/bin/sleep","9"],"notify":true,"sidecar":false,"restart_ms":5000})");
    for (int s = 0; s < 40 && worker.state() != "degraded"; ++s) {
        worker.step();
        host_.advance(kSecond / 2);
    }
    ASSERT_EQ(worker.state(), "degraded");
    warden::testing::NextResult restart;
    for (int i = 0; i < 20 && restart.action != "restart"; ++i) restart = worker.step();
    ASSERT_EQ(restart.action, "restart");
    EXPECT_NE(restart.reason.find(" s: service pair-a has not signalled readiness; restarting it "
                                  "in place (restart 1, next after 10.0 s)"),
              std::string::npos)
        << restart.reason;
    ASSERT_EQ(host_.service("pair-a").commands.size(), 1u);
    EXPECT_EQ(host_.service("pair-a").commands[0].first, warden::ServiceCommand::restart);
    host_.advance(kSecond);
    EXPECT_EQ(
        worker.step().reason,
        "not ready for 1.0 s: service pair-a has not signalled readiness; restart 2 in 9.0 s");
}

TEST_F(KitLifecycle, desired_stopped_stops_every_service_and_keeps_them) {
    FakeWorker worker = make();
    settle(worker, "running");
    worker.set_desired_state(DesiredState::stopped);
    EXPECT_EQ(worker.step().state, "stopping");
    const auto tick = worker.step();
    EXPECT_EQ(tick.action, "stop");
    EXPECT_EQ(tick.reason, "stopping services pair-a, pair-a-sidecar");
    settle(worker, "stopped");
    EXPECT_EQ(worker.step().reason, "stopped; services pair-a, pair-a-sidecar kept");
    EXPECT_FALSE(host_.service("pair-a").status.up);
    EXPECT_FALSE(host_.service("pair-a-sidecar").status.normally_up);
}

TEST_F(KitLifecycle, shutdown_removes_every_service_then_asks_to_be_removed) {
    FakeWorker worker = make();
    settle(worker, "running");
    worker.request_shutdown();
    warden::testing::NextResult tick;
    for (int i = 0; i < 10 && tick.signal != Signal::needs_removal; ++i) tick = worker.step();
    EXPECT_EQ(tick.signal, Signal::needs_removal);
    EXPECT_EQ(tick.reason, "stopped; services pair-a, pair-a-sidecar removed");
    EXPECT_FALSE(host_.has_service("pair-a"));
    EXPECT_FALSE(host_.has_service("pair-a-sidecar"));
}

TEST_F(KitLifecycle, a_stale_status_is_never_trusted_as_up) {
    FakeWorker worker = make();
    settle(worker, "running");
    host_.update_service("pair-a-sidecar", [](FakeService &s) { s.status.supervised = false; });
    const auto tick = worker.step();
    EXPECT_EQ(worker.state(), "degraded");
    EXPECT_EQ(tick.reason,
              "s6-supervise is not running for service pair-a-sidecar; its status is stale");
}

TEST_F(KitLifecycle, a_service_that_disappears_is_created_again) {
    FakeWorker worker = make();
    settle(worker, "running");
    ASSERT_EQ(worker.execute("remove").status, WARDEN_OK);
    auto tick = worker.step();
    EXPECT_EQ(tick.state, "starting");
    EXPECT_EQ(tick.reason, "service pair-a disappeared; re-creating it");
    settle(worker, "running");
}

TEST_F(KitLifecycle, the_observed_document_round_trips) {
    FakeWorker worker = make();
    settle(worker, "running");
    const kit::Observed o = kit::Observed::from_json(worker.observed_json());
    ASSERT_EQ(o.services.size(), 2u);
    EXPECT_EQ(o.services[0].name, "pair-a");
    EXPECT_TRUE(o.services[0].status.up);
    EXPECT_TRUE(o.ready);
    EXPECT_EQ(o.check.passed, true);
    EXPECT_EQ(o.deployed, o.check.fingerprint);
    EXPECT_EQ(kit::Observed::from_json(o.to_json()).to_json(), o.to_json());
    EXPECT_THROW(kit::Observed::from_json("[1]"), warden::Error);
    EXPECT_TRUE(kit::Observed::from_json("").services.empty());
}

TEST(KitPlan, the_wait_before_each_not_ready_restart_doubles_up_to_its_cap) {
    kit::Plan p;
    p.not_ready_restart_ms = 60'000;
    EXPECT_EQ(p.restart_wait_ms(0), 60'000);
    EXPECT_EQ(p.restart_wait_ms(1), 120'000);
    EXPECT_EQ(p.restart_wait_ms(4), 960'000);
    EXPECT_EQ(p.restart_wait_ms(5), 1'800'000);
    EXPECT_EQ(p.restart_wait_ms(4'000'000'000u), 1'800'000);
    p.not_ready_restart_ms = 1'800'000;
    EXPECT_EQ(p.restart_wait_ms(1), 1'800'000);
}

TEST(KitReadiness, a_process_first_seen_not_ready_has_been_so_since_it_started) {
    kit::ReadinessClock clock;
    const int64_t t = 100 * kSecond;
    EXPECT_EQ(clock.observe(t, 42, 5'000, false).not_ready_for_ms, 0)
        << "found running when the worker began watching: not before then";
    EXPECT_EQ(clock.observe(t + kSecond, 42, 6'000, false).not_ready_for_ms, 1'000);
    EXPECT_EQ(clock.observe(t + 2 * kSecond, 43, 500, false).not_ready_for_ms, 500)
        << "a new process: since it started";
    EXPECT_EQ(clock.observe(t + 3 * kSecond, 43, 1'500, true).ready_for_ms, 0);
    EXPECT_EQ(clock.observe(t + 5 * kSecond, 43, 3'500, true).ready_for_ms, 2'000);
    EXPECT_EQ(clock.observe(t + 6 * kSecond, 0, 0, false).ready_for_ms, 0) << "down";
}

TEST(KitCrashLoop, counts_deaths_within_the_window_from_the_first_observation_on) {
    kit::CrashLoop loop(60 * kSecond, 3);
    EXPECT_EQ(loop.observe(kSecond, 50), "") << "deaths before watching are not dated";
    EXPECT_EQ(loop.observe(2 * kSecond, 52), "");
    EXPECT_EQ(loop.observe(3 * kSecond, 53), "3 exits in the last 60 s");
    EXPECT_EQ(loop.observe(70 * kSecond, 53), "") << "older than the window";
    EXPECT_EQ(loop.observe(71 * kSecond, 1), "") << "a new s6-supervise counts from 0 again";
    EXPECT_EQ(loop.observe(72 * kSecond, 4'000'000'000u), "1000 exits in the last 60 s")
        << "bounded however many deaths one observation reports";
}

}  // namespace
