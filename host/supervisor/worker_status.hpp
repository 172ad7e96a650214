// SPDX-License-Identifier: Apache-2.0
// host/supervisor/worker_status.hpp — what the supervisor shows of one
// worker: a copy, taken under the supervisor's lock, that the status socket
// and the tests read at leisure. Times are unix ns; 0 means "never".
#pragma once

#include <warden/plugin.h>

#include <cstdint>
#include <string>

namespace warden::host {

struct WorkerStatus {
    std::string type;
    std::string name;
    std::string state;
    int32_t phase = 0;   ///< WARDEN_PHASE_*
    std::string reason;  ///< why it is where it is: the last decision's reason
    int64_t state_since = 0;
    uint64_t state_changes = 0;

    int32_t desired_state = WARDEN_DESIRED_RUNNING;
    bool shutdown_requested = false;

    int64_t observed_at = 0;  ///< when the last observation was collected
    bool stale = false;       ///< that observation is older than the stale limit
    std::string observed_json;
    std::string desired_json;
    std::string collect_error;  ///< why the last collect failed; "" when it did not
    int collector_restarts = 0;

    std::string action_running;  ///< the action in flight; "" when none
    std::string last_action;     ///< the last finished action; "" when none
    int32_t last_action_status = WARDEN_OK;
    std::string last_action_error;
    int64_t last_action_finished = 0;
    int action_failures = 0;      ///< failures in a row of last_action
    int64_t action_retry_at = 0;  ///< backed off: not run again before this

    std::string failure;  ///< the plugin broke the contract or failed; "" when fine
    int64_t failure_retry_at = 0;

    std::string label() const { return type + "/" + name; }
};

/// Where its config asks it to be (phase running-healthy when asked to run,
/// stopped when asked to stop), its observation not stale and its plugin
/// not failing: `healthy` of `warden --status --json` and the
/// warden_worker_healthy metric.
inline bool worker_healthy(const WorkerStatus &w) {
    const int32_t wanted = w.desired_state == WARDEN_DESIRED_STOPPED ? WARDEN_PHASE_STOPPED
                                                                     : WARDEN_PHASE_RUNNING_HEALTHY;
    return w.phase == wanted && !w.stale && w.failure.empty();
}

}  // namespace warden::host
