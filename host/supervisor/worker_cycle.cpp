// SPDX-License-Identifier: Apache-2.0
// host/supervisor/worker_cycle.cpp
#include "supervisor/worker_cycle.hpp"

#include <algorithm>

namespace warden::host {

const char *decide_gate_name(DecideGate gate) {
    switch (gate) {
        case DecideGate::decide: return "decide";
        case DecideGate::not_live: return "not live";
        case DecideGate::deciding: return "deciding";
        case DecideGate::host_exiting: return "host exiting";
        case DecideGate::failure_backoff: return "failure backoff";
        case DecideGate::nothing_observed: return "nothing observed";
        case DecideGate::stale: return "stale";
        case DecideGate::action_running: return "action running";
        case DecideGate::awaiting_observation: return "awaiting an observation after the action";
        case DecideGate::nothing_new: return "nothing new";
    }
    return "?";
}

WorkerCycle::WorkerCycle(const SupervisorSettings &settings, uint32_t seed)
    : settings_(settings), jitter_(seed) {}

bool WorkerCycle::collect_due(const WorkerRuntime &w, int64_t now) const {
    return w.lifecycle == Lifecycle::live && !w.collecting && now >= w.next_collect_at;
}

int64_t WorkerCycle::observation_age(const WorkerRuntime &w, int64_t now) const {
    return now - (w.observed_at != 0 ? w.observed_at : w.created_at);
}

bool WorkerCycle::stale(const WorkerRuntime &w, int64_t now) const {
    return observation_age(w, now) > nanoseconds(settings_.stale_after);
}

CollectorVerdict WorkerCycle::collector_verdict(const WorkerRuntime &w, int64_t now) const {
    if (w.shutdown_requested ||
        observation_age(w, now) <= nanoseconds(settings_.collector_timeout) ||
        now < w.next_collector_restart)
        return CollectorVerdict::fine;
    return w.collector_restarts >= settings_.collector_restarts ? CollectorVerdict::give_up
                                                                : CollectorVerdict::restart;
}

int64_t WorkerCycle::collector_restart_wait(int restarts) const {
    return nanoseconds(settings_.collector_backoff.after(restarts));
}

bool WorkerCycle::settled(const WorkerRuntime &w, int64_t now) const {
    const int32_t phase = w.phase();
    return (phase == WARDEN_PHASE_RUNNING_HEALTHY || phase == WARDEN_PHASE_STOPPED) && w.quiet &&
           w.failures == 0 && w.action_failures == 0 && w.action.empty() && !w.shutdown_requested &&
           now - w.state_since >= nanoseconds(settings_.idle_observation_interval);
}

int64_t WorkerCycle::next_observation_in(const WorkerRuntime &w, int64_t now) {
    const int64_t interval = nanoseconds(settled(w, now) ? settings_.idle_observation_interval
                                                         : settings_.observation_interval);
    std::uniform_int_distribution<int64_t> spread(-interval / 10, 0);
    return interval + spread(jitter_);
}

DecideGate WorkerCycle::decide_gate(const WorkerRuntime &w, int64_t now, bool host_exiting) const {
    if (w.lifecycle != Lifecycle::live) return DecideGate::not_live;
    if (w.deciding) return DecideGate::deciding;
    if (host_exiting) return DecideGate::host_exiting;
    if (w.failures > 0 && now < w.failure_retry_at) return DecideGate::failure_backoff;
    if (w.observed_at == 0) return DecideGate::nothing_observed;
    if (w.stale && !w.shutdown_requested) return DecideGate::stale;
    // Action gating: wait for the action, then for an observation begun after it.
    if (!w.action.empty()) return DecideGate::action_running;
    if (w.last_action_finished != 0 && w.observed_at < w.last_action_finished)
        return DecideGate::awaiting_observation;
    const bool timer = w.decide_at != 0 && now >= w.decide_at;
    return w.dirty || timer || w.failures > 0 ? DecideGate::decide : DecideGate::nothing_new;
}

int64_t WorkerCycle::action_backed_off_until(const WorkerRuntime &w, const std::string &action,
                                             int64_t now) const {
    const bool backed_off =
        action == w.last_action && w.action_failures > 0 && now < w.action_retry_at;
    return backed_off ? w.action_retry_at : 0;
}

int64_t WorkerCycle::action_retry_wait(int failures) const {
    return nanoseconds(settings_.action_backoff.after(failures));
}

int64_t WorkerCycle::failure_retry_wait(int failures) const {
    return nanoseconds(settings_.failure_backoff.after(failures));
}

int64_t WorkerCycle::next_due(const WorkerRuntime &w, int64_t now, bool host_exiting) const {
    int64_t due = now + nanoseconds(settings_.stale_after);
    const auto at = [&](int64_t when) { due = std::min(due, std::max(when, now)); };
    // A hook past its deadline is cancelled, whatever the lifecycle.
    if (w.collecting && w.collect_cancel && !w.collect_cancel->requested)
        at(w.collect_started + nanoseconds(settings_.collect_timeout));
    if (!w.action.empty() && w.action_cancel && !w.action_cancel->requested) at(w.action_deadline);
    switch (w.lifecycle) {
        case Lifecycle::waiting:
            at(w.shutdown_requested ? now : std::max(w.failure_retry_at, w.restart_at));
            break;
        case Lifecycle::live: {
            if (!host_exiting) {
                if (!w.collecting) at(w.next_collect_at);
                const int64_t since = w.observed_at != 0 ? w.observed_at : w.created_at;
                if (!w.stale) at(since + nanoseconds(settings_.stale_after) + 1);
                if (!w.shutdown_requested)
                    at(std::max(since + nanoseconds(settings_.collector_timeout) + 1,
                                w.next_collector_restart));
            }
            if (w.failures > 0) at(w.failure_retry_at);
            if (w.decide_at != 0) at(w.decide_at);
            break;
        }
        case Lifecycle::restarting:
        case Lifecycle::removing:
            if (!w.busy()) at(now);  // destroyed at the next tick
            break;
        case Lifecycle::creating: break;  // moves on when its create returns
    }
    return due;
}

}  // namespace warden::host
