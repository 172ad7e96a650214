// SPDX-License-Identifier: Apache-2.0
// host/supervisor/supervisor.cpp
#include "supervisor/supervisor.hpp"

#include "common/clock.hpp"
#include "plugin_services/service_structs.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <utility>

namespace warden::host {
namespace {

using Clock = std::chrono::steady_clock;

// "1.5 s", for log lines.
std::string seconds(int64_t nanoseconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(nanoseconds) / 1e9);
    return text;
}

class SystemClock final : public SupervisorClock {
public:
    int64_t now_ns() const override { return monotonic_ns(); }
    int64_t unix_now_ns() const override { return unix_ns(); }
};

}  // namespace

const SupervisorClock &system_clock() {
    static const SystemClock clock;
    return clock;
}

Supervisor::Supervisor(ServiceGate &gate, SupervisorSettings settings, SupervisorEvents *events,
                       const SupervisorClock &clock)
    : gate_(gate), settings_(settings), events_(events), clock_(clock) {
    loop_thread_ = std::thread([this] { loop(); });
}

// The pool (the last member) is destroyed first and waits for every hook;
// only then do the workers go, each destroyed by its plugin.
Supervisor::~Supervisor() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        quit_ = true;
        for (const auto &[label, w] : workers_) {
            gate_.detach(w->spec.type->name(), w->spec.name);
            if (w->collect_cancel) w->collect_cancel->requested = true;
            if (w->action_cancel) w->action_cancel->requested = true;
        }
    }
    wake_.notify_all();
    loop_thread_.join();
}

void Supervisor::apply(std::vector<WorkerSpec> workers) {
    std::lock_guard<std::mutex> lock(mutex_);
    on_apply(std::move(workers), now());
}

void Supervisor::service_changed(const std::string &service) {
    const auto owner = gate_.owner(service);
    if (!owner) return;
    std::lock_guard<std::mutex> lock(mutex_);
    WorkerRuntime *w = find(owner->first + "/" + owner->second);
    if (w == nullptr) return;
    if (w->collecting)
        w->collect_again = true;
    else
        w->next_collect_at = 0;
    kick(*w, now());
}

void Supervisor::begin_exit(bool stop_services) {
    std::lock_guard<std::mutex> lock(mutex_);
    exiting_ = true;
    stop_services_ = stop_services;
    const int64_t now = this->now();
    for (auto &[label, w] : workers_) {
        if (stop_services && !w->stop_for_exit) {
            w->stop_for_exit = true;
            w->dirty = true;
        }
        // Nothing will decide on an observation any more.
        if (!stop_services && w->collecting) w->collect_cancel->requested = true;
        kick(*w, now);
    }
    changed_.notify_all();
}

bool Supervisor::exit_ready() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return exit_ready_locked();
}

bool Supervisor::wait_exit_ready(Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_until(lock, deadline, [&] { return exit_ready_locked(); })) return false;
    quit_ = true;  // ready: start nothing more, so the destructor has nothing to wait for
    return true;
}

// Why this worker keeps the host from exiting; "" when it does not.
std::string Supervisor::exit_blocker(const WorkerRuntime &w) const {
    if (!w.action.empty()) return "action " + w.action + " still running";
    if (w.lifecycle == Lifecycle::creating) return "still being created";
    if (w.collecting) return "collect still running";
    if (w.deciding) return "next still running";
    if (stop_services_ && w.worker && w.phase() != WARDEN_PHASE_STOPPED)
        return "not stopped yet (state " + w.state + ": " + w.reason + ")";
    return "";
}

bool Supervisor::exit_ready_locked() const {
    if (!exiting_ || !destroying_.empty()) return false;
    for (const auto &[label, w] : workers_)
        if (!exit_blocker(*w).empty()) return false;
    return true;
}

std::vector<std::string> Supervisor::exit_blockers() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const auto &[label, w] : workers_)
        if (std::string why = exit_blocker(*w); !why.empty()) out.push_back(label + ": " + why);
    for (const std::string &label : destroying_) out.push_back(label + ": still being destroyed");
    return out;
}

std::vector<WorkerStatus> Supervisor::status(bool brief) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t now = clock_.now_ns(), wall = clock_.unix_now_ns();
    std::vector<WorkerStatus> out;
    out.reserve(workers_.size());
    for (const auto &[label, w] : workers_) out.push_back(w->status(now, wall, brief));
    return out;
}

// The tick's tasks go to the pool together (one wake-up for the round);
// any other task at once.
void Supervisor::run_on_pool(std::function<void()> task) {
    if (round_ != nullptr)
        round_->push_back(std::move(task));
    else
        pool_.submit(std::move(task));
}

WorkerRuntime *Supervisor::find(const std::string &label) {
    auto it = workers_.find(label);
    return it == workers_.end() ? nullptr : it->second.get();
}

// The tick: the workers whose timer is due (staleness, timeouts, retries,
// the next collect). Everything else moves when it happens, not on the tick.
void Supervisor::loop() {
    Lock lock(mutex_);
    while (!quit_) {
        const int64_t now = this->now();
        std::vector<std::function<void()>> round;
        round_ = &round;
        // Taken out first: a worker due again at once waits for the next tick.
        std::vector<WorkerRuntime *> due;
        while (!timers_.empty() && timers_.begin()->first <= now) {
            due.push_back(timers_.begin()->second);
            unschedule(*due.back());
        }
        for (WorkerRuntime *w : due) {
            kick(*w, now);
            reap(*w);
        }
        round_ = nullptr;
        pool_.submit_all(std::move(round));
        changed_.notify_all();
        wake_.wait_for(lock, settings_.tick, [&] { return quit_; });
    }
}

void Supervisor::on_apply(std::vector<WorkerSpec> specs, int64_t now) {
    std::set<std::string> wanted;
    for (WorkerSpec &spec : specs) {
        const std::string label = spec.label();
        wanted.insert(label);
        WorkerRuntime *w = find(label);
        if (w == nullptr) {
            add(std::move(spec), now);
            continue;
        }
        if (w->spec.same_as(spec) && !w->shutdown_requested) continue;
        spdlog::info("{}: {}", label,
                     w->shutdown_requested ? "back in the config; no longer shutting down"
                                           : "config changed; new desired state");
        w->spec = std::move(spec);
        w->shutdown_requested = false;
        if (w->lifecycle == Lifecycle::removing) w->lifecycle = Lifecycle::restarting;
        // A new config may fix what failed: try at once, not after the backoff.
        w->failures = 0;
        w->failure_retry_at = 0;
        w->action_retry_at = 0;
        w->dirty = true;
        kick(*w, now);
    }
    for (auto &[label, w] : workers_) {
        if (wanted.count(label) != 0 || w->shutdown_requested) continue;
        spdlog::info("{}: removed from the config; shutting down", label);
        w->shutdown_requested = true;
        w->dirty = true;
        if (w->lifecycle == Lifecycle::waiting) w->lifecycle = Lifecycle::removing;
        kick(*w, now);
    }
}

void Supervisor::add(WorkerSpec spec, int64_t now) {
    auto w = std::make_unique<WorkerRuntime>();
    w->spec = std::move(spec);
    w->stop_for_exit = exiting_ && stop_services_;
    gate_.attach(w->spec.type->name(), w->spec.name);
    const std::string label = w->label();
    WorkerRuntime &added = *workers_.emplace(label, std::move(w)).first->second;
    create(added, now);
    schedule(added, now);
}

void Supervisor::kick(WorkerRuntime &w, int64_t now) {
    step(w, now);
    if (may_decide(w, now)) {
        // Reserved here, so the worker is handed to the pool once.
        w.deciding = true;
        run_on_pool([this, self = &w] {
            Lock lock(mutex_);
            self->deciding = false;
            drive(lock, *self);
        });
    }
    schedule(w, now);
}

void Supervisor::schedule(WorkerRuntime &w, int64_t now) {
    const int64_t due = cycle_.next_due(w, now, plain_exit());
    if (due == w.due_at) return;
    unschedule(w);
    w.due_at = due;
    timers_.emplace(due, &w);
}

void Supervisor::unschedule(WorkerRuntime &w) {
    if (w.due_at == 0) return;
    timers_.erase({w.due_at, &w});
    w.due_at = 0;
}

// A worker whose states keep changing decides at most this many times in a
// row here; the tick takes up the rest, so a plugin that flaps between two
// states cannot hold a pool thread.
constexpr int kDecisionsInARow = 16;

void Supervisor::drive(Lock &lock, WorkerRuntime &w) {
    for (int decisions = 0; decisions < kDecisionsInARow; ++decisions) {
        const int64_t now = this->now();
        step(w, now);
        if (!may_decide(w, now)) break;
        // It stays: a worker is not removed while it decides.
        decided(w, decide(lock, w, now));
    }
    schedule(w, now());
    reap(w);
    changed_.notify_all();
}

// Decide: the plugin's `next`, with the lock let go while it runs.
Result<Decision> Supervisor::decide(Lock &lock, WorkerRuntime &w, int64_t now) {
    w.deciding = true;
    w.dirty = false;
    w.decide_at = 0;
    const WorkerType *type = w.spec.type;
    PluginWorker *worker = w.worker.get();
    const WorkerSnapshot snapshot = w.snapshot(now);
    lock.unlock();
    Result<Decision> decision = type->next(*worker, snapshot);
    lock.lock();
    return decision;
}

// A worker whose shutdown is done goes once its last hook has returned;
// `w` is gone when it did.
void Supervisor::reap(WorkerRuntime &w) {
    if (quit_ || w.lifecycle != Lifecycle::removing || w.busy()) return;
    retire(w);
    unschedule(w);
    workers_.erase(w.label());
}

// Makes the plugin's worker, from scratch: a re-created worker keeps only
// what the supervisor owns (its spec, the flags) and its failures and
// restarts, so a worker that keeps failing or restarting stays backed off.
void Supervisor::create(WorkerRuntime &w, int64_t now) {
    unschedule(w);
    WorkerRuntime fresh;
    fresh.spec = std::move(w.spec);
    fresh.shutdown_requested = w.shutdown_requested;
    fresh.stop_for_exit = w.stop_for_exit;
    fresh.failure = std::move(w.failure);
    fresh.failures = w.failures;
    fresh.failure_retry_at = w.failure_retry_at;
    fresh.restarts = w.restarts;
    fresh.state_changes = w.state_changes;  // a counter: it goes on across re-creations
    w = std::move(fresh);
    w.identity = WorkerIdentity{w.spec.type->name(), w.spec.name, clock_.unix_now_ns()};
    w.enter_state(w.spec.type->info().initial_state, now);
    w.reason = "created";
    w.created_at = now;
    w.lifecycle = Lifecycle::creating;
    run_on_pool([this, self = &w, type = w.spec.type, identity = w.identity] {
        auto made = type->create(identity, &gate_);
        Lock lock(mutex_);
        created(*self, std::move(made));
        drive(lock, *self);
    });
}

void Supervisor::created(WorkerRuntime &w, Result<std::unique_ptr<PluginWorker>> made) {
    if (!made) {
        w.lifecycle = Lifecycle::waiting;
        fail(w, "create failed: " + made.error().message, now());
        return;
    }
    w.lifecycle = Lifecycle::live;
    w.worker = std::move(made).value();
    spdlog::debug("{}: created in state {}", w.label(), w.state);
}

// One worker's timers and steps, in the order WP-FSM-6 gives. The
// decision is the caller's (kick or drive).
void Supervisor::step(WorkerRuntime &w, int64_t now) {
    if (quit_) return;
    enforce_deadlines(w, now);
    if (w.lifecycle == Lifecycle::restarting && !w.busy()) {
        retire(w);
        w.lifecycle = Lifecycle::waiting;
        w.restart_at = now + cycle_.failure_retry_wait(w.restarts - 1);
    }
    if (w.lifecycle == Lifecycle::waiting) {
        if (w.shutdown_requested) {
            w.lifecycle = Lifecycle::removing;  // nothing made, nothing to shut down
            return;
        }
        // A new worker is made once the old one of the same name is gone.
        if (now >= w.failure_retry_at && now >= w.restart_at && destroying_.count(w.label()) == 0 &&
            !plain_exit())
            create(w, now);
        return;
    }
    if (w.lifecycle == Lifecycle::live) watch_collector(w, now);
}

// A hook past its deadline is asked to stop, whatever else happens to the
// worker (retiring, the host exiting).
void Supervisor::enforce_deadlines(WorkerRuntime &w, int64_t now) {
    if (w.collecting && !w.collect_cancel->requested &&
        now >= w.collect_started + nanoseconds(settings_.collect_timeout)) {
        spdlog::warn("{}: collect did not finish within {}; cancelling it", w.label(),
                     seconds(nanoseconds(settings_.collect_timeout)));
        w.collect_cancel->requested = true;
    }
    if (!w.action.empty() && !w.action_cancel->requested && now >= w.action_deadline) {
        spdlog::warn("{}: action {} passed its timeout; cancelling it", w.label(), w.action);
        w.action_cancel->requested = true;
    }
}

// Collect when due, and watch the observations arrive: stale when they do
// not, the collector restarted when they still do not.
void Supervisor::watch_collector(WorkerRuntime &w, int64_t now) {
    if (plain_exit()) return;
    if (cycle_.collect_due(w, now)) collect(w, now);

    const int64_t age = cycle_.observation_age(w, now);
    const bool stale = cycle_.stale(w, now);
    if (stale != w.stale) {
        w.stale = stale;
        if (stale)
            spdlog::warn("{}: no observation for {} (stale); not deciding until one arrives",
                         w.label(), seconds(age));
        else
            spdlog::info("{}: observed again; deciding again", w.label());
    }
    const CollectorVerdict verdict = cycle_.collector_verdict(w, now);
    if (verdict == CollectorVerdict::fine) return;
    ++w.collector_restarts;
    if (events_) events_->collector_restarted(w.spec.type->name(), w.spec.name);
    if (verdict == CollectorVerdict::give_up) {
        spdlog::error(
            "{}: no observation for {} after {} collector restarts; asking the worker "
            "to shut down",
            w.label(), seconds(age), settings_.collector_restarts);
        w.shutdown_requested = true;
        w.dirty = true;
        return;
    }
    const int64_t wait = cycle_.collector_restart_wait(w.collector_restarts);
    spdlog::warn("{}: no observation for {}; restarting its collector in {} (restart {} of {})",
                 w.label(), seconds(age), seconds(wait), w.collector_restarts,
                 settings_.collector_restarts);
    if (w.collecting) {
        w.collect_cancel->requested = true;
        w.collect_again = false;
    }
    w.next_collect_at = now + wait;
    w.next_collector_restart = now + wait + nanoseconds(settings_.collect_timeout);
}

bool Supervisor::may_decide(const WorkerRuntime &w, int64_t now) const {
    return !quit_ && cycle_.decide_gate(w, now, plain_exit()) == DecideGate::decide;
}

// Collect: the plugin's `collect` on the pool, cancelled at its timeout.
void Supervisor::collect(WorkerRuntime &w, int64_t now) {
    w.collecting = true;
    w.collect_again = false;
    w.collect_started = now;
    w.collect_cancel = std::make_shared<warden_cancel>();
    w.collect_cancel->deadline_ns = now + nanoseconds(settings_.collect_timeout);
    run_on_pool([this, self = &w, type = w.spec.type, worker = w.worker.get(),
                 snapshot = w.snapshot(now), cancel = w.collect_cancel, now] {
        Result<std::string> observed = type->collect(*worker, snapshot, *cancel);
        Lock lock(mutex_);
        collected(*self, std::move(observed), now, cancel->requested.load());
        drive(lock, *self);
    });
}

void Supervisor::collected(WorkerRuntime &w, Result<std::string> observed, int64_t started,
                           bool cancelled) {
    const int64_t now = this->now();
    w.collecting = false;
    w.collect_cancel.reset();
    if (events_) events_->collected(w.spec.type->name(), w.spec.name, observed.ok(), now - started);
    if (observed) {
        if (!w.collect_error.empty()) spdlog::info("{}: collect works again", w.label());
        w.collect_error.clear();
        // Decided on even when it reads as the last one did: time has
        // passed, and a state may move on time alone.
        w.observed_json = std::move(observed).value();
        w.observed_at = started;
        w.dirty = true;
        w.collector_restarts = 0;
        w.next_collector_restart = 0;
    } else {
        const std::string error =
            cancelled ? "cancelled (" + observed.error().message + ")" : observed.error().message;
        if (error != w.collect_error) spdlog::warn("{}: collect failed: {}", w.label(), error);
        w.collect_error = error;
    }
    // A restart's backoff already set the next collect.
    if (w.next_collect_at <= now)
        w.next_collect_at = w.collect_again ? now : started + cycle_.next_observation_in(w, now);
    w.collect_again = false;
}

void Supervisor::decided(WorkerRuntime &w, Result<Decision> decided) {
    const int64_t now = this->now();
    const std::string label = w.label();
    w.deciding = false;
    if (!decided) {
        fail(w, decided.error().message, now);
        return;
    }
    if (w.failures > 0) spdlog::info("{}: deciding works again", label);
    w.failures = 0;
    w.failure.clear();
    const Decision &d = decided.value();
    w.reason = d.reason;
    w.quiet = d.state.empty() && d.action.empty() && d.signal == WARDEN_SIGNAL_NONE;
    if (!d.state.empty() && d.state != w.state) {
        spdlog::info("{}: {} -> {}: {}", label, w.state, d.state, d.reason);
        w.enter_state(d.state, now);
        ++w.state_changes;
        w.dirty = true;  // the new state decides at once
    }
    if (!d.action.empty()) request_action(w, d.action, now);
    if (d.signal == WARDEN_SIGNAL_NEEDS_REMOVAL) {
        if (w.shutdown_requested) {
            spdlog::info("{}: shut down; removing the worker", label);
            w.lifecycle = Lifecycle::removing;
        } else {
            spdlog::warn("{}: signalled needs-removal without a shutdown request; ignored", label);
        }
    } else if (d.signal == WARDEN_SIGNAL_NEEDS_RESTART) {
        ++w.restarts;
        const int64_t wait = cycle_.failure_retry_wait(w.restarts - 1);
        spdlog::info("{}: signalled needs-restart; re-creating the worker{}", label,
                     wait > 0 ? " in " + seconds(wait) : std::string());
        w.lifecycle = Lifecycle::restarting;
    }
    if (d.signal != WARDEN_SIGNAL_NEEDS_RESTART && w.phase() == WARDEN_PHASE_RUNNING_HEALTHY)
        w.restarts = 0;
}
void Supervisor::fail(WorkerRuntime &w, const std::string &what, int64_t now) {
    ++w.failures;
    w.failure = what;
    if (events_) events_->plugin_failed(w.spec.type->name(), w.spec.name);
    const int64_t wait = cycle_.failure_retry_wait(w.failures);
    w.failure_retry_at = now + wait;
    spdlog::error("{}: failed: {}; trying again in {} ({} in a row)", w.label(), what,
                  seconds(wait), w.failures);
}

void Supervisor::request_action(WorkerRuntime &w, const std::string &action, int64_t now) {
    if (!w.action.empty()) {
        spdlog::debug("{}: action {} asked for while {} runs; not started", w.label(), action,
                      w.action);
        return;
    }
    if (plain_exit()) return;
    if (const int64_t until = cycle_.action_backed_off_until(w, action, now); until != 0) {
        // Backed off: the decision is asked again when the wait is over.
        w.decide_at = until;
        return;
    }
    act(w, action, now);
}

// Act: the plugin's `execute` on the pool, cancelled at the action's timeout.
void Supervisor::act(WorkerRuntime &w, const std::string &action, int64_t now) {
    const ActionInfo *info = w.spec.type->info().find_action(action);
    const int64_t timeout = nanoseconds(std::chrono::milliseconds(info->timeout_ms));
    w.action = action;
    w.action_started = now;
    w.action_deadline = now + timeout;
    w.action_cancel = std::make_shared<warden_cancel>();
    w.action_cancel->deadline_ns = w.action_deadline;
    spdlog::debug("{}: running action {}: {}", w.label(), action, w.reason);
    run_on_pool([this, self = &w, type = w.spec.type, worker = w.worker.get(), action,
                 snapshot = w.snapshot(now), cancel = w.action_cancel] {
        Result<void> result = type->execute(*worker, action, snapshot, *cancel);
        Lock lock(mutex_);
        acted(*self, action, std::move(result), cancel->requested.load());
        drive(lock, *self);
    });
}

void Supervisor::acted(WorkerRuntime &w, const std::string &action, Result<void> result,
                       bool timed_out) {
    const int64_t now = this->now();
    const std::string label = w.label();
    const bool again = w.last_action == action;
    if (events_)
        events_->action_finished(w.spec.type->name(), w.spec.name, action,
                                 result      ? ActionOutcome::ok
                                 : timed_out ? ActionOutcome::timeout
                                             : ActionOutcome::failed,
                                 now - w.action_started);
    w.action.clear();
    w.action_cancel.reset();
    w.last_action = action;
    w.last_action_finished = now;
    if (result) {
        if (again && w.action_failures > 0)
            spdlog::info("{}: action {} succeeded after {} failures", label, action,
                         w.action_failures);
        w.last_action_status = WARDEN_OK;
        w.last_action_error.clear();
        w.action_failures = 0;
        w.action_retry_at = 0;
    } else {
        w.last_action_status = timed_out ? WARDEN_ERR_TIMEOUT : status_for(result.error().kind);
        w.last_action_error =
            timed_out ? "timed out: " + result.error().message : result.error().message;
        w.action_failures = again ? w.action_failures + 1 : 1;
        const int64_t wait = cycle_.action_retry_wait(w.action_failures);
        w.action_retry_at = now + wait;
        spdlog::warn("{}: action {} failed ({} in a row): {}; not run again for {}", label, action,
                     w.action_failures, w.last_action_error, seconds(wait));
    }
    // What the action changed is observed at once; the next decision waits
    // for that observation (gating).
    if (w.collecting)
        w.collect_again = true;
    else
        w.next_collect_at = 0;
    w.dirty = true;
}

// The worker's hooks have all returned: destroy it through its plugin, on a
// pool thread. When it leaves the config for good (a restart keeps all this,
// and so does the host's exit, which never retires), its services' scope
// goes now, and its ports, figures and last observations once its destroy
// returned, so that nothing its destroy does outlives it. A worker of the
// same name is made only after that.
void Supervisor::retire(WorkerRuntime &w) {
    const bool removed = w.lifecycle == Lifecycle::removing;
    const std::string type = w.spec.type->name(), name = w.spec.name;
    if (removed) {
        gate_.detach(type, name);
        if (events_) events_->worker_removed(type, name);
        if (!w.worker) gate_.forget_worker(type, name);
    }
    if (!w.worker) return;
    const std::string label = w.label();
    destroying_.insert(label);
    std::shared_ptr<PluginWorker> worker(std::move(w.worker));
    run_on_pool([this, label, worker, removed, type, name]() mutable {
        worker.reset();
        if (removed) gate_.forget_worker(type, name);
        Lock lock(mutex_);
        destroying_.erase(destroying_.find(label));
        if (WorkerRuntime *next = find(label)) kick(*next, now());
        changed_.notify_all();
    });
}

}  // namespace warden::host
