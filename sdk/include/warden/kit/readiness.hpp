// SPDX-License-Identifier: Apache-2.0
// warden/kit/readiness.hpp — how long a worker's program has been ready (or
// not), and whether it is crash-looping.
//
// Both keep history across observations, so they belong to collect (the
// worker's collector thread) and live in the worker object. The states see
// only their results, in the observed document, and judge: "ready for 3 s
// counts as running", "up but not ready for 60 s: restart it", "5 exits in
// the last 60 s".
//
//     ReadinessClock clock;  // a member of the worker
//     auto r = clock.observe(host.monotonic_ns(), pid, up_for_ms, probe_says_ready);
//     observed.ready_for_ms = r.ready_for_ms;
//
// THREADING: none; call from one thread (collect) only.
#ifndef WARDEN_KIT_READINESS_HPP
#define WARDEN_KIT_READINESS_HPP

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>

namespace warden::kit {

/// Two clocks over a program's readiness: how long it has been ready without
/// a break, and how long it has been up but not ready. A process first seen
/// not ready has been so since it started, unless it was already running when
/// the worker began watching (after a host restart): then only since then.
class ReadinessClock {
public:
    struct Reading {
        int64_t ready_for_ms = 0;      ///< ready without a break; 0 when not ready
        int64_t not_ready_for_ms = 0;  ///< up but not ready without a break; 0 otherwise
    };

    /// One observation at `now_ns` (monotonic). `process` identifies what
    /// runs (its pid, or a hash of several; 0 = nothing is up), which has been
    /// up for `up_for_ms`; `ready` is the worker's verdict for it.
    Reading observe(int64_t now_ns, int64_t process, int64_t up_for_ms, bool ready) {
        constexpr int64_t ms = 1'000'000;
        if (watching_since_ns_ == 0) watching_since_ns_ = now_ns;
        const bool up = process != 0;
        const bool new_process = up && process != seen_process_;
        seen_process_ = process;
        Reading r;
        if (up && ready) {
            if (ready_since_ns_ == 0 || ready_process_ != process) ready_since_ns_ = now_ns;
            ready_process_ = process;
            r.ready_for_ms = (now_ns - ready_since_ns_) / ms;
        } else {
            ready_since_ns_ = 0;
        }
        if (!up || ready) {
            not_ready_since_ns_ = 0;
            return r;
        }
        if (new_process)
            not_ready_since_ns_ = std::max(now_ns - up_for_ms * ms, watching_since_ns_);
        else if (not_ready_since_ns_ == 0)
            not_ready_since_ns_ = now_ns;
        r.not_ready_for_ms = (now_ns - not_ready_since_ns_) / ms;
        return r;
    }

private:
    int64_t watching_since_ns_ = 0;
    int64_t seen_process_ = 0;
    int64_t ready_since_ns_ = 0;  // 0 = not ready
    int64_t ready_process_ = 0;
    int64_t not_ready_since_ns_ = 0;  // 0 = down, or up and ready
};

/// Crash-loop detection from s6's death count: `threshold` or more deaths
/// within `window_ns` is a loop. s6 restarts a dying process at most once a
/// second, so a program that cannot start piles up deaths fast; one that
/// dies once a day never reaches the threshold.
class CrashLoop {
public:
    explicit CrashLoop(int64_t window_ns = 60'000'000'000, uint32_t threshold = 3)
        : window_ns_(window_ns), threshold_(threshold) {}

    /// One observation at `now_ns` (monotonic) of a service whose s6 death
    /// count is `deaths`. Returns "" or, in a loop, "5 exits in the last 60 s".
    /// The first observation only sets the baseline: deaths before the
    /// worker watched are not dated.
    std::string observe(int64_t now_ns, uint32_t deaths) {
        if (baseline_set_ && deaths > last_deaths_) {
            const uint32_t added = std::min<uint32_t>(deaths - last_deaths_, kMaxKept);
            for (uint32_t i = 0; i < added; ++i) times_.push_back(now_ns);
        }
        // A count that went back is a new s6-supervise: its count starts over.
        last_deaths_ = deaths;
        baseline_set_ = true;
        while (!times_.empty() &&
               (times_.front() <= now_ns - window_ns_ || times_.size() > kMaxKept))
            times_.pop_front();
        if (times_.size() < threshold_) return {};
        return std::to_string(times_.size()) + " exits in the last " +
               std::to_string(window_ns_ / 1'000'000'000) + " s";
    }

private:
    static constexpr uint32_t kMaxKept = 1000;
    int64_t window_ns_;
    uint32_t threshold_;
    bool baseline_set_ = false;
    uint32_t last_deaths_ = 0;
    std::deque<int64_t> times_;
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_READINESS_HPP
