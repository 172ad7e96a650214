// SPDX-License-Identifier: Apache-2.0
// tests/unit/worker_cycle_test.cpp — the rules of a worker's cycle at
// made-up times: action gating, staleness, collector restarts, backoffs, the
// settled observation interval and the supervisor's timer. No threads, no
// plugin, no clock: each rule is a function of the worker and `now`.
#include "supervisor/worker_cycle.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>

namespace warden::host {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kS = 1'000 * kMs;

// The default clocks: observed every 1 s, every 4 s once settled; stale
// after 10 s; the collector restarted after 20 s, 3 times at most.
class WorkerCycleTest : public ::testing::Test {
protected:
    SupervisorSettings settings_;
    WorkerCycle cycle_{settings_};

    // A live worker created at 1 s, observed at `observed`, running healthy
    // since 1 s, with nothing new to decide on.
    static WorkerRuntime live(int64_t observed = 2 * kS) {
        WorkerRuntime w;
        w.lifecycle = Lifecycle::live;
        w.created_at = 1 * kS;
        w.state = "running";
        w.state_phase = WARDEN_PHASE_RUNNING_HEALTHY;
        w.state_since = 1 * kS;
        w.observed_at = observed;
        w.next_collect_at = observed + 4 * kS;
        w.dirty = false;
        w.quiet = true;
        return w;
    }
};

TEST_F(WorkerCycleTest, a_new_observation_is_decided_on_and_nothing_new_is_not) {
    WorkerRuntime w = live();
    EXPECT_EQ(cycle_.decide_gate(w, 3 * kS, false), DecideGate::nothing_new);
    w.dirty = true;
    EXPECT_EQ(cycle_.decide_gate(w, 3 * kS, false), DecideGate::decide);
    EXPECT_EQ(cycle_.decide_gate(w, 3 * kS, true), DecideGate::host_exiting);
    w.deciding = true;
    EXPECT_EQ(cycle_.decide_gate(w, 3 * kS, false), DecideGate::deciding);
}

TEST_F(WorkerCycleTest, nothing_is_decided_before_the_first_observation_or_without_a_live_worker) {
    WorkerRuntime w = live(0);
    w.dirty = true;
    EXPECT_EQ(cycle_.decide_gate(w, 3 * kS, false), DecideGate::nothing_observed);
    for (const Lifecycle l :
         {Lifecycle::waiting, Lifecycle::creating, Lifecycle::restarting, Lifecycle::removing}) {
        WorkerRuntime other = live();
        other.dirty = true;
        other.lifecycle = l;
        EXPECT_EQ(cycle_.decide_gate(other, 3 * kS, false), DecideGate::not_live)
            << lifecycle_name(l);
    }
}

TEST_F(WorkerCycleTest, an_action_holds_decisions_until_an_observation_begun_after_it_finished) {
    WorkerRuntime w = live();
    w.dirty = true;
    w.action = "start";
    EXPECT_EQ(cycle_.decide_gate(w, 3 * kS, false), DecideGate::action_running);

    // It finished at 3.5 s; the observation the worker has began at 2 s.
    w.action.clear();
    w.last_action = "start";
    w.last_action_finished = 3500 * kMs;
    EXPECT_EQ(cycle_.decide_gate(w, 4 * kS, false), DecideGate::awaiting_observation);
    // One begun before it finished still does not count ...
    w.observed_at = 3400 * kMs;
    EXPECT_EQ(cycle_.decide_gate(w, 4 * kS, false), DecideGate::awaiting_observation);
    // ... one begun after it does.
    w.observed_at = 3600 * kMs;
    EXPECT_EQ(cycle_.decide_gate(w, 4 * kS, false), DecideGate::decide);
}

TEST_F(WorkerCycleTest, an_observation_older_than_the_stale_limit_stops_decisions_but_a_shutdown) {
    WorkerRuntime w = live(2 * kS);
    EXPECT_FALSE(cycle_.stale(w, 12 * kS)) << "exactly the limit is not stale";
    EXPECT_TRUE(cycle_.stale(w, 12 * kS + 1));
    EXPECT_EQ(cycle_.observation_age(w, 12 * kS), 10 * kS);

    w.stale = true;
    w.dirty = true;
    EXPECT_EQ(cycle_.decide_gate(w, 13 * kS, false), DecideGate::stale);
    w.shutdown_requested = true;
    EXPECT_EQ(cycle_.decide_gate(w, 13 * kS, false), DecideGate::decide)
        << "a worker asked to shut down walks on without observations";

    // Before its first observation, the age counts from its creation.
    WorkerRuntime fresh = live(0);
    EXPECT_EQ(cycle_.observation_age(fresh, 5 * kS), 4 * kS);
    EXPECT_TRUE(cycle_.stale(fresh, 11 * kS + 1));
}

TEST_F(WorkerCycleTest, a_collector_without_observations_is_restarted_then_given_up) {
    WorkerRuntime w = live(2 * kS);
    EXPECT_EQ(cycle_.collector_verdict(w, 22 * kS), CollectorVerdict::fine);
    EXPECT_EQ(cycle_.collector_verdict(w, 22 * kS + 1), CollectorVerdict::restart);
    // A restart under way (its wait and the collect timeout) is not restarted again.
    w.collector_restarts = 1;
    w.next_collector_restart = 28 * kS;
    EXPECT_EQ(cycle_.collector_verdict(w, 25 * kS), CollectorVerdict::fine);
    EXPECT_EQ(cycle_.collector_verdict(w, 28 * kS), CollectorVerdict::restart);
    w.collector_restarts = settings_.collector_restarts;
    EXPECT_EQ(cycle_.collector_verdict(w, 28 * kS), CollectorVerdict::give_up);
    w.shutdown_requested = true;
    EXPECT_EQ(cycle_.collector_verdict(w, 28 * kS), CollectorVerdict::fine)
        << "already shutting down";

    // Waits of 1 s, 2 s, 4 s ... up to a minute between restarts.
    EXPECT_EQ(cycle_.collector_restart_wait(1), 1 * kS);
    EXPECT_EQ(cycle_.collector_restart_wait(2), 2 * kS);
    EXPECT_EQ(cycle_.collector_restart_wait(3), 4 * kS);
    EXPECT_EQ(cycle_.collector_restart_wait(30), 60 * kS);
}

TEST_F(WorkerCycleTest, retries_wait_as_their_backoff_says) {
    EXPECT_EQ(cycle_.action_retry_wait(2), 2 * kS);
    EXPECT_EQ(cycle_.failure_retry_wait(0), 0);
    EXPECT_EQ(cycle_.failure_retry_wait(1), 1 * kS);
    EXPECT_EQ(cycle_.failure_retry_wait(10), 60 * kS);
}

TEST_F(WorkerCycleTest, a_failed_action_is_not_run_again_before_its_backoff_passed) {
    WorkerRuntime w = live();
    w.last_action = "start";
    w.action_failures = 2;
    w.action_retry_at = 10 * kS;
    EXPECT_EQ(cycle_.action_backed_off_until(w, "start", 9 * kS), 10 * kS);
    EXPECT_EQ(cycle_.action_backed_off_until(w, "start", 10 * kS), 0) << "its time came";
    EXPECT_EQ(cycle_.action_backed_off_until(w, "stop", 9 * kS), 0) << "another action runs";
    w.action_failures = 0;
    EXPECT_EQ(cycle_.action_backed_off_until(w, "start", 9 * kS), 0) << "it last succeeded";
}

TEST_F(WorkerCycleTest, a_failing_plugin_is_asked_again_once_its_backoff_passed) {
    WorkerRuntime w = live();
    w.failures = 2;
    w.failure_retry_at = 8 * kS;
    w.next_collect_at = 20 * kS;
    EXPECT_EQ(cycle_.decide_gate(w, 7 * kS, false), DecideGate::failure_backoff);
    EXPECT_EQ(cycle_.decide_gate(w, 8 * kS, false), DecideGate::decide)
        << "asked again even with nothing new";
    EXPECT_EQ(cycle_.next_due(w, 7 * kS, false), 8 * kS);
}

TEST_F(WorkerCycleTest, a_settled_worker_is_observed_at_the_idle_interval_and_others_more_often) {
    const auto within = [](int64_t wait, std::chrono::milliseconds interval) {
        const int64_t i = nanoseconds(interval);
        return wait <= i && wait >= i - i / 10;
    };
    WorkerRuntime w = live();
    const int64_t now = 10 * kS;  // healthy since 1 s: 9 s
    EXPECT_TRUE(cycle_.settled(w, now));
    for (int i = 0; i < 100; ++i)
        ASSERT_TRUE(
            within(cycle_.next_observation_in(w, now), settings_.idle_observation_interval));

    // The settled worker with one thing changed by `edit`.
    const auto not_settled = [&](const std::function<void(WorkerRuntime &)> &edit,
                                 const char *why) {
        WorkerRuntime changed = live();
        edit(changed);
        EXPECT_FALSE(cycle_.settled(changed, now)) << why;
        for (int i = 0; i < 20; ++i)
            ASSERT_TRUE(
                within(cycle_.next_observation_in(changed, now), settings_.observation_interval))
                << why;
    };
    not_settled([&](WorkerRuntime &c) { c.state_since = now - 3 * kS; },
                "healthy for less than the idle interval");
    not_settled([](WorkerRuntime &c) { c.quiet = false; }, "its last decision asked for something");
    not_settled([](WorkerRuntime &c) { c.state_phase = WARDEN_PHASE_RUNNING_DEGRADED; },
                "degraded");
    not_settled([](WorkerRuntime &c) { c.action_failures = 1; }, "an action failing");
    not_settled([](WorkerRuntime &c) { c.failures = 1; }, "its plugin failing");
    not_settled([](WorkerRuntime &c) { c.shutdown_requested = true; }, "shutting down");

    WorkerRuntime stopped = live();
    stopped.state = "stopped";
    stopped.state_phase = WARDEN_PHASE_STOPPED;
    EXPECT_TRUE(cycle_.settled(stopped, now)) << "stopped as asked settles too";
}

TEST_F(WorkerCycleTest, the_timer_is_the_earliest_thing_due) {
    WorkerRuntime w = live(2 * kS);  // next collect at 6 s
    EXPECT_EQ(cycle_.next_due(w, 3 * kS, false), 6 * kS);
    // The host exits leaving services: no collect, only the cap.
    EXPECT_EQ(cycle_.next_due(w, 3 * kS, true), 3 * kS + nanoseconds(settings_.stale_after));

    // Collecting: its timeout (5 s after it began), unless cancelled.
    w.collecting = true;
    w.collect_started = 6 * kS;
    w.collect_cancel = std::make_shared<warden_cancel>();
    EXPECT_EQ(cycle_.next_due(w, 7 * kS, false), 11 * kS);
    w.collect_cancel->requested = true;
    EXPECT_EQ(cycle_.next_due(w, 7 * kS, false), 12 * kS + 1) << "then going stale";
    w.collecting = false;
    w.collect_cancel.reset();

    // An action: its deadline.
    w.action = "start";
    w.action_deadline = 4 * kS;
    w.action_cancel = std::make_shared<warden_cancel>();
    EXPECT_EQ(cycle_.next_due(w, 3 * kS, false), 4 * kS);
    w.action.clear();
    w.action_cancel.reset();

    // A decision asked again later (an action backed off).
    w.decide_at = 5 * kS;
    EXPECT_EQ(cycle_.next_due(w, 3 * kS, false), 5 * kS);
    w.decide_at = 0;

    // Never before now.
    EXPECT_EQ(cycle_.next_due(w, 7 * kS, false), 7 * kS);
}

TEST_F(WorkerCycleTest, the_timer_of_a_worker_not_live) {
    WorkerRuntime w = live();
    w.lifecycle = Lifecycle::waiting;
    w.failure_retry_at = 5 * kS;
    w.restart_at = 6 * kS;
    EXPECT_EQ(cycle_.next_due(w, 3 * kS, false), 6 * kS) << "made again when both passed";
    w.shutdown_requested = true;
    EXPECT_EQ(cycle_.next_due(w, 3 * kS, false), 3 * kS) << "removed at once";

    WorkerRuntime gone = live();
    gone.lifecycle = Lifecycle::removing;
    EXPECT_EQ(cycle_.next_due(gone, 3 * kS, false), 3 * kS) << "destroyed at the next tick";
    gone.deciding = true;
    EXPECT_EQ(cycle_.next_due(gone, 3 * kS, false), 3 * kS + nanoseconds(settings_.stale_after))
        << "not while a hook runs: its return moves it on";
}

}  // namespace
}  // namespace warden::host
