// SPDX-License-Identifier: Apache-2.0
// graphql_config.cpp — checking a `graphql` worker's config.
//
// Every check lives here, in derive_desired_state: `warden --check-config`
// and every reload run it before anything is deployed.
#include "graphql_config.hpp"

#include <warden/kit/config_reader.hpp>
#include <warden/kit/json_value.hpp>

#include <arpa/inet.h>

#include <array>
#include <initializer_list>
#include <set>

namespace graphql_plugin {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxBrokers = 64;
constexpr std::size_t kMaxHostBytes = 253;
constexpr std::size_t kMaxLabelBytes = 63;
constexpr std::size_t kMaxPathBytes = 256;
constexpr uint64_t kMaxEventsPerTopic = 1'000;
constexpr uint64_t kMinKeptBytes = 1ull << 20;
constexpr uint64_t kMaxKeptBytes = 4ull << 30;
constexpr uint64_t kMinStartTimeoutMs = 1'000;
constexpr uint64_t kMaxStartTimeoutMs = 3'600'000;
constexpr uint64_t kMinWindowMs = 5'000;
constexpr uint64_t kMaxWindowMs = 3'600'000;
constexpr uint64_t kMinNotReadyRestartMs = 10'000;
constexpr uint64_t kMaxNotReadyRestartMs = 3'600'000;

// The worker probes the server on 127.0.0.1, so it must listen there too.
constexpr std::array<std::string_view, 3> kListen = {"127.0.0.1", "0.0.0.0", "::"};
// The topic browser's own routes, which GraphQL cannot share.
constexpr std::array<std::string_view, 3> kBrowserRoutes = {"/health", "/ready", "/metrics"};
// What the worker sets in a user's server's environment.
constexpr std::array<std::string_view, 2> kWorkerEnv = {"PORT", "LISTEN_ADDRESS"};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool valid_host_name(std::string_view host) {
    if (host.empty() || host.size() > kMaxHostBytes) return false;
    std::size_t label = 0;
    char previous = '.';
    for (const char c : host) {
        if (c == '.') {
            if (label == 0 || previous == '-') return false;
            label = 0;
        } else {
            const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && !is_digit(c) && c != '-') return false;
            if (c == '-' && label == 0) return false;
            if (++label > kMaxLabelBytes) return false;
        }
        previous = c;
    }
    return previous != '-' && previous != '.';
}

bool valid_port_text(std::string_view text) {
    if (text.empty() || text.size() > 5 || text[0] == '0') return false;
    uint32_t port = 0;
    for (const char c : text) {
        if (!is_digit(c)) return false;
        port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    return port >= 1 && port <= 65535;
}

std::vector<std::string> read_brokers(warden::kit::ConfigReader &config) {
    std::vector<std::string> brokers = *config.string_list("kafka_brokers");
    if (brokers.empty() || brokers.size() > kMaxBrokers)
        config.fail("kafka_brokers", "must list from 1 to " + std::to_string(kMaxBrokers) +
                                         " broker addresses, such as 127.0.0.1:9092");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < brokers.size(); ++i) {
        const std::string key = "kafka_brokers[" + std::to_string(i) + "]";
        const std::string problem = broker_address_problem(brokers[i]);
        if (!problem.empty()) config.fail(key, problem);
        if (!seen.insert(brokers[i]).second)
            config.fail(key, "'" + brokers[i] + "' is listed twice");
    }
    return brokers;
}

std::string read_path(warden::kit::ConfigReader &config, std::string_view key, std::string value,
                      bool may_be_empty) {
    value = config.string(key).value_or(value);
    if (value.empty() && may_be_empty) return value;
    const std::string problem = http_path_problem(value);
    if (!problem.empty())
        config.fail(key, problem + (may_be_empty ? " (or \"\" when the server has none)" : ""));
    return value;
}

// Keys of the other kind of server, named as such rather than as unknown.
void refuse_other(warden::kit::ConfigReader &config, std::initializer_list<std::string_view> keys,
                  const char *only_for) {
    for (const std::string_view key : keys)
        if (config.has(key)) config.fail(key, std::string("is only for ") + only_for);
}

uint32_t read_window(warden::kit::ConfigReader &config, std::string_view key, uint32_t value,
                     uint64_t min_ms) {
    return static_cast<uint32_t>(config.duration_ms(key, min_ms, kMaxWindowMs).value_or(value));
}

}  // namespace

std::string broker_address_problem(std::string_view address) {
    const std::string quoted = "'" + warden::printable(address) + "'";
    const std::size_t colon = address.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return "must be host:port, such as 127.0.0.1:9092, got " + quoted;
    const std::string_view host = address.substr(0, colon);
    if (!valid_port_text(address.substr(colon + 1)))
        return "the port of " + quoted + " must be a whole number from 1 to 65535";
    if (host.front() == '[') {
        in6_addr parsed{};
        const std::string inside(host.substr(1, host.size() - (host.back() == ']' ? 2 : 1)));
        if (host.back() != ']' || inet_pton(AF_INET6, inside.c_str(), &parsed) != 1)
            return "the host of " + quoted + " must be an IPv6 address in brackets, such as [::1]";
        return {};
    }
    if (host.find(':') != std::string_view::npos)
        return "an IPv6 address goes in brackets, such as [::1]:9092, got " + quoted;
    if (!valid_host_name(host))
        return "the host of " + quoted + " must be a host name or an IPv4 address";
    return {};
}

std::string http_path_problem(std::string_view path) {
    if (path.empty() || path[0] != '/')
        return "must be an HTTP path beginning with '/', got '" + warden::printable(path) + "'";
    if (path.size() > kMaxPathBytes)
        return "must be at most " + std::to_string(kMaxPathBytes) + " bytes";
    // RFC 3986's path characters: unreserved, sub-delims, ':', '@', '%', '/'.
    static constexpr std::string_view kMarks = "-._~!$&'()*+,;=:@%/";
    for (const char c : path) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && kMarks.find(c) == std::string_view::npos)
            return "must be a URL path: letters, digits and -._~!$&'()*+,;=:@%/ only (no blanks, "
                   "'?' or '#'), got '" +
                   warden::printable(path) + "'";
    }
    return {};
}

GraphqlConfig GraphqlConfig::from_config(const warden::Identity &identity,
                                         std::string_view config_json, const std::string &script) {
    auto config = warden::kit::ConfigReader::parse(
        config_json, "either `kafka_brokers` (the topic browser) or `command` (your own server)");
    GraphqlConfig c;
    c.service = identity.service_name();
    const bool browser = config.has("kafka_brokers");
    const bool command = config.has("command");
    if (browser == command)
        config.fail(browser ? "command" : "kafka_brokers",
                    browser ? "give either kafka_brokers (the topic browser Warden ships) or "
                              "command (a server of your own), not both"
                            : "required: kafka_brokers (the brokers the topic browser reads), "
                              "or command (a GraphQL server of your own)");
    if (browser) {
        c.server = Server::topic_browser;
        c.kafka_brokers = read_brokers(config);
        c.node = config.absolute_path("node").value_or(c.node);
        c.script = script;
        c.events_per_topic =
            static_cast<uint32_t>(config.whole_number("events_per_topic", 1, kMaxEventsPerTopic)
                                      .value_or(c.events_per_topic));
        c.kept_bytes =
            config
                .whole_number("kept_bytes",
                              warden::kit::WholeNumber(kMinKeptBytes, kMaxKeptBytes).of("bytes"))
                .value_or(c.kept_bytes);
        c.ready_path = "/ready";
        refuse_other(config, {"args", "env", "working_dir"},
                     "a server of your own (`command`), not the topic browser");
        refuse_other(config, {"health_path", "ready_path", "metrics_path"},
                     "a server of your own (`command`): the topic browser serves /health, /ready "
                     "and /metrics");
    } else {
        c.server = Server::command;
        c.command = *config.absolute_path("command");
        c.args = config.string_list("args").value_or(c.args);
        c.env = config.env("env").value_or(c.env);
        for (const std::string_view name : kWorkerEnv)
            if (c.env.count(std::string(name)) != 0)
                config.fail("env." + std::string(name),
                            "is set by the worker (PORT from `port`, LISTEN_ADDRESS from "
                            "`listen`); set those keys instead");
        c.working_dir = config.absolute_path("working_dir").value_or(c.working_dir);
        refuse_other(config, {"node", "events_per_topic", "kept_bytes"},
                     "the topic browser (`kafka_brokers`), not a server of your own");
    }
    c.port = config.port("port").value_or(0);
    c.listen = config.one_of("listen", kListen).value_or(c.listen);
    c.path = read_path(config, "path", c.path, false);
    if (browser)
        for (const std::string_view route : kBrowserRoutes)
            if (c.path == route)
                config.fail("path", std::string(route) +
                                        " is one of the topic browser's own routes (/health, "
                                        "/ready, /metrics); choose another, such as /graphql");
    c.health_path_given = config.has("health_path");
    c.health_path = read_path(config, "health_path", c.health_path, true);
    c.ready_path = read_path(config, "ready_path", c.ready_path, true);
    c.metrics_path = read_path(config, "metrics_path", c.metrics_path, true);
    c.start_timeout_ms = static_cast<uint32_t>(
        config.duration_ms("start_timeout_ms", kMinStartTimeoutMs, kMaxStartTimeoutMs)
            .value_or(c.start_timeout_ms));
    c.activity_window_ms =
        read_window(config, "activity_window_ms", c.activity_window_ms, kMinWindowMs);
    c.error_window_ms = read_window(config, "error_window_ms", c.error_window_ms, kMinWindowMs);
    c.not_ready_restart_ms = static_cast<uint32_t>(
        config
            .whole_number("not_ready_restart_ms",
                          warden::kit::WholeNumber(kMinNotReadyRestartMs, kMaxNotReadyRestartMs)
                              .or_also(0, "0 (never restart)"))
            .value_or(c.not_ready_restart_ms));
    c.run_as = warden::kit::RunAs::read(config);
    config.finish();
    return c;
}

// nlohmann's objects keep their keys sorted, so the same config always gives
// the same bytes, here and in everything rendered from it.
std::string GraphqlConfig::to_json() const {
    json out = {{"service", service},
                {"server", server == Server::command ? "command" : "topic_browser"},
                {"kafka_brokers", kafka_brokers},
                {"node", node},
                {"script", script},
                {"events_per_topic", events_per_topic},
                {"kept_bytes", kept_bytes},
                {"command", command},
                {"args", args},
                {"env", env},
                {"working_dir", working_dir},
                {"port", port},
                {"listen", listen},
                {"path", path},
                {"health_path", health_path},
                {"health_path_given", health_path_given},
                {"ready_path", ready_path},
                {"metrics_path", metrics_path},
                {"start_timeout_ms", start_timeout_ms},
                {"activity_window_ms", activity_window_ms},
                {"error_window_ms", error_window_ms},
                {"not_ready_restart_ms", not_ready_restart_ms}};
    run_as.write(out);
    return out.dump();
}

GraphqlConfig GraphqlConfig::from_json(std::string_view desired_json) {
    using warden::kit::value_or;
    const auto strings = [](const json &document, const char *key) {
        std::vector<std::string> out;
        const auto it = document.find(key);
        if (it != document.end() && it->is_array())
            for (const json &item : *it)
                if (item.is_string()) out.push_back(item.get<std::string>());
        return out;
    };
    const json in = warden::kit::parse_object(desired_json, "desired state");
    GraphqlConfig c;
    c.service = value_or(in, "service", std::string());
    c.server = value_or(in, "server", std::string()) == "command" ? Server::command
                                                                  : Server::topic_browser;
    c.kafka_brokers = strings(in, "kafka_brokers");
    c.node = value_or(in, "node", c.node);
    c.script = value_or(in, "script", c.script);
    c.events_per_topic = value_or(in, "events_per_topic", c.events_per_topic);
    c.kept_bytes = value_or(in, "kept_bytes", c.kept_bytes);
    c.command = value_or(in, "command", c.command);
    c.args = strings(in, "args");
    const auto env = in.find("env");
    if (env != in.end() && env->is_object())
        for (const auto &[name, value] : env->items())
            if (value.is_string()) c.env[name] = value.get<std::string>();
    c.working_dir = value_or(in, "working_dir", c.working_dir);
    c.port = value_or(in, "port", c.port);
    c.listen = value_or(in, "listen", c.listen);
    c.path = value_or(in, "path", c.path);
    c.health_path = value_or(in, "health_path", c.health_path);
    c.health_path_given = value_or(in, "health_path_given", c.health_path_given);
    c.ready_path = value_or(in, "ready_path", c.ready_path);
    c.metrics_path = value_or(in, "metrics_path", c.metrics_path);
    c.start_timeout_ms = value_or(in, "start_timeout_ms", c.start_timeout_ms);
    c.activity_window_ms = value_or(in, "activity_window_ms", c.activity_window_ms);
    c.error_window_ms = value_or(in, "error_window_ms", c.error_window_ms);
    c.not_ready_restart_ms = value_or(in, "not_ready_restart_ms", c.not_ready_restart_ms);
    c.run_as = warden::kit::RunAs::from(in);
    return c;
}

}  // namespace graphql_plugin
