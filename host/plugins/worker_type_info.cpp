// SPDX-License-Identifier: Apache-2.0
// host/plugins/worker_type_info.cpp
#include "plugins/worker_type_info.hpp"

namespace warden::host {

const StateInfo *WorkerTypeInfo::find_state(std::string_view state) const {
    for (const auto &s : states)
        if (s.name == state) return &s;
    return nullptr;
}

const ActionInfo *WorkerTypeInfo::find_action(std::string_view action) const {
    for (const auto &a : actions)
        if (a.name == action) return &a;
    return nullptr;
}

std::string worker_type_names(const PluginInfo &info) {
    if (info.worker_types.empty()) return "none";
    std::string names;
    for (const auto &type : info.worker_types) names += (names.empty() ? "" : ", ") + type.name;
    return names;
}

std::string_view phase_name(int32_t phase) {
    switch (phase) {
        case WARDEN_PHASE_STOPPED: return "stopped";
        case WARDEN_PHASE_STARTING: return "starting";
        case WARDEN_PHASE_RUNNING_HEALTHY: return "running-healthy";
        case WARDEN_PHASE_RUNNING_DEGRADED: return "running-degraded";
        case WARDEN_PHASE_STOPPING: return "stopping";
        default: return "unknown";
    }
}

}  // namespace warden::host
