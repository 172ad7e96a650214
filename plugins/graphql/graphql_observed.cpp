// SPDX-License-Identifier: Apache-2.0
// graphql_observed.cpp — the worker's own facts, to JSON and back.
#include "graphql_observed.hpp"

#include <warden/kit/json_value.hpp>

namespace graphql_plugin {

nlohmann::json GraphqlFacts::to_json() const {
    return {{"port", port},
            {"port_error", port_error},
            {"live", live},
            {"answers", answers},
            {"metrics_read", metrics_read},
            {"metrics_error", metrics_error},
            {"counters", counters.to_json()},
            {"recent", recent.to_json()},
            {"recent_ms", recent_ms},
            {"in_window", in_window.to_json()},
            {"window_ms", window_ms}};
}

GraphqlFacts GraphqlFacts::from_json(const nlohmann::json &extra) {
    GraphqlFacts f;
    if (!extra.is_object()) return f;
    using warden::kit::value_or;
    f.port = value_or(extra, "port", uint32_t{0});
    f.port_error = value_or(extra, "port_error", std::string());
    f.live = value_or(extra, "live", false);
    f.answers = value_or(extra, "answers", false);
    f.metrics_read = value_or(extra, "metrics_read", false);
    f.metrics_error = value_or(extra, "metrics_error", std::string());
    const auto counters = [&](const char *key) {
        return warden::kit::Counters::from_json_at(extra, key);
    };
    f.counters = counters("counters");
    f.recent = counters("recent");
    f.recent_ms = value_or(extra, "recent_ms", int64_t{0});
    f.in_window = counters("in_window");
    f.window_ms = value_or(extra, "window_ms", int64_t{0});
    return f;
}

}  // namespace graphql_plugin
