// SPDX-License-Identifier: Apache-2.0
// benthos_config.hpp — what a `benthos` worker should run, from its config.
//
// The host hands the worker's `config:` block over as JSON. BenthosConfig
// checks the keys the plugin itself understands (binary, port, log level,
// timings) and keeps the pipeline's own sections (input, pipeline, output,
// buffer, resources) as JSON, untouched: Benthos knows its components far
// better than any copy of their rules could, so `benthos lint` judges those.
// The desired-state document is this struct as JSON; it round-trips unchanged.
#pragma once

#include <warden/kit/run_as.hpp>
#include <warden/plugin.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace benthos_plugin {

/// The longest wait between two restarts of a pipeline that stays not ready.
constexpr int64_t kMaxNotReadyRestartWaitMs = 30 * 60'000;

struct BenthosConfig {
    std::string service;                      ///< the s6 service: "benthos-<name>"
    std::string binary = "/usr/bin/benthos";  ///< benthos or redpanda-connect
    uint32_t http_port = 0;                   ///< 0 = the host reserves one for this worker
    std::string log_level = "INFO";           ///< Benthos logger level, upper case
    uint32_t error_window_ms = 30'000;        ///< errors within this long make it degraded
    /// Up but not live and ready this long: the process is restarted in place,
    /// each further restart after twice the wait before. 0 = never.
    uint32_t not_ready_restart_ms = 60'000;
    /// The pipeline's own sections, as given: input, pipeline, output,
    /// buffer, cache_resources, rate_limit_resources.
    nlohmann::json sections = nlohmann::json::object();
    warden::kit::RunAs run_as;  ///< `user` and `group`; empty = the host's default

    /// Checks a worker's config; throws warden::ConfigError naming the key.
    static BenthosConfig from_config(const warden::Identity &identity,
                                     std::string_view config_json);

    /// The desired-state document, and back.
    std::string to_json() const;
    static BenthosConfig from_json(std::string_view desired_json);
};

}  // namespace benthos_plugin
