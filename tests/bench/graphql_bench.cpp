// SPDX-License-Identifier: Apache-2.0
// tests/bench/graphql_bench.cpp — what watching a GraphQL server costs the
// host, and what the topic browser costs its clients, each figure beside a
// raw one measured in the same run. The targets of the graphql worker:
//
//   one observation  the worker's own collect hook, in process: graphql.so
//                    loaded by the host's plugin loader, the topic browser
//                    (Node.js, its real npm modules) on a real s6-svscan,
//                    the Redpanda stand-in as its broker; s6 status, then
//                    GET /ready (which answers for /health too while it is
//                    200), POST { __typename } and GET /metrics through the
//                    host's HTTP probe, and the parse of the metrics. Goal:
//                    under 2 ms mean. Wall time
//                    (mean, p50, p99) and this thread's CPU time, back to
//                    back with the server on this core and on the other,
//                    then with pauses as between observations. Raw: the
//                    same three requests on a plain reused libcurl handle.
//   topics           the topic browser answering `topics` over 1,000
//                    topics (one event each, produced with librdkafka):
//                    how long until it shows them all after they were
//                    produced, then each answer's time as a client sees it,
//                    beside `topic(name)` and `{ __typename }` (the
//                    server's floor), and the server's RSS.
//
// The Redpanda stand-in (tests/fixtures/redpanda_fixture) is the broker,
// started here on ports the kernel chooses (tests/support/redpanda_standin);
// the server's port comes from 25000-31999 (ports.hpp). Run it with
// tests/bench/run-graphql-bench.
#include "graphql_probe.hpp"

#include "net/http_probe.hpp"

#include "placements.hpp"
#include "plugin_worker.hpp"
#include "ports.hpp"
#include "proc_stats.hpp"
#include "raw_http.hpp"
#include "redpanda_standin.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "timing.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using warden::bench::Measure;
using warden::bench::PluginWorkerOnS6;
using warden::bench::RawCurl;
using warden::bench::rows;
using warden::bench::Spread;

namespace paths = warden::test::paths;

std::string url(uint32_t port, const std::string &path) {
    return "http://127.0.0.1:" + std::to_string(port) + path;
}

// ---- many topics -----------------------------------------------------------------

// One event to each of `count` topics "bench-0000"..., in one librdkafka
// producer, flushed.
void produce_to_topics(uint32_t kafka, int count) {
    char error[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    const std::string servers = "127.0.0.1:" + std::to_string(kafka);
    if (rd_kafka_conf_set(conf, "bootstrap.servers", servers.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK)
        throw std::runtime_error(error);
    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (producer == nullptr) throw std::runtime_error(error);
    for (int i = 0; i < count; ++i) {
        char topic[32];
        std::snprintf(topic, sizeof topic, "bench-%04d", i);
        const std::string value = R"({"reading":)" + std::to_string(i) + "}";
        const rd_kafka_resp_err_t sent =
            rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic),
                              RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (sent != RD_KAFKA_RESP_ERR_NO_ERROR)
            throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(sent));
        rd_kafka_poll(producer, 0);
    }
    const rd_kafka_resp_err_t flushed = rd_kafka_flush(producer, 120'000);
    rd_kafka_destroy(producer);
    if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw std::runtime_error(std::string("flush: ") + rd_kafka_err2str(flushed));
}

// ---- the worker -----------------------------------------------------------------

// The topic browser deployed by the worker, ready, one observation made as
// every later one is. Returns the server's port.
uint32_t make_ready(PluginWorkerOnS6 &worker) {
    worker.snapshot().observed_json = worker.collect();  // reserves the port the plan needs
    worker.execute("deploy");
    worker.collect_until_ready(60s);
    const std::string observed = worker.collect();
    worker.snapshot().state = "idle";
    worker.snapshot().observed_json = observed;
    const json extra = json::parse(observed)["extra"];
    if (!extra.value("answers", false) || !extra.value("metrics_read", false))
        throw std::runtime_error("the server did not answer or its metrics were not read: " +
                                 observed);
    return extra.value("port", 0u);
}

void run_one_observation(PluginWorkerOnS6 &worker, uint32_t port, int calls) {
    const std::string probe = graphql_plugin::probe_body();
    RawCurl curl, metrics_only;
    const auto raw_requests = [&] {
        curl.get(url(port, "/ready"));
        curl.post(url(port, "/graphql"), probe, "application/json");
        curl.get(url(port, "/metrics"));
    };
    std::string body;
    warden::bench::host_get(port, "/metrics", body, 1000ms);
    const std::string served = body;
    const Measure collect{"collect: s6 status + 2 GETs + 1 POST + parse", [&] { worker.collect(); },
                          "goal: under 2000 us"};
    const Measure gate{"  service observe slot (gate, S6Client, audit)",
                       [&] { worker.gate_observe(); }};
    const Measure parse{"  read_server_metrics (the body just served)",
                        [&] { (void)graphql_plugin::read_server_metrics(served); }};
    const Measure raw{"raw: libcurl, one reused handle, the 3 requests", raw_requests};
    const Measure raw_metrics{"raw: the same, GET /metrics alone",
                              [&] { metrics_only.get(url(port, "/metrics")); }};

    std::printf(
        "one graphql worker, in process: graphql.so through the plugin loader, the topic browser "
        "on 127.0.0.1:%u (node pid %d), /metrics %zu bytes\n",
        port, static_cast<int>(worker.service_pid()), served.size());
    warden::bench::print_heading();
    warden::bench::rows_per_placement(
        calls, {collect, gate, parse, raw, raw_metrics}, worker.service_pid(), "server",
        [](const std::vector<Spread> &f) {
            std::printf(
                "  %-48s %8.1f %26.1f   the probes, the plugin's "
                "JSON, the ABI crossings\n",
                "  collect - (observe + parse), mean", f[0].mean - f[1].mean - f[2].mean,
                f[0].cpu - f[1].cpu - f[2].cpu);
        });
    std::printf(
        " a pause of 5 to 15 ms before each call (caches and cores cool, as between "
        "observations), %d rounds, on any core\n",
        calls / 10);
    rows(calls / 10, {collect, raw}, 10ms);
}

// ---- topics over many topics ---------------------------------------------------

void run_topics(uint32_t kafka, uint32_t port, pid_t server, int topics, int calls) {
    const auto started = std::chrono::steady_clock::now();
    produce_to_topics(kafka, topics);
    const auto produced = std::chrono::steady_clock::now();
    const std::string query = json{{"query", "{ topics(limit: " + std::to_string(topics) +
                                                 ") { topic lastEvent { producedAt value } } }"}}
                                  .dump();
    RawCurl client;
    std::size_t shown = 0;
    const bool all = warden::test::wait_until(
        [&] {
            const json answer = json::parse(
                client.post(url(port, "/graphql"), query, "application/json"), nullptr, false);
            shown = 0;
            if (answer.is_object() && answer["data"]["topics"].is_array())
                for (const json &t : answer["data"]["topics"])
                    if (t["lastEvent"].is_object()) ++shown;
            return shown >= static_cast<std::size_t>(topics);
        },
        300s);
    if (!all)
        throw std::runtime_error("the topic browser shows " + std::to_string(shown) + " of " +
                                 std::to_string(topics) + " topics after 300 s");
    const auto seen = std::chrono::steady_clock::now();
    const std::size_t bytes = client.post(url(port, "/graphql"), query, "application/json").size();
    const auto ms = [](auto span) {
        return std::chrono::duration<double, std::milli>(span).count();
    };
    std::printf(
        "\nthe topic browser over %d topics, one event each: produced in %.0f ms (librdkafka), "
        "all %d shown %.0f ms later; the answer is %zu bytes; server RSS %ld MiB\n",
        topics, ms(produced - started), topics, ms(seen - produced), bytes,
        warden::bench::usage_of(server).rss_kib / 1024);
    const std::string one =
        json{{"query", "{ topic(topic: \"bench-0500\") { lastEvent { value } } }"}}.dump();
    const std::string floor = json{{"query", "{ __typename }"}}.dump();
    warden::bench::print_heading();
    rows(calls, {{"topics(limit: " + std::to_string(topics) + "), a plain HTTP client",
                  [&] { client.post(url(port, "/graphql"), query, "application/json"); },
                  std::to_string(bytes) + " bytes"},
                 {"topic(name), the same client",
                  [&] { client.post(url(port, "/graphql"), one, "application/json"); }},
                 {"raw: { __typename }, the server's floor",
                  [&] { client.post(url(port, "/graphql"), floor, "application/json"); }}});
}

}  // namespace

int main(int argc, char **argv) {
    const int topics = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int calls = argc > 2 ? std::atoi(argv[2]) : 2000;
    if (topics < 1 || topics > 9999 || calls < 20) {
        std::fprintf(stderr, "usage: graphql_bench [TOPICS (1000)] [CALLS (2000)]\n");
        return 2;
    }
    try {
        warden::host::init_http_probe();
        spdlog::set_level(spdlog::level::warn);  // the loader's "loaded" line is not a figure
        const warden::test::TempDir broker_dir("graphql-bench-broker");
        const warden::test::RedpandaStandIn broker(broker_dir.path());
        if (!broker.ready())
            throw std::runtime_error("the Redpanda stand-in is not ready: " + broker.err());
        const json config = {{"kafka_brokers", {broker.address()}}, {"node", paths::node_binary}};
        PluginWorkerOnS6 worker(paths::graphql_plugin, "graphql", "probe", config.dump(),
                                {{"topic-browser", paths::topic_browser_dir}});
        const uint32_t port = make_ready(worker);
        run_one_observation(worker, port, calls);
        run_topics(broker.kafka_port(), port, worker.service_pid(), topics,
                   std::max(20, calls / 20));
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "graphql_bench: %s\n", e.what());
        return 1;
    }
}
