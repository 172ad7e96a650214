// counter_window.cpp — the growth of Benthos's counters over a recent window.
#include "counter_window.hpp"

namespace benthos_plugin {

void CounterWindow::add(int64_t now_ns, int64_t pid, int64_t started_ns,
                        const BenthosCounters &counters) {
    if (!samples_.empty() &&
        (samples_.back().pid != pid || counters.went_back_from(samples_.back().counters)))
        samples_.clear();
    // A process that started within the span counted from zero since then.
    // One that started earlier (found running when the worker was made, as
    // after a host restart) has lifetime totals no window can use: its
    // history begins with this sample.
    if (samples_.empty() && started_ns > 0 && started_ns < now_ns &&
        now_ns - started_ns <= span_ns_)
        samples_.push_back(Sample{started_ns, pid, BenthosCounters{}});
    samples_.push_back(Sample{now_ns, pid, counters});
    // Keep one sample at or before the span's start, so a full window always
    // has a base to measure from.
    while (samples_.size() > 2 && samples_[1].at_ns <= now_ns - span_ns_) samples_.pop_front();
}

CounterWindow::Change CounterWindow::change_over(int64_t window_ns) const {
    Change change;
    if (samples_.empty()) return change;
    const Sample &newest = samples_.back();
    const Sample *base = &samples_.front();
    for (const Sample &sample : samples_) {
        if (sample.at_ns > newest.at_ns - window_ns) break;
        base = &sample;
    }
    change.covered_ns = newest.at_ns - base->at_ns;
    change.delta = newest.counters.minus(base->counters);
    return change;
}

double CounterWindow::Change::rate(double BenthosCounters::*field) const {
    if (covered_ns <= 0) return 0;
    return delta.*field / (static_cast<double>(covered_ns) / 1e9);
}

}  // namespace benthos_plugin
