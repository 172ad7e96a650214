// SPDX-License-Identifier: Apache-2.0
// tests/unit/status_test.cpp — what `warden --status` prints, what the
// status socket takes as a request, and which services count as orphans.
#include "app/orphans.hpp"
#include "status/status_report.hpp"
#include "status/status_request.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <limits>
#include <string>

namespace warden::host {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(StatusReport, survives_the_wire_and_prints_one_row_per_worker) {
    const int64_t now = 1'800'000'000 * kSecond;
    HostReport host{42, now - 3725 * kSecond, "/etc/warden.yaml", now - 60 * kSecond};
    WorkerReport sleeper;
    sleeper.worker.type = "exec";
    sleeper.worker.name = "sleeper";
    sleeper.worker.state = "running";
    sleeper.worker.phase = WARDEN_PHASE_RUNNING_HEALTHY;
    sleeper.worker.reason = "process 77 up for 5.0 s";
    sleeper.worker.state_since = now - 5 * kSecond;
    sleeper.worker.last_action = "create_service";
    sleeper.services.push_back(ServiceView{"exec-sleeper", true, true, 77, now - 192 * kSecond, 0});
    WorkerReport flaky;
    flaky.worker.type = "exec";
    flaky.worker.name = "flaky";
    flaky.worker.state = "starting";
    flaky.worker.phase = WARDEN_PHASE_STARTING;
    flaky.worker.reason = "creating service exec-flaky";
    flaky.worker.state_since = now - 5 * kSecond;
    flaky.worker.last_action = "create_service";
    flaky.worker.last_action_status = WARDEN_ERR;
    flaky.worker.last_action_error = "disk full";
    flaky.worker.action_failures = 3;
    flaky.worker.action_retry_at = now + 4 * kSecond;

    HostReport host_back;
    std::vector<WorkerReport> back;
    ASSERT_TRUE(decode_report(encode_report(host, {sleeper, flaky}), host_back, back));
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(host_back.pid, 42);
    EXPECT_EQ(back[1].worker.action_retry_at, flaky.worker.action_retry_at);

    const std::string table = format_table(host_back, back, now);
    EXPECT_EQ(table.rfind("warden pid 42, up 1h02m, config /etc/warden.yaml (loaded ", 0), 0u)
        << table;
    EXPECT_NE(table.find("TYPE  NAME     STATE     PHASE            SINCE"), std::string::npos)
        << table;
    EXPECT_NE(table.find("create_service ok                      77   3m12s   process 77 up for "
                         "5.0 s\n"),
              std::string::npos)
        << table;
    EXPECT_NE(table.find("create_service failed 3x, retry in 4s  -    -       last action: disk "
                         "full; creating service exec-flaky\n"),
              std::string::npos)
        << table;
}

// A report line as an nlohmann object of the same fields dumps it: what the
// host wrote before it wrote the text straight.
std::string tree_line(const WorkerReport &r) {
    using nlohmann::json;
    const WorkerStatus &w = r.worker;
    json services = json::array();
    for (const ServiceView &s : r.services)
        services.push_back({{"name", s.name},
                            {"supervised", s.supervised},
                            {"up", s.up},
                            {"ready", s.ready},
                            {"pid", s.pid},
                            {"since", s.since},
                            {"restarts", s.restarts}});
    const json line = {{"type", w.type},
                       {"name", w.name},
                       {"state", w.state},
                       {"phase", w.phase},
                       {"reason", w.reason},
                       {"state_since", w.state_since},
                       {"state_changes", w.state_changes},
                       {"desired_state", w.desired_state},
                       {"shutdown_requested", w.shutdown_requested},
                       {"observed_at", w.observed_at},
                       {"stale", w.stale},
                       {"observed", w.observed_json},
                       {"collect_error", w.collect_error},
                       {"collector_restarts", w.collector_restarts},
                       {"action_running", w.action_running},
                       {"last_action", w.last_action},
                       {"last_action_status", w.last_action_status},
                       {"last_action_error", w.last_action_error},
                       {"last_action_finished", w.last_action_finished},
                       {"action_failures", w.action_failures},
                       {"action_retry_at", w.action_retry_at},
                       {"failure", w.failure},
                       {"failure_retry_at", w.failure_retry_at},
                       {"services", services}};
    return line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

TEST(StatusReport, writes_each_line_as_its_json_object_dumps) {
    WorkerReport w;
    w.worker.type = "exec";
    w.worker.name = "w\"1";
    w.worker.state = "degraded";
    w.worker.phase = WARDEN_PHASE_RUNNING_DEGRADED;
    w.worker.reason = "exited with code 1: line\tone\nline two \x01 caf\xc3\xa9";
    w.worker.state_since = -5;
    w.worker.state_changes = std::numeric_limits<uint64_t>::max();
    w.worker.observed_at = 1'800'000'000 * kSecond;
    w.worker.observed_json = R"({"extra":{"s":"a\"b\\c"},"ready":false})";
    w.worker.collector_restarts = 2;
    w.worker.last_action_status = WARDEN_ERR_TIMEOUT;
    w.worker.failure = "x";
    w.services.push_back(ServiceView{"exec-w", true, true, 77, 123, 4, true});
    w.services.push_back(ServiceView{"exec-w-db", false, false, 0, 0, 0, false});
    WorkerReport bare;
    const std::string report = encode_report(HostReport{7, 8, "/etc/w\"x.yaml", 9}, {w, bare});
    const std::string host_line =
        nlohmann::json{
            {"host",
             {{"pid", 7}, {"started", 8}, {"config_file", "/etc/w\"x.yaml"}, {"config_loaded", 9}}}}
            .dump() +
        "\n";
    EXPECT_EQ(report, host_line + tree_line(w) + tree_line(bare));
}

TEST(StatusReport, carries_a_reason_that_is_not_utf8) {
    WorkerReport odd;
    odd.worker.type = "exec";
    odd.worker.name = "odd";
    odd.worker.reason = "bad byte \xff here";
    HostReport host;
    std::vector<WorkerReport> back;
    ASSERT_TRUE(decode_report(encode_report(HostReport{}, {odd}), host, back));
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].worker.reason, "bad byte \xef\xbf\xbd here");
}

TEST(StatusReport, refuses_what_is_not_a_report) {
    HostReport host;
    std::vector<WorkerReport> workers;
    EXPECT_FALSE(decode_report("", host, workers));
    EXPECT_FALSE(decode_report("hello\n", host, workers));
    EXPECT_FALSE(decode_report("{\"type\":\"exec\"}\n", host, workers));
}

TEST(StatusReport, refuses_a_report_whose_fields_have_the_wrong_type) {
    const std::string host_line = "{\"host\":{\"pid\":1}}\n";
    for (const std::string &text : {
             std::string("{\"host\":{\"pid\":\"one\"}}\n"),
             std::string("{\"host\":{\"config_file\":7}}\n"),
             std::string("{\"host\":{\"started\":1e300}}\n"),
             std::string("{\"host\":{\"pid\":18446744073709551615}}\n"),
             host_line + "{\"type\":1}\n",
             host_line + "{\"phase\":1e300}\n",
             host_line + "{\"phase\":4294967296}\n",
             host_line + "{\"state_changes\":-1}\n",
             host_line + "{\"stale\":\"yes\"}\n",
             host_line + "{\"services\":{\"name\":\"x\"}}\n",
             host_line + "{\"services\":[1]}\n",
             host_line + "{\"services\":[{\"restarts\":-1}]}\n",
         }) {
        HostReport host;
        std::vector<WorkerReport> workers;
        EXPECT_FALSE(decode_report(text, host, workers)) << text;
    }
}

TEST(StatusReport, prints_times_from_any_host_without_overflowing) {
    const int64_t now = 1'800'000'000 * kSecond;
    const int64_t earliest = std::numeric_limits<int64_t>::min();
    HostReport host{1, earliest, "/etc/warden.yaml", earliest};
    WorkerReport w;
    w.worker.type = "exec";
    w.worker.name = "w";
    w.worker.stale = true;
    w.worker.observed_at = earliest;
    w.services.push_back(ServiceView{"exec-w", true, true, 7, earliest, 0});
    const std::string table = format_table(host, {w}, now);
    EXPECT_EQ(table.rfind("warden pid 1, up 106751d23h, config /etc/warden.yaml", 0), 0u) << table;
    EXPECT_NE(table.find("7    106751d23h  STALE: no observation for 106751d23h; "),
              std::string::npos)
        << table;
}

TEST(StatusRequest, is_exactly_status_and_a_newline) {
    EXPECT_EQ(parse_status_request(""), RequestState::incomplete);
    EXPECT_EQ(parse_status_request("stat"), RequestState::incomplete);
    EXPECT_EQ(parse_status_request("status"), RequestState::incomplete);
    EXPECT_EQ(parse_status_request("status\n"), RequestState::status);
    EXPECT_EQ(parse_status_request("status\nstatus\n"), RequestState::invalid);
    EXPECT_EQ(parse_status_request("status brief\n"), RequestState::brief);
    EXPECT_EQ(parse_status_request("status "), RequestState::incomplete);
    EXPECT_EQ(parse_status_request("status brie"), RequestState::incomplete);
    EXPECT_EQ(parse_status_request("status brief"), RequestState::incomplete);
    EXPECT_EQ(parse_status_request("status brief\n\n"), RequestState::invalid);
    EXPECT_EQ(parse_status_request("status bri\n"), RequestState::invalid);
    EXPECT_EQ(parse_status_request("status\n\n"), RequestState::invalid);
    EXPECT_EQ(parse_status_request("Status\n"), RequestState::invalid);
    EXPECT_EQ(parse_status_request("status\r\n"), RequestState::invalid);
    EXPECT_EQ(parse_status_request("hello"), RequestState::invalid);
    EXPECT_EQ(parse_status_request(std::string_view("\0", 1)), RequestState::invalid);
    EXPECT_EQ(parse_status_request(std::string_view("stat\0", 5)), RequestState::invalid);
}

TEST(Orphans, carry_a_worker_type_prefix_and_belong_to_no_worker) {
    EXPECT_EQ(
        find_orphans({"exec-web", "exec-web-db", "exec-webby", "exec-old", "other", "benthos-x"},
                     {"exec"}, {{"exec", "web"}}),
        (std::vector<std::string>{"exec-webby", "exec-old"}));
    // A worker name with a dash owns its own name and what follows it and a dash.
    EXPECT_EQ(find_orphans({"exec-web", "exec-web-db", "exec-web-db-log", "exec-web-dbx"},
                           {"exec", "benthos"}, {{"exec", "web-db"}, {"benthos", "web"}}),
              (std::vector<std::string>{"exec-web", "exec-web-dbx"}));
    EXPECT_TRUE(claimed_by_worker("exec-web-db-log", {{"exec", "web-db"}}));
    EXPECT_FALSE(claimed_by_worker("exec-web", {{"exec", "web-db"}}));
}

}  // namespace
}  // namespace warden::host
