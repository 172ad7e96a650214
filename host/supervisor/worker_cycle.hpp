// SPDX-License-Identifier: Apache-2.0
// host/supervisor/worker_cycle.hpp — the rules of one worker's cycle, apart
// from threads, plugins and the clock: when to collect, whether to decide,
// whether an action may run, when an observation is stale, when the
// collector is restarted, how long a settled worker waits between
// observations, and when the supervisor must look at the worker next.
//
// Each rule is a function of the worker's runtime and the time `now`
// (monotonic ns) the caller passes in, so every one is tested with made-up
// times (tests/unit/worker_cycle_test.cpp). The Supervisor applies them:
// it runs the hooks, records what they returned, and logs.
//
// THREADING: WorkerCycle has no state but its settings and, in
// next_observation_in, its random spread; call it under the supervisor's lock.
#pragma once

#include "supervisor/supervisor_settings.hpp"
#include "supervisor/worker_runtime.hpp"

#include <cstdint>
#include <random>

namespace warden::host {

/// Why a worker may or may not decide now (the first reason that holds).
enum class DecideGate {
    decide,                ///< something changed, a timer came, or a failure is retried
    not_live,              ///< no plugin worker, or it is being retired
    deciding,              ///< a decision is already being made
    host_exiting,          ///< the host exits leaving services as they are
    failure_backoff,       ///< the plugin failed; asked again at failure_retry_at
    nothing_observed,      ///< no observation yet
    stale,                 ///< the observation is too old (a shutdown still decides)
    action_running,        ///< action gating: the action has not finished ...
    awaiting_observation,  ///< ... or nothing observed since it finished
    nothing_new,           ///< no change, no timer, no failure
};

const char *decide_gate_name(DecideGate gate);

/// What the collector check found.
enum class CollectorVerdict {
    fine,     ///< observations arrive, or a restart is already under way
    restart,  ///< too long without an observation: cancel, wait, collect again
    give_up,  ///< restarted too often: ask the worker to shut down
};

class WorkerCycle {
public:
    explicit WorkerCycle(const SupervisorSettings &settings, uint32_t seed = 1);

    // ---- collect --------------------------------------------------------

    /// A collect should start: the worker is live, none runs and its time came.
    bool collect_due(const WorkerRuntime &w, int64_t now) const;
    /// How old its newest observation is (since it was created, before the first).
    int64_t observation_age(const WorkerRuntime &w, int64_t now) const;
    /// Older than stale_after: the worker does not decide on it.
    bool stale(const WorkerRuntime &w, int64_t now) const;
    /// No observation for collector_timeout: restart the collector, or give
    /// up after collector_restarts restarts in a row.
    CollectorVerdict collector_verdict(const WorkerRuntime &w, int64_t now) const;
    /// The wait before the n-th collector restart in a row.
    int64_t collector_restart_wait(int restarts) const;
    /// Healthy (or stopped as asked) for at least the idle observation
    /// interval, with nothing to do and nothing failing.
    bool settled(const WorkerRuntime &w, int64_t now) const;
    /// The wait until the next collect: the observation interval (the idle
    /// one once settled), less up to a tenth, so that workers created
    /// together drift apart and none waits longer than the interval.
    int64_t next_observation_in(const WorkerRuntime &w, int64_t now);

    // ---- decide ---------------------------------------------------------

    /// Whether the worker may decide now; `host_exiting`: the host exits
    /// and leaves the services as they are.
    DecideGate decide_gate(const WorkerRuntime &w, int64_t now, bool host_exiting) const;

    // ---- act ------------------------------------------------------------

    /// An action a decision asked for is started unless it is the one that
    /// failed last and its backoff has not passed; then this returns when it
    /// may run (and 0 when it may run now).
    int64_t action_backed_off_until(const WorkerRuntime &w, const std::string &action,
                                    int64_t now) const;
    /// The wait after an action failed `failures` times in a row.
    int64_t action_retry_wait(int failures) const;
    /// The wait after the plugin failed `failures` times in a row (also
    /// before re-creating a worker that asked for its n-th restart in a row).
    int64_t failure_retry_wait(int failures) const;

    // ---- the supervisor's timer -----------------------------------------

    /// The next time something of this worker is due without any event: a
    /// collect, a hook's deadline, the observation going stale, a collector
    /// restart, a retry, a re-creation. Never later than now + stale_after,
    /// so a missed case costs a late look, not a stuck worker.
    int64_t next_due(const WorkerRuntime &w, int64_t now, bool host_exiting) const;

private:
    const SupervisorSettings &settings_;
    std::minstd_rand jitter_;
};

}  // namespace warden::host
