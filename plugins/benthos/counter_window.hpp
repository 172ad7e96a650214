// counter_window.hpp — recent history of one Benthos process's counters.
//
// Benthos's counters only grow, for the life of the process: an error count
// of 500 says nothing about now. The worker keeps the samples of the last
// minute (or of its error window, if longer) and answers "how much did each
// counter grow over the last N seconds?". A new process (another pid, or
// counters that went back) starts the history again, from zero at the moment
// the process started, which is what its counters were then.
//
// THREADING: none; the worker calls it from collect only.
#pragma once

#include "benthos_metrics.hpp"

#include <cstdint>
#include <deque>

namespace benthos_plugin {

class CounterWindow {
public:
    /// Keeps samples for `span_ns` (monotonic ns).
    explicit CounterWindow(int64_t span_ns) : span_ns_(span_ns) {}

    /// One sample, taken at `now_ns` from process `pid`, which started at
    /// `started_ns` (monotonic; 0 = unknown).
    void add(int64_t now_ns, int64_t pid, int64_t started_ns, const BenthosCounters &counters);
    void clear() { samples_.clear(); }
    void set_span(int64_t span_ns) { span_ns_ = span_ns; }

    struct Change {
        BenthosCounters delta;   ///< growth of each counter
        int64_t covered_ns = 0;  ///< the time that growth happened in (<= the window)
        /// Growth per second of `field`; 0 when nothing is covered yet.
        double rate(double BenthosCounters::*field) const;
    };

    /// How the counters grew over the last `window_ns` before the newest sample.
    Change change_over(int64_t window_ns) const;

private:
    struct Sample {
        int64_t at_ns;
        int64_t pid;
        BenthosCounters counters;
    };
    int64_t span_ns_;
    std::deque<Sample> samples_;
};

}  // namespace benthos_plugin
