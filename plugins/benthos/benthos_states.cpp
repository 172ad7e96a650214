// SPDX-License-Identifier: Apache-2.0
// benthos_states.cpp — how a `benthos` worker judges a pipeline that runs:
// the kit's decisions, with Benthos's activity and error rates.
#include "benthos_states.hpp"

#include "benthos_worker.hpp"

#include <cstdio>
#include <string>

namespace benthos_plugin {
namespace {

using warden::Decision;
using View = warden::kit::View<BenthosWorker>;

std::string decimal(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

// Growth of `name` per second over `covered_ms`.
std::string rate(const warden::kit::Counters &delta, const char *name, int64_t covered_ms) {
    const double per_second =
        covered_ms <= 0 ? 0 : delta.get(name) * 1000.0 / static_cast<double>(covered_ms);
    return decimal(per_second) + "/s";
}

int64_t ms_at(const View &v, const char *key) {
    return warden::kit::value_or(v.observed.extra, key, int64_t{0});
}

}  // namespace

Decision Idle::next(const warden::Snapshot &s) const {
    return warden::kit::decide<BenthosWorker>::running(s);
}

Decision Active::next(const warden::Snapshot &s) const {
    return warden::kit::decide<BenthosWorker>::running(s);
}

// Errors that grew within the window, with Benthos's newest error line.
std::string BenthosWorker::trouble(const View &v) {
    const warden::kit::Counters in_window =
        warden::kit::Counters::from_json_at(v.observed.extra, "in_window");
    const int64_t window_ms = ms_at(v, "window_ms");
    if (in_window.get("output_error") > 0)
        return v.with_log("output error rate " + rate(in_window, "output_error", window_ms));
    if (in_window.get("processor_error") > 0)
        return v.with_log("processor error rate " + rate(in_window, "processor_error", window_ms));
    return {};
}

std::string BenthosWorker::health_text(const View &v) {
    const warden::kit::Counters last_minute =
        warden::kit::Counters::from_json_at(v.observed.extra, "last_minute");
    const int64_t covered_ms = ms_at(v, "last_minute_ms");
    if (last_minute.get("input_received") <= 0)
        return "live and ready; no input in the last minute";
    return "input " + rate(last_minute, "input_received", covered_ms) + ", output " +
           rate(last_minute, "output_sent", covered_ms) + " over the last " +
           warden::kit::seconds_text(covered_ms);
}

// Idle or active by the last minute's input.
Decision BenthosWorker::healthy(const View &v, std::string reason) {
    const bool active =
        warden::kit::Counters::from_json_at(v.observed.extra, "last_minute").get("input_received") >
        0;
    const std::string_view target = active ? Active::name : Idle::name;
    if (v.snapshot.state() == target) return warden::stay(std::move(reason));
    return active ? warden::transition<Active>(std::move(reason))
                  : warden::transition<Idle>(std::move(reason));
}

}  // namespace benthos_plugin
