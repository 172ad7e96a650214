// SPDX-License-Identifier: Apache-2.0
// host/plugins/worker_type_info.hpp — what the host copied out of a plugin's
// tables after checking them: plain values, owned by the host, so nothing
// later depends on the plugin's memory for names and descriptions.
#pragma once

#include <warden/plugin.h>
#include <warden/validation.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden::host {

struct StateInfo {
    std::string name;
    int32_t phase = 0;  // WARDEN_PHASE_*
    std::string description;
};

struct ActionInfo {
    std::string name;
    uint32_t timeout_ms = 0;  // after defaults: never 0
    std::string description;
};

struct WorkerTypeInfo {
    std::string name;
    std::string description;
    std::vector<StateInfo> states;
    std::string initial_state;
    std::vector<ActionInfo> actions;

    const StateInfo *find_state(std::string_view state) const;
    const ActionInfo *find_action(std::string_view action) const;
};

struct PluginInfo {
    std::string name;
    std::string version;
    uint32_t abi_version = 0;
    uint32_t min_host_minor = 0;
    std::vector<WorkerTypeInfo> worker_types;
};

using warden::abi_version_text;
using warden::kDefaultActionTimeoutMs;

/// "exec, benthos" — or "none" when the plugin offers no worker type.
std::string worker_type_names(const PluginInfo &info);

/// "running-healthy" for WARDEN_PHASE_RUNNING_HEALTHY; "unknown" otherwise.
std::string_view phase_name(int32_t phase);

}  // namespace warden::host
