// SPDX-License-Identifier: Apache-2.0
// host/supervisor/supervisor_settings.hpp — the supervisor's clocks and
// limits. docs/architecture.md ("One worker's timeline") says how the
// defaults fit together; every one can be set in the config file's
// `supervisor:` block.
#pragma once

#include "supervisor/backoff.hpp"

#include <warden/plugin.h>

#include <chrono>
#include <cstdint>

namespace warden::host {

/// A duration as the supervisor's times count: nanoseconds.
inline int64_t nanoseconds(std::chrono::milliseconds d) {
    return static_cast<int64_t>(d.count()) * 1'000'000;
}

struct SupervisorSettings {
    using ms = std::chrono::milliseconds;

    /// The floor of the reconcile loop: timers (staleness, timeouts, retries)
    /// are checked this often. Events (a config change, an observation, a
    /// finished action) do not wait for it.
    ms tick{100};
    /// How often each worker's collector observes its services ...
    ms observation_interval{WARDEN_DEFAULT_OBSERVATION_INTERVAL_MS};
    /// ... and how often once it has settled: healthy (or stopped as asked)
    /// for this long, with nothing to do and nothing failing. Every change
    /// s6 makes to a service is observed at once either way (inotify); this
    /// is the floor for what s6 does not report.
    ms idle_observation_interval{WARDEN_DEFAULT_IDLE_OBSERVATION_INTERVAL_MS};
    /// A single collect running longer is cancelled.
    ms collect_timeout{WARDEN_DEFAULT_COLLECT_TIMEOUT_MS};
    /// An observation older than this is stale: the worker does not decide.
    ms stale_after{WARDEN_DEFAULT_STALE_AFTER_MS};
    /// An observation older than this restarts the worker's collector ...
    ms collector_timeout{WARDEN_DEFAULT_COLLECTOR_TIMEOUT_MS};
    /// ... and after this many restarts in a row, the worker is asked to
    /// shut down.
    int collector_restarts = WARDEN_DEFAULT_COLLECTOR_RESTARTS;
    /// Waits between collector restarts.
    Backoff collector_backoff{ms(WARDEN_MIN_RETRY_DELAY_MS), ms(WARDEN_MAX_RETRY_DELAY_MS)};
    /// Waits before running again an action that keeps failing.
    Backoff action_backoff{ms(WARDEN_MIN_RETRY_DELAY_MS), ms(WARDEN_MAX_RETRY_DELAY_MS)};
    /// Waits before asking again a worker whose plugin failed (a `next` that
    /// errs or breaks the contract, a `create` that fails).
    Backoff failure_backoff{ms(WARDEN_MIN_RETRY_DELAY_MS), ms(WARDEN_MAX_RETRY_DELAY_MS)};
    /// When the host exits: how long in-flight actions (and, with
    /// stop_services_on_exit, the walk to stopped) may take.
    ms exit_budget{30'000};

    bool operator==(const SupervisorSettings &o) const {
        return tick == o.tick && observation_interval == o.observation_interval &&
               idle_observation_interval == o.idle_observation_interval &&
               collect_timeout == o.collect_timeout && stale_after == o.stale_after &&
               collector_timeout == o.collector_timeout &&
               collector_restarts == o.collector_restarts &&
               collector_backoff == o.collector_backoff && action_backoff == o.action_backoff &&
               failure_backoff == o.failure_backoff && exit_budget == o.exit_budget;
    }
    bool operator!=(const SupervisorSettings &o) const { return !(*this == o); }
};

}  // namespace warden::host
