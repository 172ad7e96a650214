// SPDX-License-Identifier: Apache-2.0
// graphql_probe_test.cpp — reading the server's answers, metrics and log.
#include "graphql_probe.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace graphql_plugin {
namespace {

TEST(GraphqlProbe, asks_typename_as_a_named_operation) {
    const nlohmann::json body = nlohmann::json::parse(probe_body());
    EXPECT_EQ(body["query"], "query warden_probe { __typename }");
    EXPECT_EQ(body["operationName"], "warden_probe");
}

TEST(GraphqlProbe, a_working_server_answers_its_root_type) {
    EXPECT_EQ(typename_problem(200, R"({"data":{"__typename":"Query"}})"), "");
    EXPECT_EQ(typename_problem(200, R"({"data":{"__typename":"RootQuery"}})"), "");
    EXPECT_EQ(typename_problem(404, "Not Found"), "{ __typename } answered HTTP 404: 'Not Found'");
    EXPECT_EQ(typename_problem(500, ""), "{ __typename } answered HTTP 500");
    EXPECT_EQ(typename_problem(200, "<html>"),
              "{ __typename } answered '<html>', which is not a GraphQL response");
    EXPECT_EQ(typename_problem(200, R"({"errors":[{"message":"Cannot query field"}]})"),
              "{ __typename } answered errors: Cannot query field");
    EXPECT_EQ(typename_problem(200, R"({"errors":["x"]})"),
              R"({ __typename } answered errors: '{"errors":["x"]}')");
    EXPECT_EQ(typename_problem(200, R"({"data":null})"),
              R"({ __typename } answered '{"data":null}' without data)");
    EXPECT_EQ(
        typename_problem(200, R"({"data":{"__typename":""}})"),
        R"({ __typename } answered '{"data":{"__typename":""}}', expected {"data":{"__typename":"Query"}})");
    EXPECT_EQ(typename_problem(200, std::string("{\"x\":\"\x01\"}")).find('\x01'),
              std::string::npos);
}

TEST(GraphqlProbe, counts_requests_and_server_error_results_but_not_probes_or_client_mistakes) {
    const std::string text =
        "# HELP graphql_envelop_request Counts the amount of GraphQL requests executed\n"
        "# TYPE graphql_envelop_request counter\n"
        "graphql_envelop_request{operationName=\"warden_probe\",operationType=\"query\"} 40\n"
        "graphql_envelop_request{operationName=\"Anonymous\",operationType=\"query\"} 3\n"
        "graphql_envelop_request{operationName=\"Topics\",operationType=\"query\"} 4\n"
        "# TYPE graphql_envelop_error_result counter\n"
        "graphql_envelop_error_result{operationName=\"Anonymous\",operationType=\"query\","
        "phase=\"validate\"} 5\n"
        "graphql_envelop_error_result{operationName=\"Anonymous\",operationType=\"unknown\","
        "phase=\"parse\"} 6\n"
        "graphql_envelop_error_result{operationName=\"Topics\",operationType=\"query\","
        "phase=\"execute\"} 2\n"
        "graphql_envelop_error_result{operationName=\"warden_probe\",operationType=\"query\","
        "phase=\"execute\"} 9\n"
        "# TYPE graphql_envelop_request_duration histogram\n"
        "graphql_envelop_request_duration_count{operationName=\"Topics\"} 4\n";
    const ServerMetrics m = read_server_metrics(text);
    EXPECT_TRUE(m.has_requests);
    EXPECT_EQ(m.counters.get("requests"), 7);
    EXPECT_EQ(m.counters.get("errors"), 2);
    EXPECT_EQ(m.problem, "");

    const ServerMetrics none = read_server_metrics("process_cpu_seconds_total 1\nbad line {\n");
    EXPECT_FALSE(none.has_requests);
    EXPECT_EQ(none.counters.get("requests"), 0);
    EXPECT_NE(none.problem, "");
}

TEST(GraphqlLog, finds_node_s_error_line_above_its_stack) {
    const std::vector<std::string> lines = {
        "2026-11-28T01:00:00.000000001 topic browser starting: node v20.20.2",
        "2026-11-28T01:00:00.100000000 node:events:497",
        "2026-11-28T01:00:00.100000001       throw er; // Unhandled 'error' event",
        "2026-11-28T01:00:00.100000002 Error: listen EADDRINUSE: address already in use "
        "127.0.0.1:8090",
        "2026-11-28T01:00:00.100000003     at Server.setupListenHandle [as _listen2] "
        "(node:net:1817:16)",
        "2026-11-28T01:00:00.100000004   code: 'EADDRINUSE',",
        "2026-11-28T01:00:00.100000005 Node.js v20.20.2"};
    const std::string line = newest_error_line(lines);
    EXPECT_EQ(line, "Error: listen EADDRINUSE: address already in use 127.0.0.1:8090");
    EXPECT_EQ(error_reason(line, 8090),
              "port 8090 is taken by another program (EADDRINUSE): Error: listen EADDRINUSE: "
              "address already in use 127.0.0.1:8090");
    EXPECT_EQ(error_reason("Error: boom", 8090), "Error: boom");
}

TEST(GraphqlLog, reads_nothing_from_before_the_current_process_s_mark) {
    const std::vector<std::string> lines = {"2026-11-28 01:00:00.000000001  Error: last week",
                                            "2026-11-28 01:00:01.000000001  listening",
                                            "2026-11-28 01:00:02.000000001  request served"};
    EXPECT_EQ(newest_error_line(lines, lines[1]), "");
    EXPECT_EQ(newest_error_line(lines, "a line no longer read"), "Error: last week");
    EXPECT_EQ(newest_error_line(lines), "Error: last week");
}

TEST(GraphqlLog, takes_off_the_timestamps_s6_log_writes) {
    EXPECT_EQ(newest_error_line({"2026-11-28 01:07:21.353910466  topic browser starting: x",
                                 "2026-11-28 01:07:21.362987596  Error: listen EADDRINUSE: "
                                 "address already in use 127.0.0.1:38889"}),
              "Error: listen EADDRINUSE: address already in use 127.0.0.1:38889");
    EXPECT_EQ(newest_error_line({"@400000006748c1a3123456789 Error: tai64n"}), "Error: tai64n");
    EXPECT_EQ(newest_error_line({"2026-11-28 01:07:21.353910466  Error: old",
                                 "2026-11-28 01:07:22.353910466  topic browser starting: x"}),
              "");
}

TEST(GraphqlLog, reads_error_names_and_words_but_not_before_the_browser_s_start) {
    EXPECT_EQ(newest_error_line({"TypeError: x is not a function", "    at f (a.js:1:1)"}),
              "TypeError: x is not a function");
    EXPECT_EQ(newest_error_line({"Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'graphql'"}),
              "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'graphql'");
    EXPECT_EQ(newest_error_line({"Uncaught RangeError: too deep"}),
              "Uncaught RangeError: too deep");
    EXPECT_EQ(newest_error_line({"ERROR could not bind", "info: retrying"}),
              "ERROR could not bind");
    EXPECT_EQ(newest_error_line({"[error] bad schema"}), "[error] bad schema");
    EXPECT_EQ(newest_error_line({"fatal: no config"}), "fatal: no config");
    EXPECT_EQ(newest_error_line(
                  {"errors: 0", "Errorless start", "the Error: is not first", "MyError is fine"}),
              "");
    EXPECT_EQ(newest_error_line({"Error: old", "topic browser starting: node v20", "kafka: up"}),
              "");
    EXPECT_EQ(newest_error_line({}), "");
    EXPECT_EQ(newest_error_line({std::string("Error: \x1b[31mred"), "x"}), "Error: \\x1b[31mred");
}

}  // namespace
}  // namespace graphql_plugin
