// SPDX-License-Identifier: Apache-2.0
// graphql_states.cpp — how a `graphql` worker judges a server that runs:
// the kit's decisions, with the server's requests and error results.
#include "graphql_states.hpp"

#include "graphql_worker.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace graphql_plugin {
namespace {

using warden::Decision;
using View = warden::kit::View<GraphqlWorker>;

int64_t ms_at(const View &v, const char *key) {
    return warden::kit::value_or(v.observed.extra, key, int64_t{0});
}

std::string count_text(double value) {
    return std::to_string(std::isfinite(value) ? std::llround(value) : 0);
}

std::string per_second(double value, int64_t covered_ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f/s",
                  covered_ms <= 0 ? 0.0 : value * 1000.0 / static_cast<double>(covered_ms));
    return text;
}

}  // namespace

Decision Idle::next(const warden::Snapshot &s) const {
    return warden::kit::decide<GraphqlWorker>::running(s);
}

Decision Active::next(const warden::Snapshot &s) const {
    return warden::kit::decide<GraphqlWorker>::running(s);
}

// Error results that grew within the error window, with the server's newest
// error line.
std::string GraphqlWorker::trouble(const View &v) {
    const double errors =
        warden::kit::Counters::from_json_at(v.observed.extra, "in_window").get("errors");
    if (!(errors > 0)) return {};
    const int64_t window_ms = ms_at(v, "window_ms");
    return v.with_log("GraphQL errors growing: " + count_text(errors) +
                      " error results in the last " + warden::kit::seconds_text(window_ms) + " (" +
                      per_second(errors, window_ms) + ")");
}

std::string GraphqlWorker::health_text(const View &v) {
    const std::string metrics_error =
        warden::kit::value_or(v.observed.extra, "metrics_error", std::string());
    if (!warden::kit::value_or(v.observed.extra, "metrics_read", false))
        return "answering { __typename }; " +
               (metrics_error.empty()
                    ? std::string("no metrics endpoint, so requests are not counted")
                    : "requests not counted: " + metrics_error);
    const double requests =
        warden::kit::Counters::from_json_at(v.observed.extra, "recent").get("requests");
    const int64_t covered_ms = ms_at(v, "recent_ms");
    if (!(requests > 0))
        return "answering { __typename }; no requests in the last " +
               warden::kit::seconds_text(covered_ms);
    return "answering { __typename }; " + count_text(requests) + " requests in the last " +
           warden::kit::seconds_text(covered_ms) + " (" + per_second(requests, covered_ms) + ")";
}

// Idle or active by the requests within the activity window.
Decision GraphqlWorker::healthy(const View &v, std::string reason) {
    const bool active =
        warden::kit::Counters::from_json_at(v.observed.extra, "recent").get("requests") > 0;
    const std::string_view target = active ? Active::name : Idle::name;
    if (v.snapshot.state() == target) return warden::stay(std::move(reason));
    return active ? warden::transition<Active>(std::move(reason))
                  : warden::transition<Idle>(std::move(reason));
}

}  // namespace graphql_plugin
