// SPDX-License-Identifier: Apache-2.0
// host/supervisor/worker_runtime.hpp — everything the supervisor keeps about
// one worker: the plugin's worker, its three documents (identity, desired,
// observed), its state, and what its collector and executor are doing.
//
// THREADING: owned by the Supervisor and touched only under its lock. Hooks
// run on pool threads with copies (a snapshot) and report back through the
// supervisor's inbox; the only things they share with the runtime are the
// PluginWorker (kept alive while any hook runs) and the cancel tokens.
#pragma once

#include "plugins/worker_type.hpp"
#include "supervisor/worker_status.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace warden::host {

/// What the config asks of one worker, after its plugin derived the desired
/// state from the worker's `config:` block.
struct WorkerSpec {
    const WorkerType *type = nullptr;
    std::string name;
    int32_t desired_state = WARDEN_DESIRED_RUNNING;
    std::string desired_json;

    std::string label() const { return type->name() + "/" + name; }
    bool same_as(const WorkerSpec &other) const {
        return type == other.type && name == other.name && desired_state == other.desired_state &&
               desired_json == other.desired_json;
    }
};

/// Where one worker is in its life, from its creation to its removal.
///
///   waiting --create--> creating --made--> live --needs-restart--> restarting
///      ^                    | failed                                  |
///      +--------------------+------ (after a backoff) <---------------+ destroyed
///   live --needs-removal, after a shutdown request--> removing --destroyed--> gone
///
/// Only a live worker collects and decides; restarting and removing wait
/// for its hooks in flight, then destroy its plugin worker. A waiting worker
/// removed from the config goes to removing at once (nothing to shut down).
enum class Lifecycle {
    waiting,     ///< no plugin worker; made when its backoff passed
    creating,    ///< the plugin's create runs
    live,        ///< made: collecting, deciding, acting
    restarting,  ///< to be destroyed and made again
    removing,    ///< to be destroyed and forgotten
};

const char *lifecycle_name(Lifecycle lifecycle);

struct WorkerRuntime {
    WorkerSpec spec;
    WorkerIdentity identity;
    std::unique_ptr<PluginWorker> worker;  ///< null until create succeeded
    Lifecycle lifecycle = Lifecycle::waiting;
    int64_t created_at = 0;  ///< monotonic
    bool shutdown_requested = false;
    bool stop_for_exit = false;  ///< the host exits with stop_services_on_exit
    int restarts = 0;            ///< needs-restart signals since it was last healthy
    int64_t restart_at = 0;      ///< re-created no sooner than this (monotonic)
    int64_t due_at = 0;          ///< the supervisor's timer for it; 0: none

    // The state machine. Times are monotonic ns.
    std::string state;
    int32_t state_phase = 0;  ///< WARDEN_PHASE_* of `state`
    int64_t state_since = 0;
    std::string reason;
    uint64_t state_changes = 0;

    // The collector.
    std::string observed_json;
    int64_t observed_at = 0;  ///< when the collect that made it started; 0: none yet
    bool collecting = false;
    bool collect_again = false;  ///< an event came in while collecting
    int64_t collect_started = 0;
    int64_t next_collect_at = 0;
    std::shared_ptr<warden_cancel> collect_cancel;
    std::string collect_error;
    int collector_restarts = 0;
    int64_t next_collector_restart = 0;
    bool stale = false;

    // Deciding.
    bool deciding = false;
    bool dirty = true;      ///< something changed since the last decision
    bool quiet = false;     ///< the last decision stayed and asked for nothing
    int64_t decide_at = 0;  ///< also decide once this time comes; 0: no timer
    std::string failure;    ///< the last hook failure; "" when fine
    int failures = 0;       ///< failures in a row
    int64_t failure_retry_at = 0;

    // The executor.
    std::string action;  ///< in flight; "" when none
    int64_t action_started = 0;
    int64_t action_deadline = 0;
    std::shared_ptr<warden_cancel> action_cancel;
    std::string last_action;
    int32_t last_action_status = WARDEN_OK;
    std::string last_action_error;
    int64_t last_action_finished = 0;
    int action_failures = 0;  ///< failures in a row of last_action
    int64_t action_retry_at = 0;

    bool busy() const {
        return lifecycle == Lifecycle::creating || collecting || deciding || !action.empty();
    }
    int32_t effective_desired() const {
        return stop_for_exit ? WARDEN_DESIRED_STOPPED : spec.desired_state;
    }
    int32_t phase() const { return state_phase; }
    /// Moves to `next` (a state of its type) at `now`.
    void enter_state(const std::string &next, int64_t now);
    std::string label() const { return spec.label(); }

    /// What collect, next and execute are handed, at monotonic time `now`.
    WorkerSnapshot snapshot(int64_t now) const;
    /// The status copy; `now`/`wall_now` convert monotonic times to unix.
    /// `brief`: without the observed and desired documents.
    WorkerStatus status(int64_t now, int64_t wall_now, bool brief = false) const;
};

}  // namespace warden::host
