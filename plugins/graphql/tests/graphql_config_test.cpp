// SPDX-License-Identifier: Apache-2.0
// graphql_config_test.cpp — the config checks and the rendered service.
#include "graphql_config.hpp"
#include "graphql_render.hpp"

#include <gtest/gtest.h>

#include <string>

namespace graphql_plugin {
namespace {

constexpr const char *kScript = "/usr/lib/warden/topic-browser/server.mjs";
constexpr const char *kBrowser = R"({"kafka_brokers":["127.0.0.1:9092"],"port":8090})";
constexpr const char *kOwn =
    R"({"command":"/usr/bin/node","args":["/srv/api/server.mjs"],"port":4000,"path":"/graphql"})";

warden_identity identity_of(const char *name) {
    warden_identity id = WARDEN_INIT(warden_identity);
    id.type = warden_str_from_cstr("graphql");
    id.name = warden_str_from_cstr(name);
    return id;
}

GraphqlConfig config_from(const std::string &json) {
    const warden_identity id = identity_of("topics");
    return GraphqlConfig::from_config(warden::Identity(&id), json, kScript);
}

std::string refusal(const std::string &json) {
    try {
        config_from(json);
    } catch (const warden::ConfigError &e) {
        return e.what();
    }
    return "accepted";
}

TEST(GraphqlConfig, the_topic_browser_with_its_defaults) {
    const GraphqlConfig c = config_from(kBrowser);
    EXPECT_EQ(c.service, "graphql-topics");
    EXPECT_EQ(c.server, Server::topic_browser);
    EXPECT_EQ(c.kafka_brokers, std::vector<std::string>{"127.0.0.1:9092"});
    EXPECT_EQ(c.program(), "/usr/bin/node");
    EXPECT_EQ(c.script, kScript);
    EXPECT_EQ(c.port, 8090u);
    EXPECT_EQ(c.listen, "127.0.0.1");
    EXPECT_EQ(c.path, "/graphql");
    EXPECT_EQ(c.health_path, "/health");
    EXPECT_EQ(c.ready_path, "/ready");
    EXPECT_EQ(c.metrics_path, "/metrics");
    EXPECT_EQ(c.events_per_topic, 10u);
    EXPECT_EQ(c.kept_bytes, 64u << 20);
    EXPECT_EQ(c.not_ready_restart_ms, 0u);
    EXPECT_EQ(GraphqlConfig::from_json(c.to_json()).to_json(), c.to_json());
}

TEST(GraphqlConfig, either_server_takes_a_user_and_group_by_name) {
    for (const std::string base : {kBrowser, kOwn}) {
        const std::string with = base.substr(0, base.size() - 1) + R"(,"user":"www-data"})";
        const GraphqlConfig c = config_from(with);
        EXPECT_EQ(c.run_as.user, "www-data") << base;
        EXPECT_EQ(service_spec(c, 8090).user, "www-data") << base;
        EXPECT_EQ(GraphqlConfig::from_json(c.to_json()).run_as.user, "www-data");
    }
    EXPECT_EQ(config_from(kBrowser).to_json().find("\"user\""), std::string::npos);
    EXPECT_EQ(refusal(R"({"kafka_brokers":["127.0.0.1:9092"],"user":"a b"})"),
              "user: 'a b' is not a user name: 1 to 32 of the characters A-Z a-z 0-9 . _ -, not "
              "beginning with '-'; a name, not a numeric id");
}

TEST(GraphqlConfig, a_server_of_the_user_s_own_has_no_readiness_endpoint_unless_named) {
    const GraphqlConfig c = config_from(kOwn);
    EXPECT_EQ(c.server, Server::command);
    EXPECT_EQ(c.program(), "/usr/bin/node");
    EXPECT_EQ(c.args, std::vector<std::string>{"/srv/api/server.mjs"});
    EXPECT_EQ(c.ready_path, "");
    EXPECT_EQ(c.health_path, "/health");
    const GraphqlConfig round = GraphqlConfig::from_json(c.to_json());
    EXPECT_EQ(round.to_json(), c.to_json());
    EXPECT_EQ(round.args, c.args);

    const GraphqlConfig named = config_from(
        R"({"command":"/srv/api","ready_path":"/ready","health_path":"","metrics_path":"",)"
        R"("env":{"API_MODE":"x"},"working_dir":"/srv"})");
    EXPECT_EQ(named.ready_path, "/ready");
    EXPECT_EQ(named.health_path, "");
    EXPECT_TRUE(named.health_path_given);
    EXPECT_FALSE(c.health_path_given);
    EXPECT_EQ(named.metrics_path, "");
    EXPECT_EQ(GraphqlConfig::from_json(named.to_json()).env.at("API_MODE"), "x");
}

TEST(GraphqlConfig, refuses_with_a_message_naming_the_key) {
    EXPECT_EQ(refusal("{}"),
              "kafka_brokers: required: kafka_brokers (the brokers the topic browser reads), or "
              "command (a GraphQL server of your own)");
    EXPECT_EQ(refusal(R"({"kafka_brokers":["a:1"],"command":"/x"})"),
              "command: give either kafka_brokers (the topic browser Warden ships) or command (a "
              "server of your own), not both");
    EXPECT_EQ(refusal(R"({"kafka_brokers":[]})"),
              "kafka_brokers: must list from 1 to 64 broker addresses, such as 127.0.0.1:9092");
    EXPECT_EQ(refusal(R"({"kafka_brokers":["a:1","a:1"]})"),
              "kafka_brokers[1]: 'a:1' is listed twice");
    EXPECT_EQ(refusal(R"({"kafka_brokers":["a:1"],"args":["x"]})"),
              "args: is only for a server of your own (`command`), not the topic browser");
    EXPECT_EQ(refusal(R"({"command":"/x","events_per_topic":3})"),
              "events_per_topic: is only for the topic browser (`kafka_brokers`), not a server of "
              "your own");
    EXPECT_EQ(refusal(R"({"command":"x"})"), "command: must be an absolute path, got 'x'");
    EXPECT_EQ(refusal(R"({"command":"/x","env":{"PORT":"1"}})"),
              "env.PORT: is set by the worker (PORT from `port`, LISTEN_ADDRESS from `listen`); "
              "set those keys instead");
    EXPECT_EQ(refusal(R"({"command":"/x","listen":"10.0.0.1"})"),
              "listen: '10.0.0.1' is not one of 127.0.0.1, 0.0.0.0, ::");
    EXPECT_EQ(refusal(R"({"command":"/x","path":"graphql"})"),
              "path: must be an HTTP path beginning with '/', got 'graphql'");
    EXPECT_EQ(refusal(R"({"command":"/x","health_path":"/h?x=1"})"),
              "health_path: must be a URL path: letters, digits and -._~!$&'()*+,;=:@%/ only (no "
              "blanks, '?' or '#'), got '/h?x=1' (or \"\" when the server has none)");
    EXPECT_NE(refusal(R"({"command":"/x","path":"/api/{v1}"})").find("must be a URL path"),
              std::string::npos);
    EXPECT_EQ(refusal(R"({"kafka_brokers":["a:1"],"path":"/metrics"})"),
              "path: /metrics is one of the topic browser's own routes (/health, /ready, "
              "/metrics); choose another, such as /graphql");
    EXPECT_EQ(refusal(R"({"kafka_brokers":["a:1"],"health_path":"/healthz"})"),
              "health_path: is only for a server of your own (`command`): the topic browser "
              "serves /health, /ready and /metrics");
    EXPECT_EQ(refusal(R"({"command":"/x","port":0})"),
              "port: must be a port, a whole number from 1 to 65535");
    EXPECT_EQ(refusal(R"({"command":"/x","prot":1})").rfind("unknown key 'prot'", 0), 0u);
}

TEST(GraphqlConfig, broker_addresses_are_host_and_port) {
    for (const char *good : {"127.0.0.1:9092", "localhost:9092", "broker-1.example.com:19092",
                             "[::1]:9092", "[fe80::1]:1", "a:65535"})
        EXPECT_EQ(broker_address_problem(good), "") << good;
    EXPECT_EQ(broker_address_problem("127.0.0.1"),
              "must be host:port, such as 127.0.0.1:9092, got '127.0.0.1'");
    EXPECT_EQ(broker_address_problem(":9092"),
              "must be host:port, such as 127.0.0.1:9092, got ':9092'");
    EXPECT_EQ(broker_address_problem("a:0"),
              "the port of 'a:0' must be a whole number from 1 to 65535");
    EXPECT_EQ(broker_address_problem("a:65536"),
              "the port of 'a:65536' must be a whole number from 1 to 65535");
    EXPECT_EQ(broker_address_problem("a:09092"),
              "the port of 'a:09092' must be a whole number from 1 to 65535");
    EXPECT_EQ(broker_address_problem("::1:9092"),
              "an IPv6 address goes in brackets, such as [::1]:9092, got '::1:9092'");
    EXPECT_EQ(broker_address_problem("[::g]:9092"),
              "the host of '[::g]:9092' must be an IPv6 address in brackets, such as [::1]");
    for (const char *bad : {"-a:1", "a-:1", "a..b:1", "a b:1", "a_b:1", "a.:1", "\x01:1"})
        EXPECT_NE(broker_address_problem(bad).find("must be a host name or an IPv4 address"),
                  std::string::npos)
            << bad;
    EXPECT_NE(broker_address_problem(std::string(254, 'a') + ":1"), "");
    EXPECT_EQ(broker_address_problem("\x01:1"),
              "the host of '\\x01:1' must be a host name or an IPv4 address");
}

TEST(GraphqlRender, the_topic_browser_runs_under_node_with_its_environment) {
    GraphqlConfig c =
        config_from(R"({"kafka_brokers":["127.0.0.1:9092","[::1]:9093"],"listen":"0.0.0.0",)"
                    R"("events_per_topic":5,"kept_bytes":2097152})");
    const warden::ServiceSpec spec = service_spec(c, 24001);
    EXPECT_EQ(spec.name, "graphql-topics");
    EXPECT_EQ(spec.argv, (std::vector<std::string>{"/usr/bin/node", kScript}));
    EXPECT_EQ(spec.env,
              (std::vector<std::string>{"PORT=24001", "LISTEN_ADDRESS=0.0.0.0",
                                        "KAFKA_BROKERS=127.0.0.1:9092,[::1]:9093",
                                        "GRAPHQL_PATH=/graphql", "TOPIC_BROWSER_EVENTS_PER_TOPIC=5",
                                        "TOPIC_BROWSER_MAX_BYTES=2097152", "NODE_ENV=production"}));
    EXPECT_EQ(spec.working_dir, "");
}

TEST(GraphqlRender, a_server_of_the_user_s_own_gets_port_and_listen_address) {
    const GraphqlConfig c = config_from(
        R"({"command":"/srv/api","args":["--x"],"env":{"A":"1"},"working_dir":"/srv"})");
    const warden::ServiceSpec spec = service_spec(c, 4000);
    EXPECT_EQ(spec.argv, (std::vector<std::string>{"/srv/api", "--x"}));
    EXPECT_EQ(spec.env, (std::vector<std::string>{"A=1", "PORT=4000", "LISTEN_ADDRESS=127.0.0.1"}));
    EXPECT_EQ(spec.working_dir, "/srv");
}

}  // namespace
}  // namespace graphql_plugin
