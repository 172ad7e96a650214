// SPDX-License-Identifier: Apache-2.0
// host/supervisor/supervisor_events.hpp — what the supervisor tells whoever
// counts its work (the metrics, docs/observability.md): each collect, each
// finished action, each plugin failure and collector restart, and each
// worker that leaves for good. What a worker is now (its state, its
// backoffs) is read from Supervisor::status() instead.
//
// THREADING: called from the supervisor's threads under its lock: an
// implementation is quick, thread-safe, and never calls the supervisor.
#pragma once

#include <cstdint>
#include <string>

namespace warden::host {

enum class ActionOutcome { ok, failed, timeout };

class SupervisorEvents {
public:
    virtual ~SupervisorEvents() = default;

    /// A collect of the worker returned (or was cancelled) after `duration_ns`.
    virtual void collected(const std::string &type, const std::string &worker, bool ok,
                           int64_t duration_ns) = 0;
    /// An action of the worker finished.
    virtual void action_finished(const std::string &type, const std::string &worker,
                                 const std::string &action, ActionOutcome outcome,
                                 int64_t duration_ns) = 0;
    /// A hook of the worker's plugin failed or broke the contract.
    virtual void plugin_failed(const std::string &type, const std::string &worker) = 0;
    /// The worker's collector was restarted: it had stopped observing.
    virtual void collector_restarted(const std::string &type, const std::string &worker) = 0;
    /// The worker left the config and is gone: forget what was counted of it.
    virtual void worker_removed(const std::string &type, const std::string &worker) = 0;
};

}  // namespace warden::host
