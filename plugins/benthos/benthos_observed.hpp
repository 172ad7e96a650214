// benthos_observed.hpp — what a `benthos` worker last saw.
//
// collect writes this document and every `next` reads it back: facts only —
// what s6 says of the process, what Benthos answers on /ping, /ready and
// /metrics, how its counters grew recently, which config was linted and
// deployed — and no judgement; the states judge.
#pragma once

#include "benthos_metrics.hpp"

#include <warden/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace benthos_plugin {

/// What `benthos lint` said of one rendering.
struct LintVerdict {
    std::string fingerprint;  ///< of the rendering linted; "" = nothing linted yet
    bool passed = false;
    std::string message;  ///< lint's output when it failed
};

struct BenthosObserved {
    warden::ServiceStatus service;
    int64_t up_for_ms = 0;    ///< how long the process has been up; 0 when down
    int64_t down_for_ms = 0;  ///< how long it has been down; 0 when up
    uint32_t http_port = 0;   ///< the worker's port; 0 = none reserved
    std::string port_error;   ///< why no port could be reserved
    std::string deployed;     ///< fingerprint of the rendering deployed; "" = none yet
    LintVerdict lint;         ///< the newest lint

    bool live = false;            ///< /ping answered 200
    std::string live_error;       ///< why not
    bool ready = false;           ///< /ready answered 200
    std::string not_ready;        ///< Benthos's reason ("output not connected") or the probe's
    std::string metrics_error;    ///< why /metrics could not be read; "" = read
    int64_t ready_for_ms = 0;     ///< live and ready without a break for this long
    BenthosCounters counters;     ///< totals since the process started
    BenthosCounters last_minute;  ///< growth over the last minute
    int64_t last_minute_ms = 0;   ///< how much of the minute that covers
    BenthosCounters in_window;    ///< growth over the error window
    int64_t window_ms = 0;        ///< how much of the window that covers
    std::string last_error;       ///< Benthos's newest error line, read when something is wrong

    /// Up but not live and ready without a break for this long; 0 otherwise.
    int64_t not_ready_for_ms = 0;
    /// Restarts for staying not ready since the pipeline last ran (or its
    /// config changed, or it was stopped).
    uint32_t not_ready_restarts = 0;

    std::string to_json() const;
    static BenthosObserved from_json(std::string_view observed_json);
};

}  // namespace benthos_plugin
