// benthos_states.cpp — the decisions of the `benthos` worker's states.
//
// Every `next` asks, in order: should I be somewhere else entirely (shutdown,
// desired state)? Does what runs match the config (lint, deploy)? Is it well
// (s6, /ping, /ready, errors in the window)? Actions are idempotent, so
// asking again while the world has not caught up is harmless.
#include "benthos_states.hpp"

#include "benthos_actions.hpp"
#include "benthos_config.hpp"
#include "benthos_observed.hpp"
#include "benthos_render.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace benthos_plugin {
namespace {

using warden::action;
using warden::Decision;
using warden::Snapshot;
using warden::stay;
using warden::transition;

constexpr int64_t kMs = 1'000'000;
// A process up this long that still is not live or ready is degraded, not starting.
constexpr int64_t kStartGraceMs = 10'000;

// The two documents of a snapshot, and what rendering them now would deploy.
struct View {
    BenthosConfig desired;
    BenthosObserved observed;
    std::string current;  // fingerprint of the rendering for the config now; "" = no port yet

    const warden::ServiceStatus &service() const { return observed.service; }
    bool deployed_current() const { return !current.empty() && observed.deployed == current; }
    bool linted() const { return !current.empty() && observed.lint.fingerprint == current; }
    bool lint_passed() const { return linted() && observed.lint.passed; }
    bool wanted_up() const { return service().want_up && service().normally_up; }
    bool errors_growing() const {
        return observed.in_window.output_error > 0 || observed.in_window.processor_error > 0;
    }
    bool input_arrived() const { return observed.last_minute.input_received > 0; }

    bool restarts_when_not_ready() const { return desired.not_ready_restart_ms > 0; }
    int64_t restart_wait_ms() const {
        return desired.not_ready_restart_wait_ms(observed.not_ready_restarts);
    }
    bool restart_due() const {
        return restarts_when_not_ready() && service().up && !(observed.live && observed.ready) &&
               observed.not_ready_for_ms >= restart_wait_ms();
    }
};

// How long ago, at this decision, a moment `ms_before_collect` before the
// last collect was: the observation's whole milliseconds rounded up (never
// younger than it was), plus the time since the collect.
int64_t age_ns(const Snapshot &s, int64_t ms_before_collect) {
    return (ms_before_collect + 1) * kMs + (s.now_ns() - s.observed_at_ns());
}

View read(const Snapshot &s) {
    View v{BenthosConfig::from_json(s.desired_json()),
           BenthosObserved::from_json(s.observed_json()),
           {}};
    if (v.observed.http_port != 0) v.current = render(v.desired, v.observed.http_port).fingerprint;
    return v;
}

std::string decimal(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

std::string seconds(int64_t ms) {
    return decimal(static_cast<double>(ms) / 1000.0) + " s";
}

double per_second(double delta, int64_t covered_ms) {
    return covered_ms <= 0 ? 0 : delta * 1000.0 / static_cast<double>(covered_ms);
}

std::string restarts(const warden::ServiceStatus &s) {
    return std::to_string(s.restart_count) + (s.restart_count == 1 ? " restart" : " restarts");
}

std::string how_it_ended(const warden::ServiceStatus &s) {
    if (!s.died) return "is down";
    if (s.last_signal != 0) return "was killed by signal " + std::to_string(s.last_signal);
    return "exited with code " + std::to_string(s.last_exit_code);
}

// A reason, followed by Benthos's own newest error line when there is one.
std::string with_log(std::string reason, const View &v) {
    if (!v.observed.last_error.empty()) reason += ": " + v.observed.last_error;
    return reason;
}

// "not ready: output not connected: <Benthos's line>", or "not live: <why>";
// `spell` says for how long.
std::string not_ready(const View &v, const std::string &spell = {}) {
    const BenthosObserved &o = v.observed;
    if (!o.live) return "not live" + spell + ": " + o.live_error;
    return with_log("not ready" + spell + ": " + o.not_ready, v);
}

// How long the process has been not live and ready, said when that ends in
// a restart.
std::string spell(const View &v) {
    return v.restarts_when_not_ready() ? " for " + seconds(v.observed.not_ready_for_ms) : "";
}

// When a process that stays not ready is restarted: "; restart in 48.0 s",
// "; restart 2 in 108.0 s" after one; "" when never.
std::string restart_note(const View &v) {
    if (!v.restarts_when_not_ready()) return {};
    const uint32_t done = v.observed.not_ready_restarts;
    const int64_t in_ms = std::max<int64_t>(0, v.restart_wait_ms() - v.observed.not_ready_for_ms);
    return "; restart " + (done == 0 ? std::string() : std::to_string(done + 1) + " ") + "in " +
           seconds(in_ms);
}

std::string restarting(const View &v) {
    const uint32_t restart = v.observed.not_ready_restarts + 1;
    return not_ready(v, spell(v)) + "; restarting benthos (restart " + std::to_string(restart) +
           ", next after " + seconds(v.desired.not_ready_restart_wait_ms(restart)) + ")";
}

std::string stale(const View &v) {
    return "s6-supervise is not running for service " + v.desired.service + "; its status is stale";
}

std::string why_stopping(const Snapshot &s) {
    return s.shutdown_requested() ? "shutdown requested" : "desired state is stopped";
}

std::string activity(const View &v) {
    const BenthosObserved &o = v.observed;
    if (!v.input_arrived()) return "live and ready; no input in the last minute";
    return "input " + decimal(per_second(o.last_minute.input_received, o.last_minute_ms)) +
           "/s, output " + decimal(per_second(o.last_minute.output_sent, o.last_minute_ms)) +
           "/s over the last " + seconds(o.last_minute_ms);
}

enum class From { elsewhere, idle, active };

// Running, and healthy: idle or active by the last minute's input.
Decision run(const View &v, std::string reason, From from) {
    if (v.input_arrived())
        return from == From::active ? stay(std::move(reason))
                                    : transition<Active>(std::move(reason));
    return from == From::idle ? stay(std::move(reason)) : transition<Idle>(std::move(reason));
}

// How long ago the worker entered its state or last deployed, whichever is
// later: a death before that was not this pipeline's (an update in place
// ends the old process on purpose).
int64_t since_last_deploy(const Snapshot &s) {
    int64_t since = s.time_in_state_ns();
    if (s.last_action() == DeployService::name && s.last_action_finished_ns() > 0)
        since = std::min(since, s.now_ns() - s.last_action_finished_ns());
    return since;
}

// A running state whose process died and came back since it was entered.
bool restarted_in_state(const View &v, const Snapshot &s) {
    return v.service().up && v.service().died &&
           age_ns(s, v.observed.up_for_ms) < s.time_in_state_ns();
}

// What is wrong with a pipeline that should be running; "" = nothing.
std::string trouble(const View &v) {
    const warden::ServiceStatus &svc = v.service();
    const BenthosObserved &o = v.observed;
    if (!svc.supervised) return stale(v);
    if (!v.wanted_up()) return "service " + v.desired.service + " was stopped outside warden";
    if (!svc.up) return with_log("process " + how_it_ended(svc) + "; " + restarts(svc), v);
    if (!o.live || !o.ready) return not_ready(v, spell(v)) + restart_note(v);
    if (o.in_window.output_error > 0)
        return with_log("output error rate " +
                            decimal(per_second(o.in_window.output_error, o.window_ms)) + "/s",
                        v);
    if (o.in_window.processor_error > 0)
        return with_log("processor error rate " +
                            decimal(per_second(o.in_window.processor_error, o.window_ms)) + "/s",
                        v);
    return {};
}

// Getting the config as it is now onto s6: a port, a lint that passed for
// exactly these bytes, then create-or-update.
Decision deploy(const View &v, const Snapshot &s) {
    const BenthosObserved &o = v.observed;
    if (!o.port_error.empty()) return stay("cannot deploy: " + o.port_error);
    if (v.current.empty()) return stay("waiting for the worker's HTTP port");
    if (!v.linted()) {
        // The host runs a failing action again after a growing delay: a
        // binary installed meanwhile is picked up without a config change.
        if (s.last_action() == LintConfig::name && s.last_action_status() != WARDEN_OK)
            return action<LintConfig>("benthos lint could not run: " +
                                      std::string(s.last_action_error()));
        return action<LintConfig>("checking the config with benthos lint");
    }
    if (!v.lint_passed())
        return stay(o.lint.message + (v.service().exists
                                          ? "; benthos keeps running the previous config"
                                          : "; nothing deployed"));
    if (!v.service().exists) return action<DeployService>("creating service " + v.desired.service);
    if (o.deployed.empty()) return action<DeployService>("adopting service " + v.desired.service);
    return action<DeployService>("config changed; updating service " + v.desired.service +
                                 " in place");
}

// A running-ish state whose config changed: lint it while the old one runs;
// restart with it only once lint passed.
Decision config_changed(const View &v, const Snapshot &s, bool in_degraded) {
    if (v.lint_passed()) return transition<Starting>("config changed; restarting benthos with it");
    Decision d = deploy(v, s);  // lint it, or say why it cannot be deployed
    if (!d.action().empty()) return d;
    return in_degraded ? stay(d.reason()) : transition<Degraded>(d.reason());
}

// Idle and active: degraded at the first sign of trouble, else idle or active.
Decision running(const View &v, const Snapshot &s, From from) {
    const warden::ServiceStatus &svc = v.service();
    if (restarted_in_state(v, s))
        return transition<Degraded>(
            with_log("process restarted (it " + how_it_ended(svc) + "); " + restarts(svc), v));
    const std::string problem = trouble(v);
    if (!problem.empty()) return transition<Degraded>(problem);
    return run(v, activity(v), from);
}

}  // namespace

Decision Stopped::next(const Snapshot &s) const {
    if (!s.has_observation()) return stay("waiting for the first observation");
    if (s.should_run()) return transition<Starting>("desired state is running");
    const View v = read(s);
    const warden::ServiceStatus &svc = v.service();
    if (s.shutdown_requested()) {
        if (svc.exists)
            return action<RemoveService>("shutdown requested; removing service " +
                                         v.desired.service);
        return stay("stopped; service removed").with(warden::Signal::needs_removal);
    }
    if (svc.exists && !svc.supervised) return stay(stale(v));
    if (svc.exists && (svc.up || svc.want_up || svc.normally_up))
        return action<StopService>("desired state is stopped; stopping service " +
                                   v.desired.service);
    return stay(svc.exists ? "stopped; service " + v.desired.service + " kept"
                           : "stopped; no service (desired state is stopped)");
}

Decision Starting::next(const Snapshot &s) const {
    if (!s.should_run()) return transition<Stopping>(why_stopping(s));
    const View v = read(s);
    const warden::ServiceStatus &svc = v.service();
    const BenthosObserved &o = v.observed;
    if (!svc.exists || !v.deployed_current()) return deploy(v, s);
    if (!svc.supervised) return stay("waiting for s6 to supervise service " + v.desired.service);
    if (!v.wanted_up()) return action<StartService>("starting service " + v.desired.service);
    if (!svc.up) {
        if (svc.died && age_ns(s, o.down_for_ms) < since_last_deploy(s))
            return transition<Degraded>(
                with_log("process " + how_it_ended(svc) + "; " + restarts(svc), v));
        return stay("waiting for the process to start");
    }
    const std::string pid = "process " + std::to_string(svc.pid);
    if (!o.live || !o.ready) {
        // Degraded restarts it, at once: a pipeline restarted for not being
        // ready is not starting any more.
        if (v.restart_due()) return transition<Degraded>(restarting(v));
        if (o.up_for_ms >= kStartGraceMs)
            return transition<Degraded>(v.restarts_when_not_ready()
                                            ? not_ready(v, spell(v)) + restart_note(v)
                                            : not_ready(v) + " (" + pid + " up for " +
                                                  seconds(o.up_for_ms) + ")");
        return stay(pid + " up for " + seconds(o.up_for_ms) + "; " + not_ready(v) +
                    restart_note(v));
    }
    if (o.ready_for_ms >= kReadyHoldMs)
        return run(v, "live and ready for " + seconds(o.ready_for_ms) + "; " + activity(v),
                   From::elsewhere);
    return stay(pid + " live and ready for " + seconds(o.ready_for_ms) + "; running after " +
                seconds(kReadyHoldMs));
}

Decision Idle::next(const Snapshot &s) const {
    if (!s.should_run()) return transition<Stopping>(why_stopping(s));
    const View v = read(s);
    if (!v.deployed_current()) return config_changed(v, s, false);
    return running(v, s, From::idle);
}

Decision Active::next(const Snapshot &s) const {
    if (!s.should_run()) return transition<Stopping>(why_stopping(s));
    const View v = read(s);
    if (!v.deployed_current()) return config_changed(v, s, false);
    return running(v, s, From::active);
}

// Degraded: s6 restarts a crashing process by itself, and Benthos reconnects
// by itself, so the worker mostly reports: the exit code, Benthos's reason
// for not being ready, the error rate, with Benthos's newest error line. It
// fixes only a service stopped by hand and a process that stays not live and
// ready past its deadline (restarted in place, the next deadline twice as
// far), and returns to running once the pipeline is live and ready again and
// the error window is clean.
Decision Degraded::next(const Snapshot &s) const {
    if (!s.should_run()) return transition<Stopping>(why_stopping(s));
    const View v = read(s);
    const warden::ServiceStatus &svc = v.service();
    if (!svc.exists) return transition<Starting>("service " + v.desired.service + " disappeared");
    if (!v.deployed_current()) return config_changed(v, s, true);
    if (!svc.supervised) return stay(stale(v));
    if (!v.wanted_up())
        return action<StartService>("service " + v.desired.service +
                                    " was stopped outside warden; starting it");
    if (v.restart_due()) return action<RestartService>(restarting(v));
    const std::string problem = trouble(v);
    if (!problem.empty()) return stay(problem);
    if (v.observed.ready_for_ms >= kReadyHoldMs)
        return run(v, "recovered; " + activity(v), From::elsewhere);
    return stay("live and ready for " + seconds(v.observed.ready_for_ms) + "; running after " +
                seconds(kReadyHoldMs));
}

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
                                   ? "pipeline stopped; service " + v.desired.service + " kept"
                                   : "no service to stop");
}

}  // namespace benthos_plugin
