// SPDX-License-Identifier: Apache-2.0
// warden/kit/service_worker.hpp — the base of a worker that runs s6 services.
//
// A worker type built on the kit says what is new about it and nothing
// else: how its config becomes a desired state (derive_desired, with
// kit::ConfigReader), and what it runs (a static `plan`). The base brings
// the states and actions of warden/kit/lifecycle.hpp and service_actions.hpp,
// a collect that observes every planned service, and the little the actions
// and collect share: the newest config check, the fingerprint deployed, and
// the count of restarts for not being ready.
//
//     class CommandWorker : public warden::kit::ServiceWorker<CommandWorker> {
//     public:
//         static constexpr std::string_view type_name = "command";
//         using ServiceWorker::ServiceWorker;
//         static std::string derive_desired(const warden::Host &, const warden::Identity &,
//                                           std::string_view config_json);
//         static warden::kit::Plan plan(const warden::Snapshot &, const warden::kit::Observed &);
//     };
//
// A worker that probes its program (HTTP, a socket) writes its own collect:
// plan_for() (its plan, from the facts it gathered first, such as a reserved
// port), observe(), then its probe, then set_readiness() with the probe's
// verdict.
// A worker with a config check lists kit::Check<W> among its actions
// (ActionsWithCheck).
//
// Readiness by default: every planned service is up, and ready by s6's
// readiness notification when its spec asks for one; ready for as long as
// the youngest has been.
//
// What collect wrote is kept for the decisions on it: written() keeps the
// Observed beside its JSON, and kit::View, in this worker's `next`, takes it
// instead of parsing when the snapshot holds exactly those bytes, and the
// plan plan_for made when the desired bytes and the facts it read are the
// same (view_parts). A worker with a collect of its own returns
// written(std::move(o)) rather than o.to_json() to have that.
//
// THREADING: collect runs on the worker's collector thread and the actions
// on its executor, at the same time: what both touch is behind a mutex. The
// readiness clock and crash-loop history belong to collect alone; so does
// the plan plan_for made. The observation written is behind a mutex of its
// own: `next` reads it while the next collect may write. The states touch
// the worker only through view_parts, in its own `next`.
#ifndef WARDEN_KIT_SERVICE_WORKER_HPP
#define WARDEN_KIT_SERVICE_WORKER_HPP

#include <warden/kit/lifecycle.hpp>
#include <warden/kit/observed.hpp>
#include <warden/kit/plan.hpp>
#include <warden/kit/readiness.hpp>
#include <warden/kit/service_actions.hpp>
#include <warden/worker.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace warden::kit {

template <typename W>
class ServiceWorker : public Worker {
public:
    using States = warden::States<Stopped<W>, Starting<W>, Running<W>, Degraded<W>, Stopping<W>>;
    using Actions = warden::Actions<Deploy<W>, Start<W>, Stop<W>, Restart<W>, Remove<W>>;
    using ActionsWithCheck =
        warden::Actions<Check<W>, Deploy<W>, Start<W>, Stop<W>, Restart<W>, Remove<W>>;
    using InitialState = Stopped<W>;

    explicit ServiceWorker(const WorkerContext &context) : Worker(context) {}

    /// The observed state: observe(), and readiness as s6 tells it. A worker
    /// with no collect of its own has no facts of its own either, so its plan
    /// is asked with an empty observation.
    std::string collect(const Snapshot &snapshot, const Cancel &) {
        const Plan &plan = plan_for(snapshot, nlohmann::json::object());
        Observed o = observe(snapshot, plan);
        set_readiness_from_s6(o, plan);
        return written(std::move(o));
    }

    /// W::plan for `snapshot` and the facts `seed` (what the plan reads of an
    /// observation's `extra`: a reserved port, why there is none, ...),
    /// made again only when the desired state or the seed changed: a collect
    /// that plans at every observation renders once per change. The seed
    /// must hold everything W::plan reads of an observation, under the keys
    /// the observation's `extra` has them: the decisions on the observation
    /// collect writes reuse this plan when those facts are the same there
    /// (view_parts). Collect's alone; valid until the next call.
    const Plan &plan_for(const Snapshot &snapshot, nlohmann::json seed) {
        if (!planned_ || !planned_->made_from(snapshot.desired_json(), seed)) {
            Observed observed;
            observed.extra = seed;
            planned_ = PlanMemo::make(snapshot.desired_json(), std::move(seed), false,
                                      W::plan(snapshot, observed));
        }
        return planned_->plan;
    }

    /// The document of observation `o`, for collect to return: its JSON, and
    /// the Observed itself kept with it (and the plan plan_for made last),
    /// so the decision on exactly these bytes needs no parse (view_parts).
    std::string written(Observed o) {
        auto kept = std::make_shared<Written>();
        kept->bytes = o.to_json();
        kept->observed = std::move(o);
        kept->plan = planned_;
        std::string bytes = kept->bytes;
        std::lock_guard<std::mutex> lock(written_mutex_);
        written_ = std::move(kept);
        return bytes;
    }

    /// For kit::View, in this worker's `next`: the observation written last
    /// when the snapshot holds exactly its bytes (else parsed), and a plan
    /// made for the same desired bytes and the same facts when one was (by
    /// plan_for, or by an earlier decision; else W::plan anew). Bytes the
    /// host hands back are never trusted beyond that equality.
    /// THREADING: `next` only (never overlaps another next of this worker);
    /// collect may write meanwhile.
    detail::ViewParts view_parts(const Snapshot &s) {
        std::shared_ptr<const Written> written;
        {
            std::lock_guard<std::mutex> lock(written_mutex_);
            written = written_;
        }
        std::shared_ptr<const Observed> observed;
        std::shared_ptr<const PlanMemo> plan;
        if (written && written->bytes == s.observed_json()) {
            observed = std::shared_ptr<const Observed>(written, &written->observed);
            if (written->plan && written->plan->fits(s.desired_json(), observed->extra))
                plan = written->plan;
        } else {
            observed = std::make_shared<const Observed>(Observed::from_json(s.observed_json()));
        }
        if (!plan && decided_plan_ && decided_plan_->fits(s.desired_json(), observed->extra))
            plan = decided_plan_;
        if (!plan) {
            plan = PlanMemo::make(s.desired_json(), observed->extra, true, W::plan(s, *observed));
            decided_plan_ = plan;
        }
        return {std::move(observed), std::shared_ptr<const Plan>(plan, &plan->plan),
                plan->fingerprint};
    }

    /// Observes every service of `plan` (a status-file read each, no process
    /// spawned), with how long each has been up or down, what the actions
    /// recorded, and a crash loop. A service that is missing or down is a
    /// fact to report; only a failing host call throws. Readiness is left
    /// for set_readiness or set_readiness_from_s6, one of which follows.
    Observed observe(const Snapshot &, const Plan &plan) {
        Observed o;
        const int64_t wall = host().wall_ns();
        bool up = !plan.services.empty();
        uint64_t process = 0;  // the pids, hashed: a new process anywhere changes it
        int64_t youngest_ms = INT64_MAX;
        s6_not_ready_.clear();
        s6_ready_for_ms_ = INT64_MAX;
        for (const ServiceSpec &spec : plan.services) {
            ObservedService s{spec.name, host().observe_service(spec.name), 0, 0};
            if (s.status.since_ns > 0) {
                const int64_t ms = std::max<int64_t>(0, (wall - s.status.since_ns) / 1'000'000);
                (s.status.up ? s.up_for_ms : s.down_for_ms) = ms;
            }
            const std::string loop =
                crash_loops_[spec.name].observe(host().monotonic_ns(), s.status.restart_count);
            if (o.crash_loop.empty() && !loop.empty())
                o.crash_loop = plan.services.size() == 1 ? loop : spec.name + ": " + loop;
            up = up && s.status.up;
            process = process * 1'000'003u + static_cast<uint64_t>(s.status.pid);
            youngest_ms = std::min(youngest_ms, s.up_for_ms);
            // A service that signals readiness is ready from its signal on.
            if (spec.notification_fd > 0 && s.status.up && !s.status.ready && s6_not_ready_.empty())
                s6_not_ready_ = "service " + spec.name + " has not signalled readiness";
            const int64_t ready_ms =
                spec.notification_fd > 0 && s.status.ready_since_ns > 0
                    ? std::max<int64_t>(0, (wall - s.status.ready_since_ns) / 1'000'000)
                    : s.up_for_ms;
            s6_ready_for_ms_ = std::min(s6_ready_for_ms_, ready_ms);
            o.services.push_back(std::move(s));
        }
        for (auto it = crash_loops_.begin(); it != crash_loops_.end();)
            it = plan.find_service(it->first) ? std::next(it) : crash_loops_.erase(it);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            o.check = check_;
            o.deployed = deployed_;
            o.not_ready_restarts = not_ready_restarts_;
        }
        process_ = up ? std::max<int64_t>(1, static_cast<int64_t>(process & INT64_MAX)) : 0;
        up_for_ms_ = up ? youngest_ms : 0;
        return o;
    }

    /// Readiness as s6 tells it: every service up, and those whose spec asks
    /// for a readiness notification have given it; ready for as long as the
    /// youngest has been.
    void set_readiness_from_s6(Observed &o, const Plan &plan) {
        apply_readiness(o, plan, process_ != 0 && s6_not_ready_.empty(), s6_not_ready_,
                        s6_ready_for_ms_);
    }

    /// Readiness as the worker's probe tells it ("/ready answered 503"), for
    /// an observation just made by observe(): `ready` counts only while every
    /// service is up, and from the first observation that saw it.
    void set_readiness(Observed &o, const Plan &plan, bool ready, std::string not_ready) {
        apply_readiness(o, plan, ready, std::move(not_ready), -1);
    }

    // Shared with the actions.

    void record_check(CheckVerdict verdict) {
        std::lock_guard<std::mutex> lock(mutex_);
        check_ = std::move(verdict);
    }
    /// Whether the newest check passed the plan with this fingerprint.
    bool check_passed(const std::string &fingerprint) {
        std::lock_guard<std::mutex> lock(mutex_);
        return check_.passed && check_.fingerprint == fingerprint;
    }
    /// Records a deploy ("" = removed); a new config starts the count of
    /// not-ready restarts again.
    void record_deployed(std::string fingerprint) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (fingerprint != deployed_) not_ready_restarts_ = 0;
        deployed_ = std::move(fingerprint);
    }
    void count_not_ready_restart() {
        std::lock_guard<std::mutex> lock(mutex_);
        ++not_ready_restarts_;
    }
    void forget_not_ready_restarts() {
        std::lock_guard<std::mutex> lock(mutex_);
        not_ready_restarts_ = 0;
    }

protected:
    ~ServiceWorker() = default;

private:
    // `ready_for_ms` < 0: the readiness clock's count.
    void apply_readiness(Observed &o, const Plan &plan, bool ready, std::string not_ready,
                         int64_t ready_for_ms) {
        const bool up = process_ != 0;
        const auto r = readiness_.observe(host().monotonic_ns(), process_, up_for_ms_, up && ready);
        o.ready = up && ready;
        o.not_ready = o.ready || !up ? std::string() : std::move(not_ready);
        o.ready_for_ms = o.ready && ready_for_ms >= 0 ? ready_for_ms : r.ready_for_ms;
        o.not_ready_for_ms = r.not_ready_for_ms;
        // Ready for the hold: it runs again, and the count of restarts starts over.
        if (o.not_ready_restarts > 0 && o.ready && o.ready_for_ms >= plan.ready_hold_ms) {
            forget_not_ready_restarts();
            o.not_ready_restarts = 0;
        }
    }

    std::mutex mutex_;
    CheckVerdict check_;
    std::string deployed_;  // fingerprint of the plan deployed; "" = none
    uint32_t not_ready_restarts_ = 0;

    // The newest observation, for the readiness that follows it.
    ReadinessClock readiness_;
    int64_t process_ = 0;  // what runs (a hash of the pids); 0 = not all up
    int64_t up_for_ms_ = 0;
    std::string s6_not_ready_;
    int64_t s6_ready_for_ms_ = 0;
    std::map<std::string, CrashLoop> crash_loops_;
    // A plan, what it was made from, and its fingerprint: made once per
    // change, shared by collect and the decisions.
    struct PlanMemo {
        std::string desired;  // the desired document's bytes
        nlohmann::json seed;  // the facts the plan was given as an observation's extra
        bool whole = false;   // seed is a whole observation's extra, not only what plan reads
        Plan plan;
        std::string fingerprint;

        static std::shared_ptr<const PlanMemo> make(std::string_view desired_json,
                                                    nlohmann::json seed, bool whole, Plan plan) {
            auto memo = std::make_shared<PlanMemo>();
            memo->desired = std::string(desired_json);
            memo->seed = std::move(seed);
            memo->whole = whole;
            memo->plan = std::move(plan);
            memo->fingerprint = memo->plan.fingerprint();
            return memo;
        }
        bool made_from(std::string_view desired_json, const nlohmann::json &facts) const {
            return desired == desired_json && seed == facts;
        }
        // Whether this is the plan for `desired_json` and an observation
        // whose extra is `extra`: the same desired bytes, and the same facts.
        bool fits(std::string_view desired_json, const nlohmann::json &extra) const {
            if (desired != desired_json) return false;
            if (whole) return seed == extra;
            if (!seed.is_object()) return false;
            for (const auto &[key, value] : seed.items()) {
                const auto it = extra.find(key);
                if (it == extra.end() || *it != value) return false;
            }
            return true;
        }
    };
    // An observation collect wrote: its bytes, itself, the plan it was made with.
    struct Written {
        std::string bytes;
        Observed observed;
        std::shared_ptr<const PlanMemo> plan;
    };

    // The newest plan_for (collect's alone).
    std::shared_ptr<const PlanMemo> planned_;
    // The newest observation written, for the decision on it.
    std::mutex written_mutex_;
    std::shared_ptr<const Written> written_;
    // The plan the last decision made itself (next's alone).
    std::shared_ptr<const PlanMemo> decided_plan_;
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_SERVICE_WORKER_HPP
