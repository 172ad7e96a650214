// SPDX-License-Identifier: Apache-2.0
// warden/kit/lifecycle.hpp — the states of a worker that runs s6 services,
// and the decisions they share.
//
//   stopped --> starting --> running <--> degraded
//      ^                        |            |
//      +------- stopping <------+------------+
//
// Each state is a class template over the worker class W (a
// kit::ServiceWorker<W>) with a pure `next`, asking in the same order: should
// the worker be somewhere else entirely (shutdown, desired state)? Does what
// runs match the plan (check, deploy, start)? Is it well (s6 supervises it,
// nobody stopped it, it is up, ready, not crash-looping)? Each answer comes
// with a reason a person can act on, and the program's newest error line
// when the worker read one.
//
// W provides `static kit::Plan plan(const warden::Snapshot &, const
// kit::Observed &)`, and may provide, all optional:
//
//     // Its own trouble while up and ready ("output error rate 2.0/s"); "" = none.
//     static std::string trouble(const kit::View<W> &v);
//     // What a healthy worker is doing ("input 3.0/s"); default "process 42 up for 5.0 s".
//     static std::string health_text(const kit::View<W> &v);
//     // The decision once healthy, for workers with several healthy states
//     // (idle, active); default: kit::Running<W>.
//     static warden::Decision healthy(const kit::View<W> &v, std::string reason);
//
// A worker with states of its own builds them from the same parts:
// kit::View<W>::read, and kit::decide<W>::running (and the other functions
// of kit::decide<W>).
//
// THREADING: every `next` is pure: it reads the snapshot and nothing else,
// so the host may call it at any time, while an action or a collect runs.
#ifndef WARDEN_KIT_LIFECYCLE_HPP
#define WARDEN_KIT_LIFECYCLE_HPP

#include <warden/kit/observed.hpp>
#include <warden/kit/plan.hpp>
#include <warden/kit/service_actions.hpp>
#include <warden/kit/service_status.hpp>
#include <warden/worker.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace warden::kit {

template <typename W>
struct Stopped;
template <typename W>
struct Starting;
template <typename W>
struct Running;
template <typename W>
struct Degraded;
template <typename W>
struct Stopping;

/// "1.5 s"
inline std::string seconds_text(int64_t ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
    return text;
}

namespace detail {

/// What a View reads: the observation, the plan for it and the plan's
/// fingerprint. Shared, not copied, with the worker that kept them.
struct ViewParts {
    std::shared_ptr<const Observed> observed;
    std::shared_ptr<const Plan> plan;
    std::string wanted;
};

/// The parts of `s` parsed and planned anew.
template <typename W>
ViewParts parse_view(const Snapshot &s) {
    auto observed = std::make_shared<const Observed>(Observed::from_json(s.observed_json()));
    auto plan = std::make_shared<const Plan>(W::plan(s, *observed));
    std::string wanted = plan->fingerprint();
    return {std::move(observed), std::move(plan), std::move(wanted)};
}

/// Whether W keeps what its collect wrote for its decisions (a
/// kit::ServiceWorker: view_parts).
template <typename W, typename = void>
struct keeps_documents : std::false_type {};
template <typename W>
struct keeps_documents<
    W, std::void_t<decltype(std::declval<W &>().view_parts(std::declval<const Snapshot &>()))>>
    : std::true_type {};

}  // namespace detail

/// One snapshot, read for a decision: the plan for it, what was observed, and
/// questions about the planned services that the states ask.
///
/// Read in a worker's `next`, the observation is the Observed the worker's
/// collect wrote, when the snapshot holds exactly the bytes it wrote (no
/// parse), and the plan the one made last for the same desired document and
/// the same facts (ServiceWorker::plan_for, view_parts); anywhere else, and
/// for any other bytes, both are parsed and planned anew.
template <typename W>
struct View {
private:
    detail::ViewParts parts_;  // first: what the references below point into

public:
    const Snapshot &snapshot;
    const Observed &observed;
    const Plan &plan;
    std::string wanted;  ///< the plan's fingerprint

    static View read(const Snapshot &s) { return View(s, parts_for(s)); }

    /// The planned service `name` as observed; a default (nothing exists)
    /// when the observation did not include it.
    ObservedService service(const std::string &name) const {
        const ObservedService *found = observed.find(name);
        return found != nullptr ? *found : ObservedService{name, {}, 0, 0};
    }

    /// The first planned service for which `test` holds; nullptr when none.
    template <typename Test>
    const ServiceSpec *first(Test test) const {
        for (const ServiceSpec &spec : plan.services)
            if (test(service(spec.name))) return &spec;
        return nullptr;
    }
    template <typename Test>
    bool any(Test test) const {
        return first(test) != nullptr;
    }
    template <typename Test>
    bool all(Test test) const {
        return !any([&](const ObservedService &s) { return !test(s); });
    }

    bool all_exist() const {
        return all([](const ObservedService &s) { return s.status.exists; });
    }
    bool any_exists() const {
        return any([](const ObservedService &s) { return s.status.exists; });
    }
    /// A service whose s6-supervise is gone: its status is the last it wrote.
    const ServiceSpec *stale() const {
        return first(
            [](const ObservedService &s) { return s.status.exists && !s.status.supervised; });
    }
    /// A service that is up, or will be.
    bool any_running() const {
        return any([](const ObservedService &s) {
            return s.status.exists && (s.status.up || s.status.want_up || s.status.normally_up);
        });
    }
    /// A service that is not wanted up, now and after a reboot.
    const ServiceSpec *not_wanted_up() const {
        return first(
            [](const ObservedService &s) { return !s.status.want_up || !s.status.normally_up; });
    }
    const ServiceSpec *down() const {
        return first([](const ObservedService &s) { return !s.status.up; });
    }
    bool deployed_current() const { return plan.waiting.empty() && observed.deployed == wanted; }
    bool checked() const { return plan.waiting.empty() && observed.check.fingerprint == wanted; }
    bool check_passed() const { return checked() && observed.check.passed; }

    /// "service exec-web" or "services a, b".
    std::string services() const {
        return (plan.services.size() == 1 ? "service " : "services ") + plan.service_names();
    }
    /// "process 42" for one service; "3 processes" for several.
    std::string process() const {
        if (plan.services.size() == 1)
            return plan.noun + " " + std::to_string(service(plan.services[0].name).status.pid);
        const bool ends_in_s = !plan.noun.empty() && plan.noun.back() == 's';
        return std::to_string(plan.services.size()) + " " + plan.noun + (ends_in_s ? "es" : "s");
    }
    /// How long the youngest planned process has been up.
    int64_t up_for_ms() const {
        int64_t youngest = INT64_MAX;
        for (const ServiceSpec &spec : plan.services)
            youngest = std::min(youngest, service(spec.name).up_for_ms);
        return plan.services.empty() ? 0 : youngest;
    }
    /// `reason`, then the program's own newest error line when there is one.
    std::string with_log(std::string reason) const {
        if (!observed.last_error.empty()) reason += ": " + observed.last_error;
        return reason;
    }

private:
    View(const Snapshot &s, detail::ViewParts parts)
        : parts_(std::move(parts)),
          snapshot(s),
          observed(*parts_.observed),
          plan(*parts_.plan),
          wanted(parts_.wanted) {}

    static detail::ViewParts parts_for(const Snapshot &s) {
        if constexpr (detail::keeps_documents<W>::value) {
            if (W *worker = warden::detail::deciding_worker<W>) return worker->view_parts(s);
        }
        return detail::parse_view<W>(s);
    }
};

namespace detail {

// Each optional hook: whether W has a member of that name at all, and
// whether it has the form the kit calls. A member of the name in another
// form is refused at compile time rather than silently never called.
#define WARDEN_KIT_HOOK_TRAITS(hook, call)                                       \
    template <typename W, typename = void>                                       \
    struct names_##hook : std::false_type {};                                    \
    template <typename W>                                                        \
    struct names_##hook<W, std::void_t<decltype(&W::hook)>> : std::true_type {}; \
    template <typename W, typename = void>                                       \
    struct has_##hook : std::false_type {};                                      \
    template <typename W>                                                        \
    struct has_##hook<W, std::void_t<decltype(call)>> : std::true_type {};

WARDEN_KIT_HOOK_TRAITS(trouble, std::string(W::trouble(std::declval<const View<W> &>())))
WARDEN_KIT_HOOK_TRAITS(health_text, std::string(W::health_text(std::declval<const View<W> &>())))
WARDEN_KIT_HOOK_TRAITS(healthy,
                       Decision(W::healthy(std::declval<const View<W> &>(), std::string())))
#undef WARDEN_KIT_HOOK_TRAITS

// How long ago, at this decision, a moment `ms_before_collect` before the
// last collect was: the observation's whole milliseconds rounded up (never
// younger than it was), plus the time since the collect.
inline int64_t age_ns(const Snapshot &s, int64_t ms_before_collect) {
    return (ms_before_collect + 1) * 1'000'000 + (s.now_ns() - s.observed_at_ns());
}

}  // namespace detail

/// The decisions the kit's states are made of, for workers that build states
/// of their own from them.
template <typename W>
struct decide {
    using V = View<W>;

    // A judging hook W declares in another form than the kit calls is refused
    // here, at compile time, rather than silently never called. In a
    // function (not the class), so the refusal is the one error.
    static void hooks_declared_rightly() {
        static_assert(detail::has_trouble<W>::value || !detail::names_trouble<W>::value,
                      "trouble must be `static std::string trouble(const warden::kit::View<W> &)`");
        static_assert(
            detail::has_health_text<W>::value || !detail::names_health_text<W>::value,
            "health_text must be `static std::string health_text(const warden::kit::View<W> &)`");
        static_assert(detail::has_healthy<W>::value || !detail::names_healthy<W>::value,
                      "healthy must be `static warden::Decision healthy(const warden::kit::View<W> "
                      "&, std::string reason)`");
    }

    static std::string why_stopping(const Snapshot &s) {
        return s.shutdown_requested() ? "shutdown requested" : "desired state is stopped";
    }

    static std::string stale(const V &v, const ServiceSpec &spec) {
        (void)v;
        return "s6-supervise is not running for service " + spec.name + "; its status is stale";
    }

    /// How the first down service's last process ended, with s6's count, a
    /// crash loop and `note`.
    static std::string ended(const V &v, const std::string &note = {}) {
        const ServiceSpec *down = v.down();
        const ObservedService s = v.service(down != nullptr ? down->name : std::string());
        std::string text = (v.plan.services.size() == 1 ? v.plan.noun : "service " + s.name) + " " +
                           how_it_ended(s.status) + "; " + restarts_text(s.status);
        if (!v.observed.crash_loop.empty()) text += "; crash loop: " + v.observed.crash_loop;
        return v.with_log(text + note);
    }

    /// "not ready: <why>", with how long when that ends in a restart.
    static std::string not_ready(const V &v) {
        const bool timed = v.plan.not_ready_restart_ms > 0;
        return v.with_log("not ready" +
                          (timed ? " for " + seconds_text(v.observed.not_ready_for_ms) : "") +
                          (v.observed.not_ready.empty() ? "" : ": " + v.observed.not_ready));
    }

    static int64_t restart_wait_ms(const V &v) {
        return v.plan.restart_wait_ms(v.observed.not_ready_restarts);
    }

    /// "; restart in 48.0 s", "; restart 2 in 108.0 s"; "" when never.
    static std::string restart_note(const V &v) {
        if (v.plan.not_ready_restart_ms == 0) return {};
        const uint32_t done = v.observed.not_ready_restarts;
        const int64_t in_ms =
            std::max<int64_t>(0, restart_wait_ms(v) - v.observed.not_ready_for_ms);
        return "; restart " + (done == 0 ? std::string() : std::to_string(done + 1) + " ") + "in " +
               seconds_text(in_ms);
    }

    static bool restart_due(const V &v) {
        return v.plan.not_ready_restart_ms > 0 && v.down() == nullptr && !v.observed.ready &&
               v.observed.not_ready_for_ms >= restart_wait_ms(v);
    }

    static std::string restarting(const V &v) {
        const uint32_t restart = v.observed.not_ready_restarts + 1;
        return not_ready(v) + "; restarting it in place (restart " + std::to_string(restart) +
               ", next after " + seconds_text(v.plan.restart_wait_ms(restart)) + ")";
    }

    /// "process 42 up for 5.0 s", and ", ready for 2.0 s" when a probe says
    /// it became ready later than it started.
    static std::string up_text(const V &v) {
        std::string text = v.process() + " up for " + seconds_text(v.up_for_ms());
        if (v.observed.ready && v.observed.ready_for_ms < v.up_for_ms())
            text += ", ready for " + seconds_text(v.observed.ready_for_ms);
        return text;
    }

    static std::string health_text(const V &v) {
        if constexpr (detail::has_health_text<W>::value) {
            return W::health_text(v);
        } else {
            return up_text(v);
        }
    }

    /// What is wrong with a worker that should be running; "" = nothing.
    static std::string trouble(const V &v) {
        if (const ServiceSpec *s = v.stale()) return stale(v, *s);
        if (const ServiceSpec *s = v.not_wanted_up())
            return "service " + s->name + " was stopped outside warden";
        if (v.down() != nullptr) return ended(v);
        if (!v.observed.ready) return not_ready(v) + restart_note(v);
        if constexpr (detail::has_trouble<W>::value) return W::trouble(v);
        return {};
    }

    /// Healthy: W's healthy state, or kit::Running<W>.
    static Decision healthy(const V &v, std::string reason) {
        if constexpr (detail::has_healthy<W>::value) {
            return W::healthy(v, std::move(reason));
        } else {
            if (v.snapshot.state() == Running<W>::name) return stay(std::move(reason));
            return transition<Running<W>>(std::move(reason));
        }
    }

    /// Getting the plan onto s6: a check that passed for exactly these
    /// bytes (when the plan has one), then create-or-update.
    static Decision deploy(const V &v) {
        const Snapshot &s = v.snapshot;
        if (!v.plan.waiting.empty()) return stay("cannot deploy: " + v.plan.waiting);
        if (v.plan.check) {
            const std::string &what = v.plan.check->what;
            if (!v.checked()) {
                // The host runs a failing action again after a growing delay.
                if (s.last_action() == Check<W>::name && s.last_action_status() != WARDEN_OK)
                    return action<Check<W>>(
                        what + " could not run: " + std::string(s.last_action_error()));
                return action<Check<W>>("checking the config with " + what);
            }
            if (!v.check_passed())
                return stay(v.observed.check.message + (v.any_exists()
                                                            ? "; the previous config keeps running"
                                                            : "; nothing deployed"));
        }
        if (!v.any_exists()) return action<Deploy<W>>("creating " + v.services());
        if (v.observed.deployed.empty()) return action<Deploy<W>>("adopting " + v.services());
        if (!v.all_exist()) return action<Deploy<W>>("re-creating " + v.services());
        return action<Deploy<W>>("config changed; updating " + v.services() + " in place");
    }

    /// A running-ish state whose plan changed or whose service disappeared:
    /// check the new config while the old one runs, and go back to starting
    /// only once it passed.
    static Decision changed(const V &v, bool in_degraded) {
        if (!v.all_exist()) {
            const ServiceSpec *gone =
                v.first([](const ObservedService &s) { return !s.status.exists; });
            return transition<Starting<W>>("service " + gone->name +
                                           " disappeared; re-creating it");
        }
        if (!v.plan.check || v.check_passed())
            return transition<Starting<W>>("config changed; updating " + v.services());
        Decision d = deploy(v);  // check it, or say why it cannot be deployed
        if (!d.action().empty()) return d;
        return in_degraded ? stay(d.reason()) : transition<Degraded<W>>(d.reason());
    }

    /// How long ago the worker entered its state or last deployed, whichever
    /// is later: a death before that was not this config's (an update in
    /// place ends the old process on purpose).
    static int64_t since_last_deploy(const Snapshot &s) {
        int64_t since = s.time_in_state_ns();
        if (s.last_action() == Deploy<W>::name && s.last_action_finished_ns() > 0)
            since = std::min(since, s.now_ns() - s.last_action_finished_ns());
        return since;
    }

    /// A planned process that died and came back since the state was entered.
    static bool restarted_in_state(const V &v) {
        return v.any([&](const ObservedService &s) {
            return s.status.up && s.status.died &&
                   detail::age_ns(v.snapshot, s.up_for_ms) < v.snapshot.time_in_state_ns();
        });
    }

    static Decision stopped(const Snapshot &s) {
        hooks_declared_rightly();
        if (!s.has_observation()) return stay("waiting for the first observation");
        if (s.should_run()) return transition<Starting<W>>("desired state is running");
        const V v = V::read(s);
        if (s.shutdown_requested()) {
            if (v.any_exists())
                return action<Remove<W>>("shutdown requested; removing " + v.services());
            return stay("stopped; " + v.services() + " removed").with(Signal::needs_removal);
        }
        if (const ServiceSpec *stale_one = v.stale()) return stay(stale(v, *stale_one));
        if (v.any_running())
            return action<Stop<W>>("desired state is stopped; stopping " + v.services());
        return stay(v.any_exists() ? "stopped; " + v.services() + " kept"
                                   : "stopped; no service (desired state is stopped)");
    }

    static Decision starting(const Snapshot &s) {
        hooks_declared_rightly();
        if (!s.should_run()) return transition<Stopping<W>>(why_stopping(s));
        const V v = V::read(s);
        if (!v.all_exist() || !v.deployed_current()) return deploy(v);
        if (v.stale() != nullptr) return stay("waiting for s6 to supervise " + v.services());
        if (v.not_wanted_up() != nullptr) return action<Start<W>>("starting " + v.services());
        if (const ServiceSpec *down = v.down()) {
            const ObservedService d = v.service(down->name);
            if (d.status.died && detail::age_ns(s, d.down_for_ms) < since_last_deploy(s))
                return transition<Degraded<W>>(ended(v));
            return stay("waiting for the " + v.plan.noun + " to start");
        }
        const std::string up = v.process() + " up for " + seconds_text(v.up_for_ms());
        if (!v.observed.ready) {
            // Degraded restarts it at once: a program restarted for not
            // being ready is not starting any more.
            if (restart_due(v)) return transition<Degraded<W>>(restarting(v));
            if (v.up_for_ms() >= v.plan.start_grace_ms)
                return transition<Degraded<W>>(not_ready(v) + restart_note(v) + " (" + up + ")");
            return stay(up + "; " + not_ready(v) + restart_note(v));
        }
        if (v.observed.ready_for_ms >= v.plan.ready_hold_ms) return healthy(v, health_text(v));
        return stay(up_text(v) + "; running after " + seconds_text(v.plan.ready_hold_ms));
    }

    /// A healthy state's decision: degraded at the first sign of trouble.
    static Decision running(const Snapshot &s) {
        hooks_declared_rightly();
        if (!s.should_run()) return transition<Stopping<W>>(why_stopping(s));
        const V v = V::read(s);
        if (!v.all_exist() || !v.deployed_current()) return changed(v, false);
        if (restarted_in_state(v)) {
            const auto died = v.first([&](const ObservedService &o) { return o.status.died; });
            const ObservedService d = v.service(died->name);
            return transition<Degraded<W>>(v.with_log(v.plan.noun + " restarted (it " +
                                                      how_it_ended(d.status) + "); " +
                                                      restarts_text(d.status)));
        }
        const std::string problem = trouble(v);
        if (!problem.empty()) return transition<Degraded<W>>(problem);
        return healthy(v, health_text(v));
    }

    /// Degraded: s6 restarts a dying process by itself, so the worker mostly
    /// reports. It fixes a service stopped by hand and a process that stays
    /// not ready past its deadline, and returns to running once the worker is
    /// ready again for the hold and nothing else is wrong.
    static Decision degraded(const Snapshot &s) {
        hooks_declared_rightly();
        if (!s.should_run()) return transition<Stopping<W>>(why_stopping(s));
        const V v = V::read(s);
        if (!v.all_exist() || !v.deployed_current()) return changed(v, true);
        if (const ServiceSpec *stale_one = v.stale()) return stay(stale(v, *stale_one));
        if (const ServiceSpec *stopped_one = v.not_wanted_up())
            return action<Start<W>>("service " + stopped_one->name +
                                    " was stopped outside warden; starting it");
        if (restart_due(v)) return action<Restart<W>>(restarting(v));
        if (v.down() != nullptr) return stay(ended(v, "; s6 starts it again"));
        const std::string problem = trouble(v);
        if (!problem.empty()) return stay(problem);
        if (v.observed.ready_for_ms >= v.plan.ready_hold_ms)
            return healthy(v, "recovered; " + health_text(v));
        std::string waiting = up_text(v);
        if (const ServiceSpec *died =
                v.first([](const ObservedService &o) { return o.status.died; })) {
            const ServiceStatus &d = v.service(died->name).status;
            waiting += " after it " + how_it_ended(d) + "; " + restarts_text(d);
        }
        return stay(waiting + "; running after " + seconds_text(v.plan.ready_hold_ms));
    }

    /// Stopping: stop the processes and keep the services (desired state
    /// stopped), or remove them (shutdown). Should the config ask for running
    /// again meanwhile, go straight back to starting.
    static Decision stopping(const Snapshot &s) {
        hooks_declared_rightly();
        if (s.should_run()) return transition<Starting<W>>("desired state is running again");
        const V v = V::read(s);
        if (s.shutdown_requested()) {
            if (v.any_exists()) return action<Remove<W>>("removing " + v.services());
            return transition<Stopped<W>>(v.services() + " removed");
        }
        if (const ServiceSpec *stale_one = v.stale()) return stay(stale(v, *stale_one));
        if (v.any_running()) return action<Stop<W>>("stopping " + v.services());
        return transition<Stopped<W>>(v.any_exists()
                                          ? v.plan.noun + " stopped; " + v.services() + " kept"
                                          : "no service to stop");
    }
};

/// No process runs (and none should, or the worker is being removed: then
/// its services are removed and it asks the supervisor to remove it).
template <typename W>
struct Stopped {
    static constexpr std::string_view name = "stopped";
    static constexpr Phase phase = Phase::stopped;
    static constexpr std::string_view description = "nothing runs";
    Decision next(const Snapshot &s) const { return decide<W>::stopped(s); }
};

/// Checking and deploying the plan, starting it, and waiting for it to be
/// ready for the hold.
template <typename W>
struct Starting {
    static constexpr std::string_view name = "starting";
    static constexpr Phase phase = Phase::starting;
    static constexpr std::string_view description =
        "deploying and starting the services, waiting for them to be ready for a while";
    Decision next(const Snapshot &s) const { return decide<W>::starting(s); }
};

/// Up and ready for the hold, and nothing wrong.
template <typename W>
struct Running {
    static constexpr std::string_view name = "running";
    static constexpr Phase phase = Phase::running_healthy;
    static constexpr std::string_view description = "up, ready and well";
    Decision next(const Snapshot &s) const { return decide<W>::running(s); }
};

/// Should run but is not well: down (s6 restarts it), not ready,
/// crash-looping, stopped outside warden, or a config change refused.
template <typename W>
struct Degraded {
    static constexpr std::string_view name = "degraded";
    static constexpr Phase phase = Phase::running_degraded;
    static constexpr std::string_view description =
        "should run but is down, not ready, crash-looping or refused a config change";
    Decision next(const Snapshot &s) const { return decide<W>::degraded(s); }
};

/// Stopping the processes (and removing the services, on shutdown).
template <typename W>
struct Stopping {
    static constexpr std::string_view name = "stopping";
    static constexpr Phase phase = Phase::stopping;
    static constexpr std::string_view description = "stopping the services";
    Decision next(const Snapshot &s) const { return decide<W>::stopping(s); }
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_LIFECYCLE_HPP
