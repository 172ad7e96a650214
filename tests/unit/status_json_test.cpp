// SPDX-License-Identifier: Apache-2.0
// tests/unit/status_json_test.cpp — the document `warden --status --json`
// prints (docs/status.md): every member with its value and in its order,
// null for "never" and "none", hostile bytes in a plugin's texts, an empty
// worker list, the error object, and that the document is made from the
// report as it comes off the wire.
#include "status/status_json.hpp"
#include "status/status_report.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace warden::host {
namespace {

using nlohmann::ordered_json;

constexpr int64_t kOneSecond = 1'000'000'000;
constexpr int64_t kGeneratedAt = 1'800'000'000 * kOneSecond;

// The member names of `object`, in order.
std::vector<std::string> member_names(const ordered_json &object) {
    std::vector<std::string> names;
    for (const auto &[name, value] : object.items()) names.push_back(name);
    return names;
}

// The document as a reader sees it; fails the test when it is not one
// line of valid JSON.
ordered_json parse_document(const std::string &text) {
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    EXPECT_EQ(text.find('\n'), text.size() - 1) << "not one line: " << text;
    return ordered_json::parse(text);
}

HostReport a_status_host() {
    return HostReport{4242, kGeneratedAt - 3725 * kOneSecond, "/etc/warden/warden.yaml",
                      kGeneratedAt - 60 * kOneSecond};
}

// A worker with every field set: failing, backed off, stale, with an
// observed document and one service of each kind.
WorkerReport a_troubled_worker() {
    WorkerReport r;
    WorkerStatus &w = r.worker;
    w.type = "exec";
    w.name = "flaky";
    w.state = "degraded";
    w.phase = WARDEN_PHASE_RUNNING_DEGRADED;
    w.reason = "process exited with code 3; 4 restarts";
    w.state_since = kGeneratedAt - 5 * kOneSecond;
    w.state_changes = 7;
    w.desired_state = WARDEN_DESIRED_RUNNING;
    w.shutdown_requested = true;
    w.observed_at = kGeneratedAt - 12 * kOneSecond;
    w.stale = true;
    w.observed_json = R"({"services":{"exec-flaky":{"up":false}},"extra":{"n":[1,2]}})";
    w.collect_error = "collect timed out after 5000 ms";
    w.collector_restarts = 2;
    w.action_running = "restart";
    w.last_action = "deploy";
    w.last_action_status = WARDEN_ERR_TIMEOUT;
    w.last_action_error = "deploy: timed out after 30000 ms";
    w.last_action_finished = kGeneratedAt - 3 * kOneSecond;
    w.action_failures = 3;
    w.action_retry_at = kGeneratedAt + 4 * kOneSecond;
    w.failure = "next: submitted both a state and an action";
    w.failure_retry_at = kGeneratedAt + 8 * kOneSecond;
    // Listed first, but not the main one: that is the one named after it.
    r.services.push_back(
        ServiceView{"exec-flaky-log", false, true, 99, kGeneratedAt - 600 * kOneSecond, 1});
    r.services.push_back(
        ServiceView{"exec-flaky", true, false, 0, kGeneratedAt - 2 * kOneSecond, 4});
    r.services.push_back(
        ServiceView{"exec-flaky-side", true, true, 77, kGeneratedAt - 90 * kOneSecond, 0});
    return r;
}

TEST(StatusJson, the_document_holds_every_member_in_the_documented_order) {
    ordered_json doc =
        parse_document(status_json(a_status_host(), {a_troubled_worker()}, kGeneratedAt));
    EXPECT_EQ(member_names(doc),
              (std::vector<std::string>{"format", "version", "generated_at", "host", "workers"}));
    EXPECT_EQ(doc["format"], "warden-status");
    EXPECT_EQ(doc["version"], 1);
    EXPECT_EQ(doc["generated_at"], kGeneratedAt);

    ordered_json &host = doc["host"];
    EXPECT_EQ(member_names(host),
              (std::vector<std::string>{"pid", "started", "config_file", "config_loaded"}));
    EXPECT_EQ(host["pid"], 4242);
    EXPECT_EQ(host["started"], kGeneratedAt - 3725 * kOneSecond);
    EXPECT_EQ(host["config_file"], "/etc/warden/warden.yaml");
    EXPECT_EQ(host["config_loaded"], kGeneratedAt - 60 * kOneSecond);

    ASSERT_EQ(doc["workers"].size(), 1u);
    ordered_json &w = doc["workers"][0];
    EXPECT_EQ(member_names(w),
              (std::vector<std::string>{"type", "name", "state", "phase", "phase_name",
                                        "desired_state", "healthy", "reason", "state_since",
                                        "state_changes", "shutdown_requested", "observation",
                                        "action", "failure", "main_service", "services"}));
    EXPECT_EQ(w["type"], "exec");
    EXPECT_EQ(w["name"], "flaky");
    EXPECT_EQ(w["state"], "degraded");
    EXPECT_EQ(w["phase"], 4);
    EXPECT_EQ(w["phase_name"], "running-degraded");
    EXPECT_EQ(w["desired_state"], "running");
    EXPECT_EQ(w["healthy"], false);
    EXPECT_EQ(w["reason"], "process exited with code 3; 4 restarts");
    EXPECT_EQ(w["state_since"], kGeneratedAt - 5 * kOneSecond);
    EXPECT_EQ(w["state_changes"], 7);
    EXPECT_EQ(w["shutdown_requested"], true);

    ordered_json &observation = w["observation"];
    EXPECT_EQ(member_names(observation),
              (std::vector<std::string>{"at", "stale", "error", "collector_restarts", "document"}));
    EXPECT_EQ(observation["at"], kGeneratedAt - 12 * kOneSecond);
    EXPECT_EQ(observation["stale"], true);
    EXPECT_EQ(observation["error"], "collect timed out after 5000 ms");
    EXPECT_EQ(observation["collector_restarts"], 2);
    EXPECT_EQ(
        observation["document"],
        ordered_json::parse(R"({"services":{"exec-flaky":{"up":false}},"extra":{"n":[1,2]}})"))
        << "the plugin's document as JSON, its members in its own order";

    ordered_json &action = w["action"];
    EXPECT_EQ(member_names(action),
              (std::vector<std::string>{"running", "last", "last_status", "last_status_name",
                                        "last_error", "last_finished", "failures", "retry_at"}));
    EXPECT_EQ(action["running"], "restart");
    EXPECT_EQ(action["last"], "deploy");
    EXPECT_EQ(action["last_status"], WARDEN_ERR_TIMEOUT);
    EXPECT_EQ(action["last_status_name"], "timeout");
    EXPECT_EQ(action["last_error"], "deploy: timed out after 30000 ms");
    EXPECT_EQ(action["last_finished"], kGeneratedAt - 3 * kOneSecond);
    EXPECT_EQ(action["failures"], 3);
    EXPECT_EQ(action["retry_at"], kGeneratedAt + 4 * kOneSecond);

    EXPECT_EQ(w["failure"], (ordered_json{{"message", "next: submitted both a state and an action"},
                                          {"retry_at", kGeneratedAt + 8 * kOneSecond}}));
    EXPECT_EQ(w["main_service"], "exec-flaky");

    ordered_json &services = w["services"];
    ASSERT_EQ(services.size(), 3u);
    for (const ordered_json &s : services)
        EXPECT_EQ(member_names(s), (std::vector<std::string>{"name", "state", "supervised", "up",
                                                             "pid", "since", "restarts"}));
    // No s6-supervise: what s6's files say is stale, so no pid and no time.
    EXPECT_EQ(services[0], (ordered_json{{"name", "exec-flaky-log"},
                                         {"state", "unsupervised"},
                                         {"supervised", false},
                                         {"up", false},
                                         {"pid", nullptr},
                                         {"since", nullptr},
                                         {"restarts", 1}}));
    EXPECT_EQ(services[1], (ordered_json{{"name", "exec-flaky"},
                                         {"state", "down"},
                                         {"supervised", true},
                                         {"up", false},
                                         {"pid", nullptr},
                                         {"since", kGeneratedAt - 2 * kOneSecond},
                                         {"restarts", 4}}));
    EXPECT_EQ(services[2], (ordered_json{{"name", "exec-flaky-side"},
                                         {"state", "up"},
                                         {"supervised", true},
                                         {"up", true},
                                         {"pid", 77},
                                         {"since", kGeneratedAt - 90 * kOneSecond},
                                         {"restarts", 0}}));
}

TEST(StatusJson, never_and_none_are_null_and_unknown_numbers_are_named_unknown) {
    WorkerReport fresh;
    fresh.worker.type = "exec";
    fresh.worker.name = "new";
    fresh.worker.state = "stopped";
    fresh.worker.phase = 0;
    fresh.worker.desired_state = 0;
    ordered_json doc = parse_document(status_json(HostReport{}, {fresh}, kGeneratedAt));
    EXPECT_EQ(doc["host"]["started"], nullptr);
    EXPECT_EQ(doc["host"]["config_loaded"], nullptr);
    ordered_json &w = doc["workers"][0];
    EXPECT_EQ(w["phase"], 0);
    EXPECT_EQ(w["phase_name"], "unknown");
    EXPECT_EQ(w["desired_state"], "unknown");
    EXPECT_EQ(w["healthy"], false);
    EXPECT_EQ(w["reason"], "");
    EXPECT_EQ(w["state_since"], nullptr);
    EXPECT_EQ(w["observation"], (ordered_json{{"at", nullptr},
                                              {"stale", false},
                                              {"error", nullptr},
                                              {"collector_restarts", 0},
                                              {"document", nullptr}}));
    EXPECT_EQ(w["action"], (ordered_json{{"running", nullptr},
                                         {"last", nullptr},
                                         {"last_status", nullptr},
                                         {"last_status_name", nullptr},
                                         {"last_error", nullptr},
                                         {"last_finished", nullptr},
                                         {"failures", 0},
                                         {"retry_at", nullptr}}));
    EXPECT_EQ(w["failure"], nullptr);
    EXPECT_EQ(w["main_service"], nullptr);
    EXPECT_EQ(w["services"], ordered_json::array());
}

TEST(StatusJson, healthy_means_where_the_config_asks_and_names_every_phase_and_status) {
    const struct {
        int32_t phase;
        int32_t desired;
        const char *phase_name;
        const char *desired_name;
        bool healthy;
    } cases[] = {
        {WARDEN_PHASE_RUNNING_HEALTHY, WARDEN_DESIRED_RUNNING, "running-healthy", "running", true},
        {WARDEN_PHASE_RUNNING_DEGRADED, WARDEN_DESIRED_RUNNING, "running-degraded", "running",
         false},
        {WARDEN_PHASE_STARTING, WARDEN_DESIRED_RUNNING, "starting", "running", false},
        {WARDEN_PHASE_STOPPED, WARDEN_DESIRED_RUNNING, "stopped", "running", false},
        {WARDEN_PHASE_STOPPED, WARDEN_DESIRED_STOPPED, "stopped", "stopped", true},
        {WARDEN_PHASE_STOPPING, WARDEN_DESIRED_STOPPED, "stopping", "stopped", false},
        {WARDEN_PHASE_RUNNING_HEALTHY, WARDEN_DESIRED_STOPPED, "running-healthy", "stopped", false},
    };
    for (const auto &c : cases) {
        WorkerReport r;
        r.worker.phase = c.phase;
        r.worker.desired_state = c.desired;
        ordered_json w = parse_document(status_json(HostReport{}, {r}, kGeneratedAt))["workers"][0];
        EXPECT_EQ(w["phase_name"], c.phase_name);
        EXPECT_EQ(w["desired_state"], c.desired_name);
        EXPECT_EQ(w["healthy"], c.healthy) << c.phase_name << " asked " << c.desired_name;
    }
    // Where it should be, but not seen lately or its plugin failing: not healthy.
    WorkerReport stale;
    stale.worker.phase = WARDEN_PHASE_RUNNING_HEALTHY;
    stale.worker.stale = true;
    WorkerReport failing;
    failing.worker.phase = WARDEN_PHASE_RUNNING_HEALTHY;
    failing.worker.failure = "next failed";
    for (const WorkerReport &r : {stale, failing})
        EXPECT_EQ(
            parse_document(status_json(HostReport{}, {r}, kGeneratedAt))["workers"][0]["healthy"],
            false);

    const std::pair<int32_t, const char *> statuses[] = {
        {WARDEN_OK, "ok"},
        {WARDEN_ERR, "error"},
        {WARDEN_ERR_INVALID_ARGUMENT, "invalid_argument"},
        {WARDEN_ERR_NOT_FOUND, "not_found"},
        {WARDEN_ERR_NOT_PERMITTED, "not_permitted"},
        {WARDEN_ERR_UNSUPPORTED, "unsupported"},
        {WARDEN_ERR_TIMEOUT, "timeout"},
        {WARDEN_ERR_CANCELLED, "cancelled"},
        {WARDEN_ERR_NOT_SUPERVISED, "not_supervised"},
        {WARDEN_ERR_CONFLICT, "conflict"},
        {-1000, "unknown"},
    };
    for (const auto &[status, name] : statuses) {
        WorkerReport r;
        r.worker.last_action = "start";
        r.worker.last_action_status = status;
        ordered_json action =
            parse_document(status_json(HostReport{}, {r}, kGeneratedAt))["workers"][0]["action"];
        EXPECT_EQ(action["last_status"], status);
        EXPECT_EQ(action["last_status_name"], name);
    }
}

TEST(StatusJson, hostile_bytes_in_a_plugins_texts_stay_inside_their_strings) {
    // Invalid UTF-8, a terminal escape, a forged line of its own, quotes,
    // backslashes, a NUL, and text that looks like JSON.
    const std::string hostile = std::string("bad \xff\xfe byte, \x1b[31mred\x1b[0m\n") +
                                "{\"format\":\"forged\"}\r\n\"quoted\" back\\slash " +
                                std::string("nul\0end", 7) + " \xc3\xa9t\xc3\xa9 \xe2\x9c\x93";
    WorkerReport r;
    r.worker.type = "exec";
    r.worker.name = "odd";
    r.worker.reason = hostile;
    r.worker.collect_error = hostile;
    r.worker.last_action = "deploy";
    r.worker.last_action_status = WARDEN_ERR;
    r.worker.last_action_error = hostile;
    r.worker.failure = hostile;
    r.services.push_back(ServiceView{"exec-odd", true, true, 5, kGeneratedAt, 0});
    HostReport host = a_status_host();
    host.config_file = "/etc/\xff/warden.yaml";

    const std::string text = status_json(host, {r}, kGeneratedAt);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << "a raw escape byte reached the output";
    EXPECT_EQ(text.find('\r'), std::string::npos);
    EXPECT_EQ(text.find('\0'), std::string::npos);
    ordered_json doc = parse_document(text);
    EXPECT_EQ(doc["format"], "warden-status") << "the forged member stayed inside its string";

    // Each byte is kept, escaped, except those that are not UTF-8: each of
    // those is U+FFFD. Valid multi-byte characters pass as they are.
    const std::string expected =
        std::string("bad \xef\xbf\xbd\xef\xbf\xbd byte, \x1b[31mred\x1b[0m\n") +
        "{\"format\":\"forged\"}\r\n\"quoted\" back\\slash " + std::string("nul\0end", 7) +
        " \xc3\xa9t\xc3\xa9 \xe2\x9c\x93";
    ordered_json &w = doc["workers"][0];
    EXPECT_EQ(w["reason"].get<std::string>(), expected);
    EXPECT_EQ(w["observation"]["error"].get<std::string>(), expected);
    EXPECT_EQ(w["action"]["last_error"].get<std::string>(), expected);
    EXPECT_EQ(w["failure"]["message"].get<std::string>(), expected);
    EXPECT_EQ(doc["host"]["config_file"], "/etc/\xef\xbf\xbd/warden.yaml");
    EXPECT_NE(text.find("\\u001b[31m"), std::string::npos) << text;
}

TEST(StatusJson, an_observed_document_that_is_not_one_json_object_is_null) {
    for (const std::string &observed :
         {std::string("[1,2]"), std::string("{\"a\":"), std::string("not json"),
          std::string("{\"a\":1} {\"b\":2}"), std::string(100, '[') + std::string(100, ']'),
          std::string("{\"a\":") + std::string(200, '[') + std::string(200, ']') + "}"}) {
        WorkerReport r;
        r.worker.observed_json = observed;
        ordered_json w = parse_document(status_json(HostReport{}, {r}, kGeneratedAt))["workers"][0];
        EXPECT_EQ(w["observation"]["document"], nullptr) << observed;
    }
}

TEST(StatusJson, a_host_without_workers_has_an_empty_list) {
    ordered_json doc = parse_document(status_json(a_status_host(), {}, kGeneratedAt));
    EXPECT_EQ(doc["workers"], ordered_json::array());
    EXPECT_EQ(doc["host"]["pid"], 4242);
    EXPECT_FALSE(doc.contains("error"));
}

TEST(StatusJson, is_made_from_the_report_as_it_comes_off_the_wire) {
    const WorkerReport sent = a_troubled_worker();
    HostReport host;
    std::vector<WorkerReport> workers;
    ASSERT_TRUE(decode_report(encode_report(a_status_host(), {sent}), host, workers));
    EXPECT_EQ(status_json(host, workers, kGeneratedAt),
              status_json(a_status_host(), {sent}, kGeneratedAt));
}

TEST(StatusJson, an_error_is_one_object_with_its_kind_and_message) {
    EXPECT_EQ(status_error_json(StatusErrorKind::no_host,
                                "no host runs on scan dir /run/warden/services"),
              "{\"format\":\"warden-status\",\"version\":1,\"error\":{\"kind\":\"no_host\","
              "\"message\":\"no host runs on scan dir /run/warden/services\"}}\n");

    const std::pair<StatusErrorKind, const char *> kinds[] = {
        {StatusErrorKind::no_host, "no_host"},
        {StatusErrorKind::config, "config"},
        {StatusErrorKind::permission_denied, "permission_denied"},
        {StatusErrorKind::timeout, "timeout"},
        {StatusErrorKind::bad_answer, "bad_answer"},
        {StatusErrorKind::request_failed, "request_failed"},
        {StatusErrorKind::internal, "internal"},
    };
    for (const auto &[kind, name] : kinds) {
        EXPECT_EQ(status_error_kind_name(kind), name);
        ordered_json doc = parse_document(status_error_json(kind, "what \xff\n\x1b happened"));
        EXPECT_EQ(member_names(doc), (std::vector<std::string>{"format", "version", "error"}));
        EXPECT_EQ(member_names(doc["error"]), (std::vector<std::string>{"kind", "message"}));
        EXPECT_EQ(doc["error"]["kind"], name);
        EXPECT_EQ(doc["error"]["message"], "what \xef\xbf\xbd\n\x1b happened");
    }
}

}  // namespace
}  // namespace warden::host
