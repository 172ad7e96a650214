// SPDX-License-Identifier: Apache-2.0
// graphql_config.hpp — what a `graphql` worker should run, from its config.
//
// A `graphql` worker runs one of two servers:
//
//   * the topic browser Warden ships (plugins/graphql/server/), when the
//     config names `kafka_brokers`: node runs its server.mjs with the
//     brokers, the port and the listen address in its environment;
//   * a GraphQL server the user brings, when the config names `command`:
//     that program runs with its `args` and `env`, and PORT set.
//
// The host hands the worker's `config:` block over as JSON. GraphqlConfig
// checks every key (a typo is an error naming the key, never a default) so
// that `warden --check-config` and a reload refuse a mistake before anything
// is deployed. The desired-state document is this struct as JSON; it
// round-trips unchanged.
#pragma once

#include <warden/kit/run_as.hpp>
#include <warden/plugin.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace graphql_plugin {

/// Which server a worker runs.
enum class Server { topic_browser, command };

struct GraphqlConfig {
    std::string service;  ///< the s6 service: "graphql-<name>"
    Server server = Server::topic_browser;

    // The topic browser.
    std::vector<std::string> kafka_brokers;  ///< "host:port", as given
    std::string node = "/usr/bin/node";      ///< the Node.js that runs it
    std::string script;                      ///< its server.mjs (where the plugin finds it)
    uint32_t events_per_topic = 10;          ///< newest events kept per topic
    uint64_t kept_bytes = 64ull << 20;       ///< bound on all kept events' bytes

    // A server the user brings.
    std::string command;  ///< absolute path of the program
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string working_dir;  ///< "" = the service directory

    // Both.
    uint32_t port = 0;                      ///< 0 = the host reserves one
    std::string listen = "127.0.0.1";       ///< 127.0.0.1, 0.0.0.0 or ::
    std::string path = "/graphql";          ///< where GraphQL is served
    std::string health_path = "/health";    ///< "" = the server has none
    bool health_path_given = false;         ///< named in the config (else a 404 means none)
    std::string ready_path;                 ///< "" = none; the topic browser's is /ready
    std::string metrics_path = "/metrics";  ///< "" = none
    uint32_t start_timeout_ms = 30'000;     ///< not ready this long after start: degraded
    uint32_t activity_window_ms = 60'000;   ///< requests within this long: active
    uint32_t error_window_ms = 60'000;      ///< error results within this long: degraded
    uint32_t not_ready_restart_ms = 0;      ///< 0 = never restart for not being ready
    warden::kit::RunAs run_as;              ///< `user` and `group`; empty = the host's default

    /// Checks a worker's config; throws warden::ConfigError naming the key.
    /// `script` is where the topic browser's server.mjs is installed.
    static GraphqlConfig from_config(const warden::Identity &identity, std::string_view config_json,
                                     const std::string &script);

    /// The desired-state document, and back.
    std::string to_json() const;
    static GraphqlConfig from_json(std::string_view desired_json);

    /// The program the service runs: node for the topic browser, else `command`.
    const std::string &program() const { return server == Server::command ? command : node; }
};

/// Why `address` is not a Kafka broker address ("host:port", "[v6]:port"),
/// or "" when it is one.
std::string broker_address_problem(std::string_view address);

/// Why `path` is not an HTTP path the worker can ask for, or "" when it is.
std::string http_path_problem(std::string_view path);

}  // namespace graphql_plugin
