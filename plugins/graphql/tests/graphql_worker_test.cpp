// SPDX-License-Identifier: Apache-2.0
// graphql_worker_test.cpp — the `graphql` worker through the SDK's fake
// host: the server's endpoints as HTTP routes, s6 in memory.
// FakeWorker::step() is one supervisor tick.
#include "graphql_probe.hpp"

#include <warden/plugin.h>
#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using warden::HttpRequest;
using warden::HttpResponse;
using warden::testing::FakeHost;
using warden::testing::FakeWorker;

constexpr int64_t kSecond = 1'000'000'000;
constexpr uint32_t kPort = 8090;
constexpr const char *kService = "graphql-topics";
constexpr const char *kBrowser =
    R"({"kafka_brokers":["127.0.0.1:9092"],"port":8090,"activity_window_ms":10000,)"
    R"("error_window_ms":10000,"start_timeout_ms":5000})";
constexpr const char *kUnreachable =
    "kafka brokers unreachable: 127.0.0.1:9092 (connect ECONNREFUSED 127.0.0.1:9092)";

std::string metrics(int requests, int errors, int probes) {
    return "# TYPE graphql_envelop_request counter\n"
           "graphql_envelop_request{operationName=\"warden_probe\",operationType=\"query\"} " +
           std::to_string(probes) +
           "\ngraphql_envelop_request{operationName=\"Topics\",operationType=\"query\"} " +
           std::to_string(requests) +
           "\n# TYPE graphql_envelop_error_result counter\n"
           "graphql_envelop_error_result{operationName=\"Topics\",operationType=\"query\","
           "phase=\"execute\"} " +
           std::to_string(errors) + "\n";
}

class GraphqlWorkerTest : public ::testing::Test {
protected:
    void SetUp() override {
        type_ = host_.worker_type("graphql");
        serve(200, "ready");
        host_.on_http(kPort, "/graphql", [this](const HttpRequest &r) {
            asked_ = r;
            return answer_;
        });
        serve_metrics(0, 0);
    }

    void serve(int ready_code, const std::string &ready_body) {
        host_.serve_http(kPort, "/health", HttpResponse{200, "ok"});
        host_.serve_http(kPort, "/ready", HttpResponse{ready_code, ready_body});
    }
    // The worker's own probes grow the probe series, which must not count.
    void serve_metrics(int requests, int errors) {
        host_.serve_http(kPort, "/metrics",
                         HttpResponse{200, metrics(requests, errors, ++probes_)});
    }

    void settle(FakeWorker &worker, const std::string &state, int max_steps = 30) {
        if (!worker.settle(state, max_steps, kSecond))
            FAIL() << "worker did not settle in " << state << "; it is in " << worker.state()
                   << ": " << worker.step().reason;
    }

    std::string reason(FakeWorker &worker) { return worker.step().reason; }

    FakeHost host_;
    const warden_plugin *plugin_ = host_.load(&warden_plugin_entry);
    const warden_worker_type *type_ = nullptr;
    HttpResponse answer_{200, R"({"data":{"__typename":"Query"}})"};
    HttpRequest asked_;
    int probes_ = 0;
};

TEST_F(GraphqlWorkerTest, describes_itself) {
    EXPECT_EQ(warden::view(plugin_->name), "graphql");
    EXPECT_EQ(plugin_->min_host_minor, 2u);
    EXPECT_EQ(warden::view(type_->initial_state), "stopped");
    EXPECT_EQ(type_->state_count, 6u);
    EXPECT_NE(type_->check_config, nullptr);
}

TEST_F(GraphqlWorkerTest, deploys_asks_typename_then_runs_idle_active_and_idle_again) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    ASSERT_TRUE(host_.has_service(kService));
    const auto spec = host_.service(kService).spec;
    ASSERT_EQ(spec.argv.size(), 2u);
    EXPECT_EQ(spec.argv[1].substr(spec.argv[1].size() - 25), "/topic-browser/server.mjs");
    EXPECT_EQ(spec.env[0], "PORT=8090");
    EXPECT_EQ(asked_.method, "POST");
    EXPECT_EQ(asked_.content_type, "application/json");
    EXPECT_EQ(asked_.body, graphql_plugin::probe_body());
    EXPECT_EQ(reason(worker).rfind("answering { __typename }; no requests in the last ", 0), 0u);

    // Probes alone (the probe series grows every step) never make it active.
    for (int i = 0; i < 5; ++i) {
        serve_metrics(0, 0);
        worker.step();
        host_.advance(kSecond);
    }
    EXPECT_EQ(worker.state(), "idle");

    serve_metrics(6, 0);
    settle(worker, "active");
    EXPECT_NE(reason(worker).find("6 requests in the last "), std::string::npos) << reason(worker);
    settle(worker, "idle", 20);
}

// ---- the figures it publishes (ABI 1.5) -------------------------------------------

TEST_F(GraphqlWorkerTest, publishes_its_servers_request_and_error_result_totals) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    serve_metrics(40, 3);
    worker.step();
    const auto requests = host_.figure("graphql", "topics", "requests_total");
    ASSERT_TRUE(requests.has_value());
    EXPECT_EQ(requests->value, 40) << "the worker's own probes left out";
    EXPECT_EQ(requests->kind, warden::FigureKind::counter);
    const auto errors = host_.figure("graphql", "topics", "error_results_total");
    ASSERT_TRUE(errors.has_value());
    EXPECT_EQ(errors->value, 3);
    EXPECT_EQ(host_.figures().size(), 2u);

    // A failed scrape changes nothing.
    host_.serve_http(kPort, "/metrics", HttpResponse{500, ""});
    worker.step();
    EXPECT_EQ(host_.figure("graphql", "topics", "requests_total")->value, 40);
    EXPECT_FALSE(host_.logged("figure", warden::Level::warn));
}

TEST_F(GraphqlWorkerTest, publishes_nothing_for_a_server_without_a_metrics_endpoint) {
    FakeWorker api(host_, type_, "api",
                   R"({"command":"/srv/api","args":["--serve"],"port":8090,)"
                   R"("health_path":"","metrics_path":""})");
    settle(api, "idle");
    EXPECT_TRUE(host_.figures().empty());
}

TEST_F(GraphqlWorkerTest, publishes_nothing_to_a_host_older_than_1_5_and_says_nothing) {
    host_.speak_abi_minor(4);
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    serve_metrics(6, 0);
    settle(worker, "active");
    EXPECT_TRUE(host_.figures().empty());
    EXPECT_FALSE(host_.logged("figure", warden::Level::warn));
}

TEST_F(GraphqlWorkerTest, not_ready_is_degraded_with_the_server_s_own_words_then_idle) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    serve(503, std::string(kUnreachable) + "\n");
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker), std::string("not ready: ") + kUnreachable);
    serve(200, "ready");
    settle(worker, "idle");
}

TEST_F(GraphqlWorkerTest, a_wrong_answer_to_typename_is_not_ready) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    answer_ = HttpResponse{200, R"({"errors":[{"message":"Cannot query field"}]})"};
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker), "not ready: { __typename } answered errors: Cannot query field");
    answer_ = HttpResponse{200, R"({"data":{"__typename":"Query"}})"};
    settle(worker, "idle");
}

TEST_F(GraphqlWorkerTest, health_is_asked_when_it_is_not_ready_and_a_failing_one_is_named) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    host_.serve_http(kPort, "/health", HttpResponse{500, ""});
    worker.step();
    EXPECT_EQ(worker.state(), "idle") << "ready answers for live";
    serve(503, "connecting to kafka brokers 127.0.0.1:9092");
    host_.serve_http(kPort, "/health", HttpResponse{500, ""});
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker), "not ready: health endpoint /health answered HTTP 500");
    host_.serve_http(kPort, "/health", HttpResponse{200, "ok"});
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker), "not ready: connecting to kafka brokers 127.0.0.1:9092");
}

TEST_F(GraphqlWorkerTest, a_server_of_the_user_s_own_with_a_failing_health_endpoint) {
    FakeWorker worker(host_, type_, "api", R"({"command":"/srv/api","port":8090})");
    settle(worker, "idle");
    host_.serve_http(kPort, "/health", HttpResponse{503, ""});
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker), "not ready: health endpoint /health answered HTTP 503");
}

TEST_F(GraphqlWorkerTest, a_taken_port_is_named_when_the_server_dies_of_it) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    host_.set_log(kService, {"topic browser starting: node v20.20.2, 127.0.0.1:8090",
                             "Error: listen EADDRINUSE: address already in use 127.0.0.1:8090",
                             "    at Server.setupListenHandle [as _listen2] (node:net:1817:16)",
                             "Node.js v20.20.2"});
    host_.crash_service(kService, 1);
    host_.stop_http(kPort);
    settle(worker, "degraded");
    const std::string why = reason(worker);
    EXPECT_EQ(why.rfind("server exited with code 1; ", 0), 0u) << why;
    EXPECT_NE(why.find(": port 8090 is taken by another program (EADDRINUSE): Error: listen "
                       "EADDRINUSE: address already in use 127.0.0.1:8090"),
              std::string::npos)
        << why;
}

TEST_F(GraphqlWorkerTest, error_results_growing_degrade_it_until_the_window_is_clean) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    host_.set_log(kService, {"error: resolver failed"});
    serve_metrics(3, 3);
    settle(worker, "degraded");
    const std::string why = reason(worker);
    EXPECT_EQ(why.rfind("GraphQL errors growing: 3 error results in the last ", 0), 0u) << why;
    EXPECT_NE(why.find(": error: resolver failed"), std::string::npos) << why;
    settle(worker, "idle", 30);
}

TEST_F(GraphqlWorkerTest, a_failed_scrape_forgets_nothing_three_in_a_row_forget_the_window) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    serve_metrics(6, 0);
    settle(worker, "active");
    host_.serve_http(kPort, "/metrics", HttpResponse{500, ""});
    worker.step();
    host_.advance(kSecond);
    EXPECT_EQ(worker.state(), "active") << "one failed scrape";
    EXPECT_NE(reason(worker).find("requests not counted: /metrics answered HTTP 500"),
              std::string::npos);
    settle(worker, "idle", 5);
}

TEST_F(GraphqlWorkerTest, error_lines_of_an_earlier_process_are_not_quoted) {
    FakeWorker worker(host_, type_, "api", R"({"command":"/srv/api","port":8090})");
    host_.set_log("graphql-api", {"Error: listen EADDRINUSE: address already in use 127.0.0.1:8090",
                                  "listening on 8090"});
    settle(worker, "idle");
    host_.append_log("graphql-api", "served a request");
    serve_metrics(3, 3);
    settle(worker, "degraded");
    EXPECT_EQ(reason(worker).find("EADDRINUSE"), std::string::npos) << reason(worker);
    host_.append_log("graphql-api", "error: the database is gone");
    serve_metrics(6, 6);
    worker.step();
    EXPECT_NE(reason(worker).find(": error: the database is gone"), std::string::npos)
        << reason(worker);
}

TEST_F(GraphqlWorkerTest, a_process_that_died_is_quoted_even_from_before_it_was_first_seen_up) {
    FakeWorker worker(host_, type_, "api", R"({"command":"/srv/api","port":8090})");
    settle(worker, "idle");
    // Its words came before the worker's first look at it, then it died.
    host_.crash_service("graphql-api", 1);
    host_.revive_service("graphql-api");
    host_.set_log("graphql-api", {"Error: Cannot find module 'graphql'"});
    worker.step();
    host_.crash_service("graphql-api", 1);
    host_.stop_http(kPort);
    settle(worker, "degraded");
    EXPECT_NE(reason(worker).find(": Error: Cannot find module 'graphql'"), std::string::npos)
        << reason(worker);
}

TEST_F(GraphqlWorkerTest, a_404_from_a_health_path_nobody_named_means_there_is_none) {
    host_.serve_http(kPort, "/health", HttpResponse{404, "Not Found"});
    FakeWorker worker(host_, type_, "api", R"({"command":"/srv/api","port":8090})");
    settle(worker, "idle");
    FakeWorker named(host_, type_, "api2",
                     R"({"command":"/srv/api","port":8091,"health_path":"/health"})");
    host_.serve_http(8091, "/health", HttpResponse{404, "Not Found"});
    host_.serve_http(8091, "/graphql", HttpResponse{200, R"({"data":{"__typename":"Query"}})"});
    settle(named, "degraded", 40);
    EXPECT_EQ(reason(named), "not ready: health endpoint /health answered HTTP 404");
}

TEST_F(GraphqlWorkerTest, without_metrics_it_is_idle_and_says_requests_are_not_counted) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    host_.serve_http(kPort, "/metrics", HttpResponse{404, "Not Found"});
    settle(worker, "idle");
    EXPECT_EQ(reason(worker),
              "answering { __typename }; requests not counted: /metrics answered HTTP 404");
}

TEST_F(GraphqlWorkerTest, a_server_of_the_user_s_own_without_health_or_metrics_endpoints) {
    FakeWorker worker(host_, type_, "api",
                      R"({"command":"/srv/api","args":["--serve"],"port":8090,)"
                      R"("health_path":"","metrics_path":""})");
    host_.serve_http(kPort, "/health", HttpResponse{404, ""});
    settle(worker, "idle");
    EXPECT_EQ(host_.service("graphql-api").spec.argv,
              (std::vector<std::string>{"/srv/api", "--serve"}));
    EXPECT_EQ(reason(worker),
              "answering { __typename }; no metrics endpoint, so requests are not counted");
}

TEST_F(GraphqlWorkerTest, a_server_that_never_gets_ready_is_degraded_at_its_start_timeout) {
    serve(503, "connecting to kafka brokers 127.0.0.1:9092");
    FakeWorker worker(host_, type_, "topics", kBrowser);
    worker.step();
    host_.advance(kSecond);
    worker.step();
    EXPECT_EQ(worker.state(), "starting");
    settle(worker, "degraded", 10);
    EXPECT_EQ(reason(worker), "not ready: connecting to kafka brokers 127.0.0.1:9092");
}

TEST_F(GraphqlWorkerTest, a_port_another_worker_holds_is_named_and_nothing_is_deployed) {
    host_.hold_port("benthos", "other", "http", kPort);
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "starting");
    const std::string why = reason(worker);
    EXPECT_NE(why.find("port 8090 is reserved by worker benthos/other"), std::string::npos) << why;
    EXPECT_FALSE(host_.has_service(kService));
}

TEST_F(GraphqlWorkerTest, a_config_change_restarts_it_in_place) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    const int64_t pid = host_.service(kService).status.pid;
    worker.set_config(R"({"kafka_brokers":["127.0.0.1:9093"],"port":8090})");
    settle(worker, "idle");
    EXPECT_NE(host_.service(kService).status.pid, pid);
    EXPECT_EQ(host_.service(kService).spec.env[2], "KAFKA_BROKERS=127.0.0.1:9093");
}

TEST_F(GraphqlWorkerTest, check_config_names_a_user_the_host_would_refuse) {
    const std::string browser(kBrowser);
    FakeWorker ghost(host_, type_, "topics",
                     browser.substr(0, browser.size() - 1) + R"(,"group":"ghosts"})");
    EXPECT_EQ(ghost.check_config().error, "group 'ghosts' does not exist on this machine");
}

TEST_F(GraphqlWorkerTest, check_config_names_the_port_the_program_and_the_browser) {
    FakeWorker own(host_, type_, "api", R"({"command":"/bin/sh","port":8090})");
    EXPECT_TRUE(own.check_config().ok()) << own.check_config().error;

    FakeWorker missing(host_, type_, "api2", R"({"command":"/nonexistent/api"})");
    auto result = missing.check_config();
    EXPECT_EQ(result.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(result.error,
              "command: /nonexistent/api is not an executable file (install the server, or fix "
              "`command`)");

    FakeWorker no_node(host_, type_, "t1", R"({"kafka_brokers":["a:1"],"node":"/nonexistent"})");
    EXPECT_EQ(no_node.check_config().error,
              "node: /nonexistent is not an executable file (the topic browser needs Node.js: "
              "install Debian's nodejs, or set `node`)");

    // The test program has no topic browser beside it.
    FakeWorker browser(host_, type_, "t2", R"({"kafka_brokers":["a:1"],"node":"/bin/sh"})");
    result = browser.check_config();
    EXPECT_EQ(result.error.rfind("kafka_brokers: the topic browser is not installed (no /", 0), 0u)
        << result.error;

    host_.hold_port("benthos", "other", "http", 4000);
    FakeWorker taken(host_, type_, "api3", R"({"command":"/bin/sh","port":4000})");
    EXPECT_NE(taken.check_config().error.find("port 4000 is reserved by worker benthos/other"),
              std::string::npos);
}

TEST_F(GraphqlWorkerTest, stops_and_removes_its_service_on_shutdown) {
    FakeWorker worker(host_, type_, "topics", kBrowser);
    settle(worker, "idle");
    worker.request_shutdown();
    for (int i = 0; i < 20 && worker.step().signal != warden::Signal::needs_removal; ++i)
        host_.advance(kSecond);
    EXPECT_EQ(worker.state(), "stopped");
    EXPECT_FALSE(host_.has_service(kService));
}

}  // namespace
