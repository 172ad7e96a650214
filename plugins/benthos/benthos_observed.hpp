// SPDX-License-Identifier: Apache-2.0
// benthos_observed.hpp — what a `benthos` worker observes beyond the kit.
//
// The kit's Observed holds the service, the deploy, the lint verdict and
// readiness; a `benthos` worker adds, under its `extra` key, what only it
// knows: its HTTP port, whether /ping answered, and how Benthos's counters
// grew recently (read from /metrics). Facts only; the states judge.
#pragma once

#include <warden/kit/json_value.hpp>
#include <warden/kit/prometheus.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace benthos_plugin {

/// The Benthos counters the worker reads, each summed over all its series (a
/// pipeline may have several processors or a broker of outputs).
inline constexpr std::array<std::string_view, 10> kCounterNames = {
    "input_received",          "output_sent",          "output_error",
    "processor_error",         "input_connection_up",  "input_connection_lost",
    "input_connection_failed", "output_connection_up", "output_connection_lost",
    "output_connection_failed"};

struct BenthosFacts {
    uint32_t http_port = 0;             ///< the worker's port; 0 = none reserved
    std::string port_error;             ///< why no port could be reserved
    bool live = false;                  ///< /ping answered 200
    std::string metrics_error;          ///< why /metrics could not be read; "" = read
    warden::kit::Counters counters;     ///< totals since the process started
    warden::kit::Counters last_minute;  ///< growth over the last minute
    int64_t last_minute_ms = 0;         ///< how much of the minute that covers
    warden::kit::Counters in_window;    ///< growth over the error window
    int64_t window_ms = 0;              ///< how much of the window that covers

    nlohmann::json to_json() const;
    static BenthosFacts from_json(const nlohmann::json &extra);
};

}  // namespace benthos_plugin
