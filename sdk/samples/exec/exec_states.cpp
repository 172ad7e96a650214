// exec_states.cpp — the decisions of the `exec` worker's states.
//
// Every `next` below follows the same order, which is the heart of the FSM
// pattern: first "should I be somewhere else entirely?" (shutdown, desired
// state), then "does the world match what I want?" (service exists, runs the
// current config, is wanted up) — answered with an action when it does not —
// and only then "is it healthy?". Actions are idempotent, so asking for one
// again on the next tick, while the world has not changed yet, is harmless.
#include "exec_states.hpp"

#include "exec_actions.hpp"
#include "exec_desired.hpp"
#include "exec_observed.hpp"

#include <cstdio>
#include <string>

namespace exec_sample {
namespace {

using warden::action;
using warden::Decision;
using warden::Snapshot;
using warden::stay;
using warden::transition;

// The two documents of a snapshot, read once per decision.
struct View {
    ExecDesired desired;
    ExecObserved observed;

    const warden::ServiceStatus &service() const { return observed.service; }
    bool deployed_current() const { return observed.deployed == desired.fingerprint(); }
    bool stable() const {
        return service().up && observed.up_for_ms >= static_cast<int64_t>(desired.stable_after_ms);
    }
    bool wanted_up() const { return service().want_up && service().normally_up; }
};

View read(const Snapshot &s) {
    return View{ExecDesired::from_json(s.desired_json()),
                ExecObserved::from_json(s.observed_json())};
}

std::string seconds(int64_t ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
    return text;
}

// How the last process ended, as a person wants to read it.
std::string how_it_ended(const warden::ServiceStatus &s) {
    if (!s.died) return "is down";
    if (s.last_signal != 0) return "was killed by signal " + std::to_string(s.last_signal);
    return "exited with code " + std::to_string(s.last_exit_code);
}

std::string restarts(const warden::ServiceStatus &s) {
    return std::to_string(s.restart_count) + (s.restart_count == 1 ? " restart" : " restarts");
}

// s6-supervise is gone: the status file is the last thing it wrote, and
// nothing will start or stop the process until a supervisor is back.
std::string stale(const View &v) {
    return "s6-supervise is not running for service " + v.desired.service + "; its status is stale";
}

std::string why_stopping(const Snapshot &s) {
    return s.shutdown_requested() ? "shutdown requested" : "desired state is stopped";
}

// The first question of every running-ish state: is the service there, and
// made from the config we have now? If not, go back to starting.
bool needs_deploy(const View &v) {
    return !v.service().exists || !v.deployed_current();
}

std::string deploy_reason(const View &v) {
    return v.service().exists ? "config changed; updating service " + v.desired.service
                              : "service " + v.desired.service + " disappeared; re-creating it";
}

}  // namespace

// Stopped: nothing runs. With a shutdown request the worker removes its
// service and then asks the supervisor to remove the worker (a signal, not a
// state). With desired state "stopped" it makes sure no process runs, so an
// adopted service that was left running is stopped too.
Decision Stopped::next(const Snapshot &s) const {
    if (!s.has_observation()) return stay("waiting for the first observation");
    if (s.should_run()) return transition<Starting>("desired state is running");
    const View v = read(s);
    if (s.shutdown_requested()) {
        if (v.service().exists)
            return action<RemoveService>("shutdown requested; removing service " +
                                         v.desired.service);
        return stay("stopped; service removed").with(warden::Signal::needs_removal);
    }
    if (v.service().exists && !v.service().supervised) return stay(stale(v));
    if (v.service().exists && (v.service().up || v.service().want_up || v.service().normally_up))
        return action<StopService>("desired state is stopped; stopping service " +
                                   v.desired.service);
    return stay(v.service().exists ? "stopped; service " + v.desired.service + " kept"
                                   : "stopped; no service (desired state is stopped)");
}

// Starting: deploy, then start, then wait until the process has stayed up
// for stable_after_ms. Deploying is one idempotent action, create_service: on
// a fresh host it creates the service; after a host restart it finds the
// service as it is and leaves the process running (adoption); after a config
// change it updates the service in place.
Decision Starting::next(const Snapshot &s) const {
    if (!s.should_run()) return transition<Stopping>(why_stopping(s));
    const View v = read(s);
    const warden::ServiceStatus &svc = v.service();
    if (!svc.exists) return action<CreateService>("creating service " + v.desired.service);
    if (!v.deployed_current())
        return action<CreateService>(v.observed.deployed.empty()
                                         ? "adopting service " + v.desired.service
                                         : deploy_reason(v));
    if (!svc.supervised) return stay("waiting for s6 to supervise service " + v.desired.service);
    if (!v.wanted_up()) return action<StartService>("starting service " + v.desired.service);
    if (v.stable())
        return transition<Running>("process " + std::to_string(svc.pid) + " up for " +
                                   seconds(v.observed.up_for_ms));
    // A death counts only if it came after the worker entered this state: a
    // service stopped earlier still reports how its last process ended.
    if (!svc.up && svc.died && v.observed.down_for_ms * 1'000'000 < s.time_in_state_ns())
        return transition<Degraded>("process " + how_it_ended(svc) + "; " + restarts(svc));
    if (svc.up)
        return stay("process " + std::to_string(svc.pid) + " up for " +
                    seconds(v.observed.up_for_ms) + "; healthy after " +
                    seconds(v.desired.stable_after_ms));
    return stay("waiting for the process to start");
}

// Running: healthy, and the only state that counts as such. Any sign that the
// process did not stay up — it is down, or it is up for less time than it has
// been running — moves to degraded; a config change moves back to starting.
Decision Running::next(const Snapshot &s) const {
    if (!s.should_run()) return transition<Stopping>(why_stopping(s));
    const View v = read(s);
    const warden::ServiceStatus &svc = v.service();
    if (needs_deploy(v)) return transition<Starting>(deploy_reason(v));
    if (!svc.supervised) return transition<Degraded>(stale(v));
    if (!v.wanted_up())
        return transition<Degraded>("service " + v.desired.service + " was stopped outside warden");
    if (!svc.up) return transition<Degraded>("process " + how_it_ended(svc) + "; " + restarts(svc));
    if (!v.stable())
        return transition<Degraded>("process restarted (it " + how_it_ended(svc) + "); " +
                                    restarts(svc));
    return stay("process " + std::to_string(svc.pid) + " up for " + seconds(v.observed.up_for_ms));
}

// Degraded: the process should run but does not stay up. s6 restarts it by
// itself (at most once a second), so the worker does not: it reports the exit
// code and restart count, and goes back to running once the process stays up.
// The only thing it fixes is a service someone stopped by hand. Status from a
// dead s6-supervise is reported as stale, never trusted as "up".
Decision Degraded::next(const Snapshot &s) const {
    if (!s.should_run()) return transition<Stopping>(why_stopping(s));
    const View v = read(s);
    const warden::ServiceStatus &svc = v.service();
    if (needs_deploy(v)) return transition<Starting>(deploy_reason(v));
    if (!svc.supervised) return stay(stale(v));
    if (!v.wanted_up())
        return action<StartService>("service " + v.desired.service +
                                    " was stopped outside warden; starting it");
    if (v.stable())
        return transition<Running>("process " + std::to_string(svc.pid) + " up for " +
                                   seconds(v.observed.up_for_ms) + " again");
    if (svc.up)
        return stay("process " + std::to_string(svc.pid) + " up for " +
                    seconds(v.observed.up_for_ms) + " after it " + how_it_ended(svc) + "; " +
                    restarts(svc));
    return stay("process " + how_it_ended(svc) + "; " + restarts(svc) + "; s6 starts it again");
}

// Stopping: stop the process and keep the service (desired state "stopped"),
// or remove the service altogether (shutdown). Should the config ask for
// running again meanwhile, go straight back to starting.
Decision Stopping::next(const Snapshot &s) const {
    if (s.should_run()) return transition<Starting>("desired state is running again");
    const View v = read(s);
    const warden::ServiceStatus &svc = v.service();
    if (s.shutdown_requested()) {
        if (svc.exists) return action<RemoveService>("removing service " + v.desired.service);
        return transition<Stopped>("service " + v.desired.service + " removed");
    }
    if (svc.exists && !svc.supervised) return stay(stale(v));
    if (svc.exists && (svc.up || svc.want_up || svc.normally_up))
        return action<StopService>("stopping service " + v.desired.service);
    return transition<Stopped>(svc.exists
                                   ? "process stopped; service " + v.desired.service + " kept"
                                   : "no service to stop");
}

}  // namespace exec_sample
