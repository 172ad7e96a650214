// SPDX-License-Identifier: Apache-2.0
// warden/kit/counter_window.hpp — how a process's counters grew lately.
//
// Part of the worker kit: header-only C++ that compiles into the plugin, on
// the wrapper and nlohmann/json; never part of the ABI.
//
// A service's counters (messages sent, errors) only grow, for the life of
// its process: an error total of 500 says nothing about now. A worker adds
// one sample of the counters at each observation and asks "how much did each
// grow over the last W ns?", "at what rate?", "did the error count grow?".
//
// What the window keeps, and why:
//   * Samples of the last `span` ns, plus one at or before the span's start
//     so that a full window always has a base to measure from.
//   * A new process starts the history again: another pid, a counter lower
//     than before, or a clock that went back. A process that started within
//     the span counted from zero since then, so the history begins with
//     zeros at its start; one that started earlier (found running when the
//     worker was made, as after a host restart) has lifetime totals no
//     window can use, so its history begins with its first sample.
//   * A counter that is missing from a sample, or not finite (NaN, ±Inf), is
//     taken as unchanged since the sample before: it never reads as growth
//     or as a reset. Until a counter has a finite value in the history, its
//     growth reads as 0.
//   * At most max_samples samples, whatever the call rate: while the newest
//     sample is closer than span / (max_samples - 3) to the one before it,
//     the next sample replaces it. Windows are exact to that spacing (about
//     0.24 s for a minute in the default 256 samples).
//
// Times are monotonic ns, as warden::Snapshot::now_ns gives them.
//
// OWNERSHIP: the window owns copies of the counters it was given.
// THREADING: none; one thread at a time (a worker calls it from collect).
//
// Example, in a worker's collect:
//
//   // a member: warden::kit::CounterWindow window_{60'000'000'000};
//   const auto totals = warden::kit::Counters::sum_of(body, {"output_sent", "output_error"});
//   // started_ns: monotonic, the process's start (now less how long s6 says
//   // it has been up: ServiceStatus::since_ns is unix time)
//   window_.add(s.now_ns(), status.pid, started_ns, totals);
//   const auto last_30s = window_.change_over(30'000'000'000);
//   observed["sent_per_s"] = last_30s.rate("output_sent");
//   observed["errors_lately"] = last_30s.grew("output_error");
//   observed["window"] = last_30s.delta.to_json();
#ifndef WARDEN_KIT_COUNTER_WINDOW_HPP
#define WARDEN_KIT_COUNTER_WINDOW_HPP

#include <warden/kit/prometheus.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <string_view>

namespace warden::kit {

class CounterWindow {
public:
    /// The default bound on the samples kept.
    static constexpr std::size_t kDefaultMaxSamples = 256;
    /// max_samples is raised to this at least.
    static constexpr std::size_t kMinSamples = 4;

    /// Keeps `span_ns` of history (negative reads as 0) in at most
    /// `max_samples` samples.
    explicit CounterWindow(int64_t span_ns, std::size_t max_samples = kDefaultMaxSamples)
        : span_ns_(span_ns < 0 ? 0 : span_ns),
          max_samples_(max_samples < kMinSamples ? kMinSamples : max_samples) {}

    /// One sample: `counters` read at `now_ns` from process `pid`, which
    /// started at `started_ns` (monotonic; 0 = unknown).
    void add(int64_t now_ns, int64_t pid, int64_t started_ns, const Counters &counters) {
        if (!samples_.empty()) {
            const Sample &last = samples_.back();
            if (last.pid != pid || now_ns < last.at_ns || counters.went_back_from(last.counters))
                samples_.clear();
        }
        if (samples_.empty() && started_ns > 0 && started_ns < now_ns &&
            now_ns - started_ns <= span_ns_) {
            Counters zero;
            for (const auto &entry : counters) zero.set(entry.first, 0);
            samples_.push_back(Sample{started_ns, pid, std::move(zero)});
        }
        Sample sample{now_ns, pid, carried_forward(counters)};
        const std::size_t n = samples_.size();
        if (n >= 1 && samples_.back().at_ns == now_ns) {
            samples_.back() = std::move(sample);  // the clock did not move
        } else if (n >= 2 && elapsed(samples_.back().at_ns, samples_[n - 2].at_ns) < min_gap_ns()) {
            samples_.back() = std::move(sample);  // the newest was too close to the one before
        } else {
            samples_.push_back(std::move(sample));
        }
        const int64_t cutoff = minus(now_ns, span_ns_);
        while (samples_.size() > 2 && samples_[1].at_ns <= cutoff) samples_.pop_front();
        while (samples_.size() > max_samples_) samples_.pop_front();
    }

    /// Forgets everything: the next sample begins a new history.
    void clear() noexcept { samples_.clear(); }
    /// Changes the span kept; takes effect from the next add.
    void set_span(int64_t span_ns) noexcept { span_ns_ = span_ns < 0 ? 0 : span_ns; }
    int64_t span_ns() const noexcept { return span_ns_; }
    std::size_t max_samples() const noexcept { return max_samples_; }
    /// Samples kept now.
    std::size_t size() const noexcept { return samples_.size(); }
    /// The newest totals (with missing and non-finite counters carried
    /// forward); nullptr before the first sample.
    const Counters *newest() const noexcept {
        return samples_.empty() ? nullptr : &samples_.back().counters;
    }

    /// How the counters grew over a window.
    struct Change {
        Counters delta;          ///< growth of each counter
        int64_t covered_ns = 0;  ///< the time that growth happened in (<= the window)

        double growth(std::string_view name) const { return delta.get(name); }
        /// Growth of `name` per second; 0 when no time is covered yet.
        double rate(std::string_view name) const {
            if (covered_ns <= 0) return 0;
            return delta.get(name) / (static_cast<double>(covered_ns) / 1e9);
        }
        /// Whether `name` grew within the window.
        bool grew(std::string_view name) const { return delta.get(name) > 0; }
    };

    /// How the counters grew over the last `window_ns` before the newest
    /// sample. A window longer than the history covers the history.
    Change change_over(int64_t window_ns) const {
        Change change;
        if (samples_.empty()) return change;
        const Sample &newest = samples_.back();
        const Sample &base = base_for(window_ns);
        change.covered_ns = elapsed(newest.at_ns, base.at_ns);
        change.delta = newest.counters.minus(base.counters);
        return change;
    }

    /// change_over(window_ns).rate(name), without the other counters.
    double rate(std::string_view name, int64_t window_ns) const {
        if (samples_.empty()) return 0;
        const Sample &base = base_for(window_ns);
        const int64_t covered = elapsed(samples_.back().at_ns, base.at_ns);
        if (covered <= 0) return 0;
        return growth(base, name) / (static_cast<double>(covered) / 1e9);
    }

    /// change_over(window_ns).grew(name), without the other counters.
    bool grew(std::string_view name, int64_t window_ns) const {
        return !samples_.empty() && growth(base_for(window_ns), name) > 0;
    }

private:
    struct Sample {
        int64_t at_ns;
        int64_t pid;
        Counters counters;
    };

    // b - a for b >= a, saturated.
    static int64_t elapsed(int64_t b, int64_t a) noexcept {
        if (a < 0 && b > std::numeric_limits<int64_t>::max() + a)
            return std::numeric_limits<int64_t>::max();
        return b - a;
    }
    // a - d for d >= 0, saturated.
    static int64_t minus(int64_t a, int64_t d) noexcept {
        return a < std::numeric_limits<int64_t>::min() + d ? std::numeric_limits<int64_t>::min()
                                                           : a - d;
    }

    // Samples but the newest are at least this far apart, so the span holds
    // at most max_samples - 1 of them, and the base before it makes one more.
    int64_t min_gap_ns() const noexcept {
        const auto parts = static_cast<int64_t>(max_samples_ - 3);
        return span_ns_ / parts + (span_ns_ % parts != 0 ? 1 : 0);
    }

    // `counters`, with what is missing or not finite taken from the newest
    // sample of this history.
    Counters carried_forward(const Counters &counters) const {
        Counters out = counters;
        if (samples_.empty()) return out;
        const Counters &before = samples_.back().counters;
        for (const auto &[name, value] : before) {
            if (!out.has(name) || !std::isfinite(out.get(name))) out.set(name, value);
        }
        return out;
    }

    // The newest sample at or before the window's start; the oldest one
    // when the history is shorter than the window.
    const Sample &base_for(int64_t window_ns) const {
        const Sample &newest = samples_.back();
        const int64_t start = minus(newest.at_ns, window_ns < 0 ? 0 : window_ns);
        const Sample *base = &samples_.front();
        for (const Sample &sample : samples_) {
            if (sample.at_ns > start) break;
            base = &sample;
        }
        return *base;
    }

    double growth(const Sample &base, std::string_view name) const {
        const double now = samples_.back().counters.get(name);
        const double before = base.counters.get(name);
        return std::isfinite(now) && std::isfinite(before) ? now - before : 0;
    }

    int64_t span_ns_;
    std::size_t max_samples_;
    std::deque<Sample> samples_;
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_COUNTER_WINDOW_HPP
