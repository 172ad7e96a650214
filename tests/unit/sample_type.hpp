// SPDX-License-Identifier: Apache-2.0
// tests/unit/sample_type.hpp — a worker type's table with states "stopped"
// and "running" and action "start", for the tests of the decision sinks.
#pragma once

#include <warden/plugin.h>

#include <string_view>

namespace warden::test {

struct SampleType {
    /// `type_name` names the table; it must outlive it (a literal).
    explicit SampleType(std::string_view type_name = "sample") {
        stopped.name = WARDEN_STR("stopped");
        stopped.phase = WARDEN_PHASE_STOPPED;
        running.name = WARDEN_STR("running");
        running.phase = WARDEN_PHASE_RUNNING_HEALTHY;
        start.name = WARDEN_STR("start");
        table.name = warden_str{type_name.data(), type_name.size()};
        table.states = states;
        table.state_count = 2;
        table.initial_state = WARDEN_STR("stopped");
        table.actions = actions;
        table.action_count = 1;
    }
    SampleType(const SampleType &) = delete;

    warden_state_info stopped = WARDEN_INIT(warden_state_info);
    warden_state_info running = WARDEN_INIT(warden_state_info);
    const warden_state_info *states[2] = {&stopped, &running};
    warden_action_info start = WARDEN_INIT(warden_action_info);
    const warden_action_info *actions[1] = {&start};
    warden_worker_type table = WARDEN_INIT(warden_worker_type);
};

}  // namespace warden::test
