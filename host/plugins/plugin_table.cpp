// SPDX-License-Identifier: Apache-2.0
// host/plugins/plugin_table.cpp
#include "plugins/plugin_table.hpp"

#include <warden/host_rules.hpp>
#include <warden/validation.hpp>

namespace warden::host {
namespace {

std::string copy(const warden_str &s) {
    return s.len == 0 ? std::string() : std::string(s.ptr, s.len);
}

WorkerTypeInfo read_worker_type(const warden_worker_type &t) {
    WorkerTypeInfo info;
    info.name = copy(t.name);
    info.description = copy(t.description);
    for (uint32_t i = 0; i < t.state_count; ++i)
        info.states.push_back(
            StateInfo{copy(t.states[i]->name), t.states[i]->phase, copy(t.states[i]->description)});
    info.initial_state = copy(t.initial_state);
    for (uint32_t i = 0; i < t.action_count; ++i) {
        const warden_action_info &a = *t.actions[i];
        info.actions.push_back(
            ActionInfo{copy(a.name), rules::action_timeout_ms(a.timeout_ms), copy(a.description)});
    }
    return info;
}

}  // namespace

PluginInfo read_plugin_table(const warden_plugin &table) {
    PluginInfo info;
    info.name = copy(table.name);
    info.version = copy(table.version);
    info.abi_version = table.abi_version;
    info.min_host_minor = table.min_host_minor;
    for (uint32_t i = 0; i < table.worker_type_count; ++i)
        info.worker_types.push_back(read_worker_type(*table.worker_types[i]));
    return info;
}

}  // namespace warden::host
