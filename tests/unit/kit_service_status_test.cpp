// SPDX-License-Identifier: Apache-2.0
// tests/unit/kit_service_status_test.cpp — the worker kit's service-status
// codec, its JSON reading of the plugin's own documents, and fingerprints.
#include <warden/kit/fingerprint.hpp>
#include <warden/kit/json_value.hpp>
#include <warden/kit/service_status.hpp>

#include <gtest/gtest.h>

namespace {

namespace kit = warden::kit;
using nlohmann::json;

warden::ServiceStatus every_field_set() {
    warden::ServiceStatus s;
    s.exists = s.supervised = s.up = s.ready = s.want_up = s.normally_up = s.finishing = s.died =
        true;
    s.pid = 4242;
    s.since_ns = 1'700'000'000'000'000'000;
    s.ready_since_ns = 1'700'000'001'000'000'000;
    s.last_exit_code = 3;
    s.last_signal = 15;
    s.restart_count = 7;
    return s;
}

TEST(KitServiceStatus, every_field_round_trips) {
    const warden::ServiceStatus s = every_field_set();
    const warden::ServiceStatus back =
        kit::status_from_json(json::parse(kit::status_to_json(s).dump()));
    EXPECT_EQ(back.flags(), s.flags());
    EXPECT_EQ(back.pid, s.pid);
    EXPECT_EQ(back.since_ns, s.since_ns);
    EXPECT_EQ(back.ready_since_ns, s.ready_since_ns);
    EXPECT_EQ(back.last_exit_code, s.last_exit_code);
    EXPECT_EQ(back.last_signal, s.last_signal);
    EXPECT_EQ(back.restart_count, s.restart_count);
    EXPECT_EQ(kit::status_to_json(s).size(), 14u) << "one key per field of the observation";
}

TEST(KitServiceStatus, anything_else_reads_as_no_service) {
    EXPECT_EQ(kit::status_from_json(json()).flags(), 0u);
    EXPECT_EQ(kit::status_from_json(json::array({1, 2})).flags(), 0u);
    const auto odd = kit::status_from_json(
        json{{"exists", "yes"}, {"pid", -1}, {"restart_count", -3}, {"last_signal", 1e300}});
    EXPECT_FALSE(odd.exists);
    EXPECT_EQ(odd.pid, -1);
    EXPECT_EQ(odd.restart_count, 0u) << "a negative count is not a count";
    EXPECT_EQ(odd.last_signal, 0);
}

TEST(KitServiceStatus, says_how_a_process_ended) {
    warden::ServiceStatus s;
    EXPECT_EQ(kit::how_it_ended(s), "is down");
    s.died = true;
    s.last_exit_code = 1;
    EXPECT_EQ(kit::how_it_ended(s), "exited with code 1");
    s.last_exit_code = 127;
    EXPECT_EQ(kit::how_it_ended(s), "exited with code 127 (the program was not found)");
    s.last_exit_code = 126;
    EXPECT_EQ(kit::how_it_ended(s), "exited with code 126 (the program cannot be executed)");
    s.last_signal = 9;
    EXPECT_EQ(kit::how_it_ended(s), "was killed by signal 9");
    s.restart_count = 1;
    EXPECT_EQ(kit::restarts_text(s), "1 restart");
    s.restart_count = 2;
    EXPECT_EQ(kit::restarts_text(s), "2 restarts");
}

TEST(KitJsonValue, reads_a_value_of_the_fallbacks_type_or_the_fallback) {
    const json doc = {{"port", 8080}, {"big", 18446744073709551615ull},
                      {"neg", -5},    {"name", "web"},
                      {"flag", true}, {"ratio", 0.5}};
    EXPECT_EQ(kit::value_or(doc, "port", uint32_t{0}), 8080u);
    EXPECT_EQ(kit::value_or(doc, "port", uint16_t{0}), 8080u);
    EXPECT_EQ(kit::value_or(doc, "big", uint32_t{1}), 1u) << "too big for the type";
    EXPECT_EQ(kit::value_or(doc, "big", int64_t{1}), 1) << "never wrapped to a negative";
    EXPECT_EQ(kit::value_or(doc, "neg", uint32_t{2}), 2u);
    EXPECT_EQ(kit::value_or(doc, "neg", int32_t{0}), -5);
    EXPECT_EQ(kit::value_or(doc, "name", std::string("x")), "web");
    EXPECT_EQ(kit::value_or(doc, "port", std::string("x")), "x");
    EXPECT_TRUE(kit::value_or(doc, "flag", false));
    EXPECT_EQ(kit::value_or(doc, "ratio", 0.0), 0.5);
    EXPECT_EQ(kit::value_or(doc, "missing", 7), 7);
    EXPECT_EQ(kit::value_or(json("not an object"), "port", 9), 9);
}

TEST(KitFingerprint, tells_apart_what_plain_concatenation_would_not) {
    EXPECT_NE(kit::Fingerprint().add("ab").add("c").hex(),
              kit::Fingerprint().add("a").add("bc").hex());
    EXPECT_EQ(kit::fingerprint("same"), kit::fingerprint("same"));
    EXPECT_EQ(kit::fingerprint("").size(), 16u);
}

TEST(KitFingerprint, every_field_of_a_service_spec_counts) {
    warden::ServiceSpec base;
    base.name = "exec-web";
    base.argv = {"/bin/sleep", "9"};
    const std::string fp = kit::Fingerprint().add(base).hex();
    const auto differs = [&](auto change) {
        warden::ServiceSpec changed = base;
        change(changed);
        return kit::Fingerprint().add(changed).hex() != fp;
    };
    EXPECT_TRUE(differs([](auto &s) { s.name = "exec-web2"; }));
    EXPECT_TRUE(differs([](auto &s) { s.argv.push_back("x"); }));
    EXPECT_TRUE(differs([](auto &s) { s.env.push_back("A=1"); }));
    EXPECT_TRUE(differs([](auto &s) { s.working_dir = "/srv"; }));
    EXPECT_TRUE(differs([](auto &s) { s.files.push_back({"a.yaml", "x: 1", 0}); }));
    EXPECT_TRUE(differs([](auto &s) { s.notification_fd = 3; }));
    EXPECT_TRUE(differs([](auto &s) { s.down_signal = 2; }));
    EXPECT_TRUE(differs([](auto &s) { s.kill_timeout_ms = 5; }));
    EXPECT_TRUE(differs([](auto &s) { s.start_down = true; }));
    EXPECT_TRUE(differs([](auto &s) { s.log_max_files = 3; }));
    EXPECT_TRUE(differs([](auto &s) { s.log_max_file_bytes = 3; }));
    EXPECT_FALSE(differs([](auto &) {}));
}

}  // namespace
