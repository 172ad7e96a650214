// SPDX-License-Identifier: Apache-2.0
// tests/unit/validation_test.cpp — every rule of warden::check_plugin_table
// (the rules the host applies when it loads a plugin), on tables built in
// memory; and the parts of warden/host_rules.hpp that are plain functions of
// their input (the JSON object check, the scope, the bounds). The decision
// rules, and every rule as a host service applies it, are tested through the
// host's and the fake host's tables (host_rules_conformance_test.cpp).
#include <warden/host_rules.hpp>
#include <warden/validation.hpp>

#include <gtest/gtest.h>

#include <string>

namespace warden {
namespace {

warden_status create(warden_host_ctx *, const warden_identity *, warden_worker **) {
    return 0;
}
void destroy(warden_worker *) {}
warden_status derive(warden_host_ctx *, const warden_identity *, warden_str, warden_json_sink *) {
    return 0;
}
warden_status collect(warden_worker *, const warden_snapshot *, const warden_cancel *,
                      warden_json_sink *) {
    return 0;
}
warden_status next(warden_worker *, const warden_snapshot *, warden_decision_sink *) {
    return 0;
}
warden_status execute(warden_worker *, warden_str, const warden_snapshot *, const warden_cancel *) {
    return 0;
}

// A valid plugin with one worker type; each test breaks one thing.
struct Tables {
    Tables() {
        for (auto *s : {&stopped, &running}) *s = WARDEN_INIT(warden_state_info);
        stopped.name = WARDEN_STR("stopped");
        stopped.phase = WARDEN_PHASE_STOPPED;
        running.name = WARDEN_STR("running");
        running.phase = WARDEN_PHASE_RUNNING_HEALTHY;
        start = WARDEN_INIT(warden_action_info);
        start.name = WARDEN_STR("start");
        stop = WARDEN_INIT(warden_action_info);
        stop.name = WARDEN_STR("stop");
        stop.timeout_ms = 5000;
        type = WARDEN_INIT(warden_worker_type);
        type.name = WARDEN_STR("sample");
        type.states = states;
        type.state_count = 2;
        type.initial_state = WARDEN_STR("stopped");
        type.actions = actions;
        type.action_count = 2;
        type.create = create;
        type.destroy = destroy;
        type.derive_desired_state = derive;
        type.collect_observed_state = collect;
        type.next = next;
        type.execute_action = execute;
        plugin = WARDEN_INIT(warden_plugin);
        plugin.magic = WARDEN_PLUGIN_MAGIC;
        plugin.abi_version = WARDEN_ABI_VERSION;
        plugin.name = WARDEN_STR("sample");
        plugin.version = WARDEN_STR("2.4.1");
        plugin.worker_types = types;
        plugin.worker_type_count = 1;
    }
    Tables(const Tables &) = delete;

    // "accepted", or "<step>: <cause>" for the first problem.
    std::string problem(uint32_t host_abi = WARDEN_ABI_VERSION) const {
        auto p = check_plugin_table(plugin, host_abi);
        return p ? p->step + ": " + p->cause : "accepted";
    }

    warden_state_info stopped, running;
    const warden_state_info *states[2] = {&stopped, &running};
    warden_action_info start, stop;
    const warden_action_info *actions[2] = {&start, &stop};
    warden_worker_type type;
    const warden_worker_type *types[2] = {&type, &type};
    warden_plugin plugin;
};

TEST(TableCheck, accepts_a_valid_table) {
    Tables t;
    EXPECT_EQ(t.problem(), "accepted");
}

TEST(TableCheck, refuses_the_wrong_magic_before_anything_else) {
    Tables t;
    t.plugin.magic = 0xdeadbeef;
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(9, 0);
    EXPECT_EQ(t.problem(),
              "ABI check: magic is 0xdeadbeef, expected 0x57444e50 (not a Warden plugin table)");
}

TEST(TableCheck, refuses_a_table_smaller_than_its_fixed_head) {
    Tables t;
    t.plugin.struct_size = 12;
    EXPECT_EQ(
        t.problem(),
        "ABI check: plugin table struct_size is 12, too small for even its fixed head (48 bytes)");
}

TEST(TableCheck, refuses_another_major_version_older_or_newer) {
    Tables t;
    const uint32_t host = WARDEN_MAKE_ABI_VERSION(1, 1);
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(2, 1);
    EXPECT_EQ(t.problem(host),
              "ABI check: built for ABI 2.1, this host speaks ABI 1.1 (major versions differ)");
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(0, 9);
    EXPECT_EQ(t.problem(host),
              "ABI check: built for ABI 0.9, this host speaks ABI 1.1 (major versions differ)");
}

TEST(TableCheck, accepts_a_newer_minor_plugin_that_accepts_this_host) {
    Tables t;
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(1, 7);
    t.plugin.min_host_minor = 0;
    t.plugin.struct_size = sizeof(warden_plugin) + 16;  // fields this host does not know
    EXPECT_EQ(t.problem(), "accepted");
}

TEST(TableCheck, refuses_a_plugin_that_needs_a_newer_host_minor) {
    Tables t;
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(1, 4);
    t.plugin.min_host_minor = 3;
    EXPECT_EQ(t.problem(WARDEN_MAKE_ABI_VERSION(1, 1)),
              "ABI check: needs a host speaking ABI 1.3 or newer, this host speaks ABI 1.1");
    EXPECT_EQ(t.problem(WARDEN_MAKE_ABI_VERSION(1, 3)), "accepted");
}

TEST(TableCheck, refuses_a_table_shorter_than_abi_1_0) {
    Tables t;
    t.plugin.struct_size = sizeof(warden_plugin) - sizeof(void *);
    EXPECT_NE(t.problem().find("ABI check: plugin table struct_size is"), std::string::npos)
        << t.problem();
    EXPECT_NE(t.problem().find("smaller than ABI 1.0's"), std::string::npos) << t.problem();
}

TEST(TableCheck, refuses_bad_plugin_names_and_versions) {
    Tables t;
    t.plugin.name = WARDEN_STR("");
    EXPECT_EQ(t.problem(),
              "plugin table check: plugin name '' is empty or not printable ASCII without spaces");
    t.plugin.name = WARDEN_STR("sample");
    t.plugin.version = WARDEN_STR("1.0 beta");
    EXPECT_EQ(t.problem(),
              "plugin table check: plugin version '1.0 beta' is empty or not printable ASCII "
              "without spaces");
}

TEST(TableCheck, refuses_worker_type_names_that_could_not_prefix_a_service) {
    for (const char *bad : {"", "Exec", "9lives", "two-words", "has space",
                            "a_name_that_is_much_too_long_for_a_type"}) {
        Tables t;
        t.type.name = warden_str_from_cstr(bad);
        EXPECT_EQ(t.problem(), "worker type check: worker type #0: invalid worker type name '" +
                                   std::string(bad) + "' (names are [a-z][a-z0-9_]{0,31})");
    }
}

TEST(TableCheck, refuses_a_worker_type_with_a_missing_hook) {
    Tables t;
    t.type.next = nullptr;
    EXPECT_EQ(t.problem(),
              "worker type check: worker type 'sample': a hook is NULL (create, destroy, "
              "derive_desired_state, "
              "collect_observed_state, next and execute_action are all required)");
}

TEST(TableCheck, refuses_a_worker_type_without_states) {
    Tables t;
    t.type.state_count = 0;
    EXPECT_EQ(
        t.problem(),
        "worker type check: worker type 'sample': declares no states (at least one is required)");
}

TEST(TableCheck, refuses_a_state_declared_twice) {
    Tables t;
    t.running.name = WARDEN_STR("stopped");
    EXPECT_EQ(t.problem(),
              "worker type check: worker type 'sample': state 'stopped' is declared twice");
}

TEST(TableCheck, refuses_an_initial_state_that_is_not_declared) {
    Tables t;
    t.type.initial_state = WARDEN_STR("idle");
    EXPECT_EQ(t.problem(),
              "worker type check: worker type 'sample': initial state 'idle' is not one of its "
              "states");
}

TEST(TableCheck, refuses_an_unknown_phase) {
    Tables t;
    t.running.phase = 0;
    EXPECT_EQ(t.problem(),
              "worker type check: worker type 'sample', state 'running': unknown phase 0");
}

TEST(TableCheck, refuses_an_action_declared_twice_or_badly_named) {
    Tables t;
    t.stop.name = WARDEN_STR("start");
    EXPECT_EQ(t.problem(),
              "worker type check: worker type 'sample': action 'start' is declared twice");
    t.stop.name = WARDEN_STR("Stop!");
    EXPECT_EQ(t.problem(),
              "worker type check: worker type 'sample', action #1: invalid action name 'Stop!' "
              "(names are [a-z][a-z0-9_]{0,31})");
}

TEST(TableCheck, refuses_a_state_info_smaller_than_abi_1_0) {
    Tables t;
    t.running.struct_size = 8;
    EXPECT_NE(
        t.problem().find("worker type check: worker type 'sample', state #1: struct_size 8 is "
                         "smaller"),
        std::string::npos)
        << t.problem();
}

TEST(TableCheck, refuses_one_plugin_offering_a_type_twice) {
    Tables t;
    t.plugin.worker_type_count = 2;
    EXPECT_EQ(t.problem(), "worker type check: worker type 'sample' is offered twice");
}

TEST(TableCheck, refuses_null_arrays_with_nonzero_counts) {
    Tables t;
    t.plugin.worker_types = nullptr;
    EXPECT_EQ(t.problem(), "plugin table check: worker_type_count is 1 but worker_types is NULL");
    Tables u;
    u.type.actions = nullptr;
    EXPECT_EQ(u.problem(),
              "worker type check: worker type 'sample': action_count is 2 but actions is NULL");
}

TEST(TableCheck, refuses_garbage_lengths_without_reading_the_bytes) {
    Tables t;
    t.plugin.name = warden_str{"x", size_t{1} << 62};
    EXPECT_EQ(t.problem(),
              "plugin table check: plugin name is 4611686018427387904 bytes long (at "
              "most 128)");
    Tables u;
    u.type.name = warden_str{nullptr, 5};
    EXPECT_EQ(u.problem(),
              "worker type check: worker type #0: worker type name is NULL with length 5");
    Tables v;
    v.running.description = warden_str{"d", size_t{1} << 30};
    EXPECT_EQ(v.problem(),
              "worker type check: worker type 'sample', state #1: description is "
              "1073741824 bytes long (at most 1024)");
}

TEST(TableCheck, shows_control_characters_in_names_escaped) {
    Tables t;
    t.plugin.name = WARDEN_STR("bad\ninfo plugin /fake.so loaded");
    EXPECT_EQ(t.problem(),
              "plugin table check: plugin name 'bad\\x0ainfo plugin /fake.so loaded' is "
              "empty or not printable ASCII without spaces");
}

TEST(TableCheck, makes_text_printable_and_short) {
    EXPECT_EQ(printable("plain"), "plain");
    EXPECT_EQ(printable("a\tb\\c\xff"), "a\\x09b\\\\c\\xff");
    EXPECT_EQ(printable("abcdef", 3), "abc...");
}

TEST(HostRules, recognise_one_json_object_as_a_full_parser_would) {
    using rules::json_object_problem;
    using rules::JsonProblem;
    EXPECT_EQ(json_object_problem("{}"), JsonProblem::none);
    EXPECT_EQ(json_object_problem(" {\"a\":{\"b\":[[], {}, \"\\ud83d\\ude00\"]}}\n"),
              JsonProblem::none);
    EXPECT_EQ(json_object_problem(" \t"), JsonProblem::empty);
    EXPECT_EQ(json_object_problem("[{}]"), JsonProblem::not_object);
    EXPECT_EQ(json_object_problem("null"), JsonProblem::not_object);
    for (const char *bad :
         {"{", "{}}", "{\"a\"}", "{\"a\":[1,]}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}",
          "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"\\ud800\":1}", "{\"a\":\"\\ud800\\u0041\"}",
          "{\"a\":\"\\udfff\"}", "{\"a\":\"\xe0\x80\xaf\"}", "{\"a\":\"\xed\xbf\xbf\"}",
          "{\"a\":\"\xf4\x90\x80\x80\"}", "{\"a\":\"\xc3\"}", "{\"a\":\"\x80\"}"})
        EXPECT_EQ(json_object_problem(bad), JsonProblem::invalid) << printable(bad);
    EXPECT_EQ(json_object_problem("{\"a\":\"\xf4\x8f\xbf\xbf\"}"), JsonProblem::none)
        << "U+10FFFF is the last code point";
}

TEST(HostRules, bound_json_nesting_without_deep_recursion) {
    const auto nested = [](std::size_t levels) {
        std::string text = "{\"a\":";
        text += std::string(levels - 1, '[') + std::string(levels - 1, ']') + "}";
        return text;
    };
    EXPECT_EQ(rules::json_object_problem(nested(WARDEN_MAX_JSON_DEPTH)), rules::JsonProblem::none);
    EXPECT_EQ(rules::json_object_problem(nested(WARDEN_MAX_JSON_DEPTH + 1)),
              rules::JsonProblem::too_deep);
    // A million open brackets: refused at the bound, not by a stack overflow.
    EXPECT_EQ(rules::json_object_problem("{\"a\":" + std::string(1000000, '[')),
              rules::JsonProblem::too_deep);
}

TEST(HostRules, give_a_name_to_the_worker_with_the_longest_prefix) {
    rules::ServiceScope scope;
    scope.attach("exec", "web");
    scope.attach("exec", "web-2");
    scope.attach("exec", "web-2");
    const rules::Caller web{"exec/web", "exec", "web"};
    EXPECT_FALSE(scope.admit(web, "exec-web"));
    EXPECT_FALSE(scope.admit(web, "exec-web-db"));
    EXPECT_EQ(scope.admit(web, "exec-web-2-db").status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(scope.owner("exec-web-2-db"),
              std::make_pair(std::string("exec"), std::string("web-2")));
    EXPECT_EQ(scope.owner("exec-webby"), std::nullopt);
    scope.detach("exec", "web-2");
    EXPECT_EQ(scope.admit(web, "exec-web-2").status, WARDEN_ERR_NOT_PERMITTED)
        << "web-2 was attached twice";
    scope.detach("exec", "web-2");
    EXPECT_FALSE(scope.admit(web, "exec-web-2"));
    EXPECT_EQ(scope.owner("exec-web-2"), std::make_pair(std::string("exec"), std::string("web")));
}

TEST(HostRules, apply_the_defaults_and_caps_of_plugin_h) {
    EXPECT_EQ(rules::log_lines(0), WARDEN_DEFAULT_LOG_LINES);
    EXPECT_EQ(rules::log_lines(5), 5u);
    EXPECT_EQ(rules::log_lines(WARDEN_MAX_LOG_LINES + 1), WARDEN_MAX_LOG_LINES);
    EXPECT_EQ(rules::http_timeout_ms(0), WARDEN_DEFAULT_HTTP_TIMEOUT_MS);
    EXPECT_EQ(rules::http_timeout_ms(UINT32_MAX), WARDEN_MAX_HTTP_TIMEOUT_MS);
    EXPECT_EQ(rules::command_timeout_ms(0), WARDEN_DEFAULT_COMMAND_TIMEOUT_MS);
    EXPECT_EQ(rules::command_timeout_ms(UINT32_MAX), WARDEN_MAX_COMMAND_TIMEOUT_MS);
    EXPECT_EQ(rules::action_timeout_ms(0), WARDEN_DEFAULT_ACTION_TIMEOUT_MS);
    EXPECT_EQ(rules::action_timeout_ms(7), 7u);
    EXPECT_EQ(kDefaultActionTimeoutMs, WARDEN_DEFAULT_ACTION_TIMEOUT_MS);
    EXPECT_EQ(rules::error_text(std::string(WARDEN_MAX_TEXT_BYTES + 1, 'x')).size(),
              WARDEN_MAX_TEXT_BYTES);
    EXPECT_EQ(rules::reason_text("a\nb"), "a\\x0ab");
    EXPECT_TRUE(valid_service_name(std::string(WARDEN_MAX_SERVICE_NAME_BYTES, 'a')));
    EXPECT_FALSE(valid_service_name(std::string(WARDEN_MAX_SERVICE_NAME_BYTES + 1, 'a')));
    EXPECT_TRUE(valid_fsm_name(std::string(WARDEN_MAX_NAME_BYTES, 'a')));
    EXPECT_FALSE(valid_fsm_name(std::string(WARDEN_MAX_NAME_BYTES + 1, 'a')));
    EXPECT_TRUE(rules::valid_data_path(std::string(WARDEN_MAX_FILE_PATH_BYTES, 'p')));
    EXPECT_FALSE(rules::valid_data_path(std::string(WARDEN_MAX_FILE_PATH_BYTES + 1, 'p')));
}

}  // namespace
}  // namespace warden
