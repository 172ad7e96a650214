// SPDX-License-Identifier: Apache-2.0
// benthos_observed.cpp — the worker's own facts, to JSON and back.
#include "benthos_observed.hpp"

namespace benthos_plugin {

nlohmann::json BenthosFacts::to_json() const {
    return {{"http_port", http_port},
            {"port_error", port_error},
            {"live", live},
            {"metrics_error", metrics_error},
            {"counters", counters.to_json()},
            {"last_minute", last_minute.to_json()},
            {"last_minute_ms", last_minute_ms},
            {"in_window", in_window.to_json()},
            {"window_ms", window_ms}};
}

BenthosFacts BenthosFacts::from_json(const nlohmann::json &extra) {
    BenthosFacts f;
    if (!extra.is_object()) return f;
    using warden::kit::value_or;
    f.http_port = value_or(extra, "http_port", uint32_t{0});
    f.port_error = value_or(extra, "port_error", std::string());
    f.live = value_or(extra, "live", false);
    f.metrics_error = value_or(extra, "metrics_error", std::string());
    const auto counters = [&](const char *key) {
        return warden::kit::Counters::from_json_at(extra, key);
    };
    f.counters = counters("counters");
    f.last_minute = counters("last_minute");
    f.last_minute_ms = value_or(extra, "last_minute_ms", int64_t{0});
    f.in_window = counters("in_window");
    f.window_ms = value_or(extra, "window_ms", int64_t{0});
    return f;
}

}  // namespace benthos_plugin
