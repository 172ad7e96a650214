// tests/unit/abi_check_test.cpp — every rule of the ABI check, on tables
// built in memory.
#include "plugins/abi_check.hpp"

#include <gtest/gtest.h>

namespace warden::host {
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

    std::string abi_error() const {
        auto r = check_abi(plugin);
        return r.ok() ? "accepted" : r.error().message;
    }
    std::string table_error() const {
        auto r = read_plugin_table(plugin);
        return r.ok() ? "accepted" : r.error().message;
    }

    warden_state_info stopped, running;
    const warden_state_info *states[2] = {&stopped, &running};
    warden_action_info start, stop;
    const warden_action_info *actions[2] = {&start, &stop};
    warden_worker_type type;
    const warden_worker_type *types[2] = {&type, &type};
    warden_plugin plugin;
};

TEST(AbiCheck, accepts_a_valid_table_and_copies_what_it_declares) {
    Tables t;
    ASSERT_EQ(t.abi_error(), "accepted");
    auto info = read_plugin_table(t.plugin);
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_EQ(info->name, "sample");
    EXPECT_EQ(info->version, "2.4.1");
    ASSERT_EQ(info->worker_types.size(), 1u);
    const WorkerTypeInfo &type = info->worker_types[0];
    EXPECT_EQ(type.name, "sample");
    EXPECT_EQ(type.initial_state, "stopped");
    ASSERT_EQ(type.states.size(), 2u);
    EXPECT_EQ(type.states[1].phase, WARDEN_PHASE_RUNNING_HEALTHY);
    ASSERT_EQ(type.actions.size(), 2u);
    EXPECT_EQ(type.find_action("start")->timeout_ms, kDefaultActionTimeoutMs);
    EXPECT_EQ(type.find_action("stop")->timeout_ms, 5000u);
}

TEST(AbiCheck, refuses_the_wrong_magic_before_anything_else) {
    Tables t;
    t.plugin.magic = 0xdeadbeef;
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(9, 0);
    EXPECT_EQ(t.abi_error(),
              "magic is 0xdeadbeef, expected 0x57444e50 (not a Warden plugin table)");
}

TEST(AbiCheck, refuses_a_table_smaller_than_its_fixed_head) {
    Tables t;
    t.plugin.struct_size = 12;
    EXPECT_EQ(t.abi_error(),
              "plugin table struct_size is 12, too small for even its fixed head (48 bytes)");
}

TEST(AbiCheck, refuses_another_major_version_older_or_newer) {
    Tables t;
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(2, 1);
    EXPECT_EQ(t.abi_error(), "built for ABI 2.1, this host speaks ABI 1.0 (major versions differ)");
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(0, 9);
    EXPECT_EQ(t.abi_error(), "built for ABI 0.9, this host speaks ABI 1.0 (major versions differ)");
}

TEST(AbiCheck, accepts_a_newer_minor_plugin_that_accepts_this_host) {
    Tables t;
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(1, 7);
    t.plugin.min_host_minor = 0;
    t.plugin.struct_size = sizeof(warden_plugin) + 16;  // fields this host does not know
    EXPECT_EQ(t.abi_error(), "accepted");
}

TEST(AbiCheck, refuses_a_plugin_that_needs_a_newer_host_minor) {
    Tables t;
    t.plugin.abi_version = WARDEN_MAKE_ABI_VERSION(1, 4);
    t.plugin.min_host_minor = 3;
    EXPECT_EQ(t.abi_error(), "needs a host speaking ABI 1.3 or newer, this host speaks ABI 1.0");
    auto newer_host = check_abi(t.plugin, WARDEN_MAKE_ABI_VERSION(1, 3));
    EXPECT_TRUE(newer_host.ok());
}

TEST(AbiCheck, refuses_a_table_shorter_than_abi_1_0) {
    Tables t;
    t.plugin.struct_size = sizeof(warden_plugin) - sizeof(void *);
    EXPECT_NE(t.abi_error().find("smaller than ABI 1.0's"), std::string::npos) << t.abi_error();
}

TEST(AbiCheck, refuses_bad_plugin_names_and_versions) {
    Tables t;
    t.plugin.name = WARDEN_STR("");
    EXPECT_EQ(t.table_error(),
              "plugin name '' is empty, too long or not printable ASCII without spaces");
    t.plugin.name = WARDEN_STR("sample");
    t.plugin.version = WARDEN_STR("1.0 beta");
    EXPECT_EQ(t.table_error(),
              "plugin version '1.0 beta' is empty, too long or not printable ASCII without spaces");
}

TEST(AbiCheck, refuses_worker_type_names_that_could_not_prefix_a_service) {
    for (const char *bad : {"", "Exec", "9lives", "two-words", "has space",
                            "a_name_that_is_much_too_long_for_a_type"}) {
        Tables t;
        t.type.name = warden_str_from_cstr(bad);
        EXPECT_EQ(t.table_error(), "worker type #0: invalid worker type name '" + std::string(bad) +
                                       "' (names are [a-z][a-z0-9_]{0,31})");
    }
}

TEST(AbiCheck, refuses_a_worker_type_with_a_missing_hook) {
    Tables t;
    t.type.next = nullptr;
    EXPECT_EQ(t.table_error(),
              "worker type 'sample': a hook is NULL (create, destroy, derive_desired_state, "
              "collect_observed_state, next and execute_action are all required)");
}

TEST(AbiCheck, refuses_a_worker_type_without_states) {
    Tables t;
    t.type.state_count = 0;
    EXPECT_EQ(t.table_error(),
              "worker type 'sample': declares no states (at least one is required)");
}

TEST(AbiCheck, refuses_a_state_declared_twice) {
    Tables t;
    t.running.name = WARDEN_STR("stopped");
    EXPECT_EQ(t.table_error(), "worker type 'sample': state 'stopped' is declared twice");
}

TEST(AbiCheck, refuses_an_initial_state_that_is_not_declared) {
    Tables t;
    t.type.initial_state = WARDEN_STR("idle");
    EXPECT_EQ(t.table_error(),
              "worker type 'sample': initial state 'idle' is not one of its states");
}

TEST(AbiCheck, refuses_an_unknown_phase) {
    Tables t;
    t.running.phase = 0;
    EXPECT_EQ(t.table_error(), "worker type 'sample', state 'running': unknown phase 0");
}

TEST(AbiCheck, refuses_an_action_declared_twice_or_badly_named) {
    Tables t;
    t.stop.name = WARDEN_STR("start");
    EXPECT_EQ(t.table_error(), "worker type 'sample': action 'start' is declared twice");
    t.stop.name = WARDEN_STR("Stop!");
    EXPECT_EQ(t.table_error(),
              "worker type 'sample', action #1: invalid action name 'Stop!' "
              "(names are [a-z][a-z0-9_]{0,31})");
}

TEST(AbiCheck, refuses_a_state_info_smaller_than_abi_1_0) {
    Tables t;
    t.running.struct_size = 8;
    EXPECT_NE(t.table_error().find("worker type 'sample', state #1: struct_size 8 is smaller"),
              std::string::npos)
        << t.table_error();
}

TEST(AbiCheck, refuses_one_plugin_offering_a_type_twice) {
    Tables t;
    t.plugin.worker_type_count = 2;
    EXPECT_EQ(t.table_error(), "worker type 'sample' is offered twice");
}

TEST(AbiCheck, refuses_null_arrays_with_nonzero_counts) {
    Tables t;
    t.plugin.worker_types = nullptr;
    EXPECT_EQ(t.table_error(), "worker_type_count is 1 but worker_types is NULL");
    Tables u;
    u.type.actions = nullptr;
    EXPECT_EQ(u.table_error(), "worker type 'sample': action_count is 2 but actions is NULL");
}

}  // namespace
}  // namespace warden::host
