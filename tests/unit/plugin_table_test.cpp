// SPDX-License-Identifier: Apache-2.0
// tests/unit/plugin_table_test.cpp — what the host copies out of a checked
// plugin table.
#include "plugins/plugin_table.hpp"

#include <gtest/gtest.h>

namespace warden::host {
namespace {

warden_status create(warden_host_ctx *, const warden_identity *, warden_worker **) {
    return 0;
}

TEST(PluginTable, copies_names_states_and_actions_and_applies_default_timeouts) {
    warden_state_info stopped = WARDEN_INIT(warden_state_info);
    stopped.name = WARDEN_STR("stopped");
    stopped.phase = WARDEN_PHASE_STOPPED;
    stopped.description = WARDEN_STR("nothing runs");
    const warden_state_info *states[] = {&stopped};
    warden_action_info start = WARDEN_INIT(warden_action_info);
    start.name = WARDEN_STR("start");
    warden_action_info stop = WARDEN_INIT(warden_action_info);
    stop.name = WARDEN_STR("stop");
    stop.timeout_ms = 5000;
    const warden_action_info *actions[] = {&start, &stop};
    warden_worker_type type = WARDEN_INIT(warden_worker_type);
    type.name = WARDEN_STR("sample");
    type.states = states;
    type.state_count = 1;
    type.initial_state = WARDEN_STR("stopped");
    type.actions = actions;
    type.action_count = 2;
    type.create = create;
    const warden_worker_type *types[] = {&type};
    warden_plugin plugin = WARDEN_INIT(warden_plugin);
    plugin.abi_version = WARDEN_MAKE_ABI_VERSION(1, 4);
    plugin.name = WARDEN_STR("sample");
    plugin.version = WARDEN_STR("2.4.1");
    plugin.worker_types = types;
    plugin.worker_type_count = 1;

    const PluginInfo info = read_plugin_table(plugin);
    EXPECT_EQ(info.name, "sample");
    EXPECT_EQ(info.version, "2.4.1");
    EXPECT_EQ(abi_version_text(info.abi_version), "1.4");
    ASSERT_EQ(info.worker_types.size(), 1u);
    const WorkerTypeInfo &t = info.worker_types[0];
    EXPECT_EQ(t.initial_state, "stopped");
    ASSERT_NE(t.find_state("stopped"), nullptr);
    EXPECT_EQ(t.find_state("stopped")->description, "nothing runs");
    EXPECT_EQ(t.find_state("running"), nullptr);
    EXPECT_EQ(t.find_action("start")->timeout_ms, WARDEN_DEFAULT_ACTION_TIMEOUT_MS);
    EXPECT_EQ(t.find_action("stop")->timeout_ms, 5000u);
    EXPECT_EQ(worker_type_names(info), "sample");
}

}  // namespace
}  // namespace warden::host
