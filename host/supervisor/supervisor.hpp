// SPDX-License-Identifier: Apache-2.0
// host/supervisor/supervisor.hpp — the one supervisor of the host: keeps
// every worker the config asks for, and drives each through its plugin's
// state machine (docs/plugin-interface.md, WP-FSM-6).
//
// Per worker, a cycle of three steps (WP-FSM-6): collect (on a timer,
// slower once the worker has settled, and at once when its services change
// or an action finishes), decide (`next`, whenever something changed: a new
// observation, a finished action, a new desired state), act (the action goes
// to the worker's executor). The rules of the cycle (worker_cycle.hpp) are
// plain functions of the worker and the time: stale observations stop
// decisions; a collector that keeps failing to observe is restarted with
// backoff and, after too many restarts, the worker is asked to shut down; an
// action in flight, or finished but not yet observed, holds decisions back
// (action gating). A plugin that fails or breaks the contract marks its
// worker failed and is asked again after a growing delay: the host never
// crashes for it, and no other worker waits for it. Each worker's lifecycle
// (worker_runtime.hpp) says whether it is being made, live, or retired.
//
// The loop thread wakes every tick and looks only at the workers whose
// timer is due (the earliest of their next collect, a hook's deadline, the
// observation going stale, a retry): a thousand settled workers cost it
// nothing between their observations.
//
// Every hook runs on a pool thread (task_pool.hpp), never under the lock and
// never on the loop thread, so one worker's slow or hung hook delays nobody
// else's. Worker state is touched only under the supervisor's lock: by the
// public methods, by the loop thread on each tick (timers), and by a pool
// thread when its hook returns; that thread then goes on to decide for the
// same worker (`next` is quick by contract), so an observation reaches its
// decision without another thread hand-off. A hook keeps its worker's
// address: a worker with a hook in flight is busy and never removed, and
// re-creating a worker keeps its address.
//
// THREADING: every public method is thread-safe. The destructor waits for
// every hook in flight: call it only once exit_ready() (or accept the wait).
#pragma once

#include "plugin_services/service_gate.hpp"
#include "supervisor/supervisor_clock.hpp"
#include "supervisor/supervisor_events.hpp"
#include "supervisor/supervisor_settings.hpp"
#include "supervisor/task_pool.hpp"
#include "supervisor/worker_cycle.hpp"
#include "supervisor/worker_runtime.hpp"
#include "supervisor/worker_status.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace warden::host {

class Supervisor {
public:
    /// Workers' service operations go through `gate`, which must outlive
    /// the supervisor, and so must `events` (may be null), told of every
    /// collect, action and failure, and `clock`. Starts the loop thread.
    Supervisor(ServiceGate &gate, SupervisorSettings settings, SupervisorEvents *events = nullptr,
               const SupervisorClock &clock = system_clock());
    ~Supervisor();
    Supervisor(const Supervisor &) = delete;
    Supervisor &operator=(const Supervisor &) = delete;

    /// Makes `workers` the whole desired set: new ones are created, changed
    /// ones get their new desired state, missing ones are asked to shut down
    /// (they walk to stopped, remove their services and are destroyed), the
    /// others are not touched. Returns at once.
    void apply(std::vector<WorkerSpec> workers);

    /// s6 changed something of `service`: its owner collects at once.
    void service_changed(const std::string &service);

    /// The host is exiting: stop deciding and starting actions, so in-flight
    /// actions can finish. With `stop_services`, keep deciding instead, with
    /// every worker's desired state set to stopped.
    void begin_exit(bool stop_services);

    /// After begin_exit: no hook runs (a plain exit cancels collects), and
    /// with stop_services every worker is in a stopped phase.
    bool exit_ready() const;
    /// Waits until exit_ready() or `deadline`; returns exit_ready(). Once
    /// ready, the supervisor starts nothing more: destroy it.
    bool wait_exit_ready(std::chrono::steady_clock::time_point deadline);
    /// What keeps exit_ready() false, one line per worker.
    std::vector<std::string> exit_blockers() const;

    /// A copy of every worker's status, sorted by type and name; `brief`
    /// leaves out its documents (observed_json, desired_json).
    std::vector<WorkerStatus> status(bool brief = false) const;

private:
    using Lock = std::unique_lock<std::mutex>;
    using Workers = std::map<std::string, std::unique_ptr<WorkerRuntime>>;  // by label

    void loop();
    WorkerRuntime *find(const std::string &label);
    int64_t now() const { return clock_.now_ns(); }
    // The host exits leaving services as they are: nothing collects or decides.
    bool plain_exit() const { return exiting_ && !stop_services_; }

    void on_apply(std::vector<WorkerSpec> specs, int64_t now);
    void add(WorkerSpec spec, int64_t now);
    // Moves one worker on from any thread but a pool thread: its timers and
    // steps, and a decision handed to the pool when one is due.
    void kick(WorkerRuntime &w, int64_t now);
    // Moves one worker on from a pool thread whose hook returned: its timers
    // and steps, then every decision due, made here with the lock let go.
    void drive(Lock &lock, WorkerRuntime &w);
    void step(WorkerRuntime &w, int64_t now);
    void watch_collector(WorkerRuntime &w, int64_t now);
    void enforce_deadlines(WorkerRuntime &w, int64_t now);
    bool may_decide(const WorkerRuntime &w, int64_t now) const;
    // Sets the worker's timer to when it is due next; unschedule drops it.
    void schedule(WorkerRuntime &w, int64_t now);
    void unschedule(WorkerRuntime &w);
    void reap(WorkerRuntime &w);
    void retire(WorkerRuntime &w);

    // The steps, each run on the pool: create, collect, decide, act; and
    // what the supervisor records when each returns.
    void create(WorkerRuntime &w, int64_t now);
    void collect(WorkerRuntime &w, int64_t now);
    Result<Decision> decide(Lock &lock, WorkerRuntime &w, int64_t now);
    void act(WorkerRuntime &w, const std::string &action, int64_t now);
    void created(WorkerRuntime &w, Result<std::unique_ptr<PluginWorker>> made);
    void collected(WorkerRuntime &w, Result<std::string> observed, int64_t started, bool cancelled);
    void decided(WorkerRuntime &w, Result<Decision> decision);
    void acted(WorkerRuntime &w, const std::string &action, Result<void> result, bool timed_out);
    void request_action(WorkerRuntime &w, const std::string &action, int64_t now);
    void fail(WorkerRuntime &w, const std::string &what, int64_t now);
    void run_on_pool(std::function<void()> task);
    std::string exit_blocker(const WorkerRuntime &w) const;
    bool exit_ready_locked() const;

    ServiceGate &gate_;
    const SupervisorSettings settings_;
    SupervisorEvents *const events_;
    const SupervisorClock &clock_;

    mutable std::mutex mutex_;                 // everything below
    std::condition_variable wake_;             // the loop's tick, or quit
    mutable std::condition_variable changed_;  // exit_ready may have changed
    bool quit_ = false;
    bool exiting_ = false;
    bool stop_services_ = false;
    Workers workers_;
    std::multiset<std::string> destroying_;                // labels whose plugin destroy runs
    std::vector<std::function<void()>> *round_ = nullptr;  // the tick's tasks, while it runs
    WorkerCycle cycle_{settings_};
    std::set<std::pair<int64_t, WorkerRuntime *>> timers_;  // (due, worker): each worker once

    // Last: destroyed first, so hooks finish before the state they report to.
    std::thread loop_thread_;
    TaskPool pool_;
};

}  // namespace warden::host
