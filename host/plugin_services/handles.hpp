// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/handles.hpp — the host's definitions of the ABI's opaque
// handles. plugin.h declares these structs without a body; a plugin only ever
// holds pointers to them and passes them back to host services.
//
// OWNERSHIP: all of them belong to the host. A context lives as long as its
// plugin (LoadedPlugin) or worker (PluginWorker); a sink or a cancel token
// lives for the one hook call it is made for.
#pragma once

#include <warden/plugin.h>
#include <warden/host_rules.hpp>

#include <atomic>
#include <cstdint>
#include <string>

namespace warden::host {
class PluginFigures;
class PortRegistry;
class ServiceGate;
}  // namespace warden::host

/// Who calls a host service: a plugin, or one worker of it.
struct warden_host_ctx {
    std::string label;        // "plugin exec" or "exec/sleeper", for logs and errors
    std::string worker_type;  // empty for a plugin's own context
    std::string worker_name;
    warden::host::ServiceGate *gate = nullptr;    // where its service operations go; none: refused
    warden::host::PortRegistry *ports = nullptr;  // where its ports are reserved; none: refused
    warden::host::PluginFigures *figures = nullptr;  // where it publishes figures; none: refused
};

/// Receives the JSON document a derive or collect hook writes.
struct warden_json_sink {
    std::string text;
};

namespace warden::host {

/// The caller as the SDK's rules see it; valid while `ctx` is.
inline rules::Caller caller_of(const warden_host_ctx &ctx) {
    return rules::Caller{ctx.label, ctx.worker_type, ctx.worker_name};
}

/// What one `next` decided, copied out of the plugin's warden_decision.
struct Decision {
    std::string state;
    std::string action;
    std::string reason;
    int32_t signal = WARDEN_SIGNAL_NONE;
};

}  // namespace warden::host

/// Receives the decision of one `next`, and checks it against the type.
struct warden_decision_sink {
    explicit warden_decision_sink(const warden_worker_type &worker_type) : type(&worker_type) {}
    const warden_worker_type *type;  // checked at load: see warden::check_plugin_table
    bool submitted = false;
    bool refused = false;  // a submitted decision was refused: a plugin error
    warden::host::Decision decision;
    std::string error;  // why it was refused, when that could be said
};

/// The host's request that a running hook stop, and its deadline.
/// THREADING: `requested` may be set from any thread while the hook runs.
struct warden_cancel {
    std::atomic<bool> requested{false};
    int64_t deadline_ns = INT64_MAX;  // monotonic
};
