// SPDX-License-Identifier: Apache-2.0
// tests/unit/kit_documents_test.cpp — the worker kit's JSON documents at
// each observation: written as text without a tree (the bytes nlohmann's
// dump gives, any input bytes written as valid JSON), and a decision that
// reuses what its collect wrote and planned only for exactly those bytes,
// the same desired document and the same facts. Driven on the SDK's fake
// host.
#include <warden/host_rules.hpp>
#include <warden/kit.hpp>
#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using nlohmann::json;
using warden::testing::FakeHost;
using warden::testing::FakeWorker;
namespace kit = warden::kit;

std::string dumped(const json &value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string written_string(std::string_view text) {
    std::string out;
    kit::append_json_string(out, text);
    return out;
}

TEST(KitJsonWriter, writes_strings_as_nlohmann_dumps_them) {
    std::vector<std::string> texts = {"",
                                      "plain",
                                      "quote \" and \\ backslash",
                                      "tab\tnew\nline\r",
                                      "\b\f",
                                      "caf\xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80",
                                      "\x7f"};
    std::string controls;
    for (char c = 1; c < 0x20; ++c) controls.push_back(c);
    texts.push_back(controls);
    texts.push_back(std::string("nul \0 inside", 12));
    for (const std::string &text : texts) EXPECT_EQ(written_string(text), dumped(json(text)));
}

TEST(KitJsonWriter, writes_any_bytes_as_valid_json_replacing_what_is_not_utf8) {
    for (const std::string bad : {"\xff", "a\x80z", "\xe2\x82", "\xc0\xaf", "\xed\xa0\x80",
                                  "\xf4\x90\x80\x80", "ok \xc3"}) {
        const std::string out = written_string(bad);
        EXPECT_TRUE(json::accept(out)) << out;
        EXPECT_TRUE(warden::rules::document_problem("test", "{\"s\":" + out + "}").empty()) << out;
        EXPECT_NE(out.find("\xef\xbf\xbd"), std::string::npos) << out;
    }
}

TEST(KitJsonWriter, writes_objects_arrays_and_numbers) {
    std::string out;
    kit::JsonWriter w(out);
    w.begin_object()
        .key("a")
        .value(int64_t{-5})
        .key("b")
        .begin_array()
        .value(true)
        .value(uint32_t{7})
        .begin_object()
        .end_object()
        .end_array()
        .key("c")
        .value(json{{"x", 1}})
        .key("d")
        .value(json::object())
        .end_object();
    EXPECT_EQ(out, R"({"a":-5,"b":[true,7,{}],"c":{"x":1},"d":{}})");
}

// The document as the kit wrote it with an nlohmann tree before.
std::string tree_written(const kit::Observed &o) {
    json list = json::array();
    for (const kit::ObservedService &s : o.services)
        list.push_back({{"name", s.name},
                        {"status", kit::status_to_json(s.status)},
                        {"up_for_ms", s.up_for_ms},
                        {"down_for_ms", s.down_for_ms}});
    const json out = {{"services", std::move(list)},
                      {"deployed", o.deployed},
                      {"check",
                       {{"fingerprint", o.check.fingerprint},
                        {"passed", o.check.passed},
                        {"message", o.check.message}}},
                      {"ready", o.ready},
                      {"not_ready", o.not_ready},
                      {"ready_for_ms", o.ready_for_ms},
                      {"not_ready_for_ms", o.not_ready_for_ms},
                      {"not_ready_restarts", o.not_ready_restarts},
                      {"crash_loop", o.crash_loop},
                      {"last_error", o.last_error},
                      {"extra", o.extra}};
    return dumped(out);
}

TEST(KitObserved, writes_the_bytes_the_tree_wrote_and_reads_them_back) {
    kit::Observed o;
    for (int i = 0; i < 2; ++i) {
        kit::ObservedService s;
        s.name = "exec-web" + std::string(i == 0 ? "" : "-db");
        s.status.exists = s.status.supervised = s.status.up = true;
        s.status.pid = 4242 + i;
        s.status.since_ns = 1'700'000'000'123'456'789;
        s.status.restart_count = 3;
        s.status.last_signal = 9;
        s.status.died = true;
        s.up_for_ms = 12345;
        o.services.push_back(s);
    }
    o.deployed = "9f86d081884c7d65";
    o.check = {"9f86d081884c7d65", false, "line 3: \"x\" is not\ta key \xff"};
    o.ready = true;
    o.ready_for_ms = 900;
    o.not_ready_restarts = 2;
    o.crash_loop = "5 exits in the last 60 s";
    o.last_error = "ERROR \x01 caf\xc3\xa9";
    o.extra = {{"http_port", 25001}, {"counters", {{"in", 1.5}, {"out", {1, 2}}}}, {"s", "\n"}};
    EXPECT_EQ(o.to_json(), tree_written(o));
    const kit::Observed back = kit::Observed::from_json(o.to_json());
    EXPECT_EQ(back.to_json(), o.to_json()) << "read back and written again: the same bytes";
    EXPECT_EQ(kit::Observed().to_json(), tree_written(kit::Observed()));
}

// A worker whose plan counts how often it is made.
int g_plans = 0;

class CountedWorker : public kit::ServiceWorker<CountedWorker> {
public:
    static constexpr std::string_view type_name = "counted";
    using ServiceWorker::ServiceWorker;

    static std::string derive_desired(const warden::Host &, const warden::Identity &identity,
                                      std::string_view config_json) {
        json desired = json::parse(config_json);
        desired["service"] = identity.service_name();
        return desired.dump();
    }

    static kit::Plan plan(const warden::Snapshot &snapshot, const kit::Observed &) {
        ++g_plans;
        const json desired = json::parse(snapshot.desired_json());
        kit::Plan plan;
        warden::ServiceSpec spec;
        spec.name = desired["service"];
        spec.argv = desired["argv"];
        plan.services.push_back(spec);
        plan.ready_hold_ms = 0;
        return plan;
    }
};

struct CountedPlugin {
    static constexpr std::string_view name = "counted";
    static constexpr std::string_view version = "1.0.0";
    static constexpr uint32_t min_host_minor = 1;
    using WorkerTypes = warden::WorkerTypes<CountedWorker>;
};

}  // namespace

WARDEN_PLUGIN(CountedPlugin)

namespace {

constexpr int64_t kTenth = 100'000'000;

class KitDocuments : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(worker_.settle("running", 50, kTenth)) << worker_.step().reason;
    }

    FakeHost host_;
    const warden_plugin *plugin_ = host_.load(&warden_plugin_entry);
    FakeWorker worker_{host_, host_.worker_type("counted"), "a", R"({"argv":["/bin/sleep","9"]})"};
};

TEST_F(KitDocuments, a_settled_worker_plans_once_for_its_collects_and_decisions) {
    const int plans = g_plans;
    for (int i = 0; i < 20; ++i) {
        host_.advance(kTenth);
        const auto decided = worker_.step();
        EXPECT_EQ(decided.state, "") << decided.reason;
        EXPECT_EQ(decided.action, "") << decided.reason;
    }
    EXPECT_EQ(g_plans, plans) << "the desired document and the facts did not change";

    worker_.set_config(R"({"argv":["/bin/sleep","10"]})");
    const auto changed = worker_.step();
    EXPECT_EQ(changed.state, "starting") << changed.reason;
    EXPECT_GT(g_plans, plans) << "a new desired document is planned";
}

TEST_F(KitDocuments, a_decision_reads_the_bytes_it_is_given_not_what_collect_wrote) {
    ASSERT_TRUE(worker_.collect().ok());
    std::string observed = worker_.observed_json();
    const std::string up = "\"up\":true";
    const auto at = observed.find(up);
    ASSERT_NE(at, std::string::npos) << observed;
    observed.replace(at, up.size(), "\"up\":false");
    worker_.set_observed_json(observed);
    const auto decided = worker_.next();
    ASSERT_TRUE(decided.ok()) << decided.error;
    EXPECT_EQ(decided.state, "degraded") << decided.reason;

    worker_.set_observed_json("[\"not an object\"]");
    const auto refused = worker_.next();
    EXPECT_FALSE(refused.ok());
    EXPECT_NE(refused.error.find("observed state: not a JSON object"), std::string::npos)
        << refused.error;

    ASSERT_TRUE(worker_.collect().ok());
    const auto again = worker_.next();
    ASSERT_TRUE(again.ok()) << again.error;
    EXPECT_EQ(again.state, "") << again.reason;
}

}  // namespace
