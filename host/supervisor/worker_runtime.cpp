// SPDX-License-Identifier: Apache-2.0
// host/supervisor/worker_runtime.cpp
#include "supervisor/worker_runtime.hpp"

namespace warden::host {

const char *lifecycle_name(Lifecycle lifecycle) {
    switch (lifecycle) {
        case Lifecycle::waiting: return "waiting";
        case Lifecycle::creating: return "creating";
        case Lifecycle::live: return "live";
        case Lifecycle::restarting: return "restarting";
        case Lifecycle::removing: return "removing";
    }
    return "?";
}

void WorkerRuntime::enter_state(const std::string &next, int64_t now) {
    const StateInfo *info = spec.type->info().find_state(next);
    state = next;
    state_phase = info == nullptr ? 0 : info->phase;
    state_since = now;
}

WorkerSnapshot WorkerRuntime::snapshot(int64_t now) const {
    WorkerSnapshot s;
    s.state = state;
    s.state_since_ns = state_since;
    s.now_ns = now;
    s.desired_state = effective_desired();
    s.shutdown_requested = shutdown_requested;
    s.desired_json = spec.desired_json;
    s.observed_json = observed_json;
    s.observed_at_ns = observed_at;
    s.last_action = last_action;
    s.last_action_status = last_action_status;
    s.last_action_error = last_action_error;
    s.last_action_finished_ns = last_action_finished;
    return s;
}

WorkerStatus WorkerRuntime::status(int64_t now, int64_t wall_now, bool brief) const {
    const auto wall = [&](int64_t mono) { return mono == 0 ? 0 : wall_now - (now - mono); };
    WorkerStatus s;
    s.type = spec.type->name();
    s.name = spec.name;
    s.state = state;
    s.phase = phase();
    s.reason = reason;
    s.state_since = wall(state_since);
    s.state_changes = state_changes;
    s.desired_state = effective_desired();
    s.shutdown_requested = shutdown_requested;
    s.observed_at = wall(observed_at);
    s.stale = stale;
    if (!brief) {
        s.observed_json = observed_json;
        s.desired_json = spec.desired_json;
    }
    s.collect_error = collect_error;
    s.collector_restarts = collector_restarts;
    s.action_running = action;
    s.last_action = last_action;
    s.last_action_status = last_action_status;
    s.last_action_error = last_action_error;
    s.last_action_finished = wall(last_action_finished);
    s.action_failures = action_failures;
    s.action_retry_at = action_retry_at > now ? wall(action_retry_at) : 0;
    s.failure = failure;
    s.failure_retry_at = failure_retry_at > now ? wall(failure_retry_at) : 0;
    return s;
}

}  // namespace warden::host
