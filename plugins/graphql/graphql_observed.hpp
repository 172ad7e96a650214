// SPDX-License-Identifier: Apache-2.0
// graphql_observed.hpp — what a `graphql` worker observes beyond the kit.
//
// The kit's Observed holds the service and readiness; a `graphql` worker
// adds, under its `extra` key, what only it knows: its port, what the health
// endpoint, the readiness endpoint and `{ __typename }` answered, and how
// the server's request and error counters grew recently. Facts only; the
// states judge.
#pragma once

#include <warden/kit/prometheus.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace graphql_plugin {

struct GraphqlFacts {
    uint32_t port = 0;                ///< the worker's port; 0 = none reserved
    std::string port_error;           ///< why no port could be reserved
    bool live = false;                ///< the health endpoint answered 200 (or there is none)
    bool answers = false;             ///< `{ __typename }` was answered as it should be
    bool metrics_read = false;        ///< the metrics endpoint was read
    std::string metrics_error;        ///< why not ("" when read, or when there is none)
    warden::kit::Counters counters;   ///< "requests", "errors" since the process started
    warden::kit::Counters recent;     ///< their growth over the activity window
    int64_t recent_ms = 0;            ///< how much of that window it covers
    warden::kit::Counters in_window;  ///< their growth over the error window
    int64_t window_ms = 0;            ///< how much of that window it covers

    nlohmann::json to_json() const;
    static GraphqlFacts from_json(const nlohmann::json &extra);
};

}  // namespace graphql_plugin
