// SPDX-License-Identifier: Apache-2.0
// host/plugins/worker_type.hpp — calling a plugin's worker type from C++.
//
// WorkerType wraps one checked warden_worker_type table. Each method calls
// one hook the way the ABI asks (copying inputs into C structs, collecting
// set_error, checking what the hook produced) and returns a Result whose
// error names the worker type, the hook and the cause. PluginWorker owns one
// worker the plugin made and destroys it.
//
// THREADING: WorkerType is immutable and may be shared. The per-worker rules
// of the ABI [WP-THR-*] are the caller's: for one PluginWorker, do not
// overlap collect with collect, execute with execute, or create/destroy with
// anything.
#pragma once

#include "common/result.hpp"
#include "plugin_services/handles.hpp"
#include "plugins/worker_type_info.hpp"

#include <warden/plugin.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace warden::host {

/// Who a worker is.
struct WorkerIdentity {
    std::string type;
    std::string name;
    int64_t created_at_ns = 0;  // unix time
};

/// Everything handed to collect, next and execute (see warden_snapshot).
struct WorkerSnapshot {
    std::string state;
    int64_t state_since_ns = 0;
    int64_t now_ns = 0;
    int32_t desired_state = WARDEN_DESIRED_RUNNING;
    bool shutdown_requested = false;
    std::string desired_json;
    std::string observed_json;
    int64_t observed_at_ns = 0;
    std::string last_action;
    warden_status last_action_status = WARDEN_OK;
    std::string last_action_error;
    int64_t last_action_finished_ns = 0;
};

class LoadedPlugin;
class PortRegistry;
class ServiceGate;
class WorkerType;

/// One worker made by a plugin; destroyed with it. It keeps its plugin
/// loaded: the plugin's shutdown runs only after its last worker is gone.
class PluginWorker {
public:
    ~PluginWorker();
    PluginWorker(const PluginWorker &) = delete;
    PluginWorker &operator=(const PluginWorker &) = delete;

    const WorkerIdentity &identity() const { return identity_; }

private:
    friend class WorkerType;
    PluginWorker(const WorkerType &type, WorkerIdentity identity, ServiceGate *gate);

    std::shared_ptr<const LoadedPlugin> plugin_;
    const WorkerType &type_;
    WorkerIdentity identity_;
    warden_host_ctx ctx_;
    warden_worker *handle_ = nullptr;
};

class WorkerType {
public:
    /// `table` must have passed warden::check_plugin_table, and `info` be
    /// what read_plugin_table copied from it. Owned by `plugin`.
    WorkerType(const warden_worker_type &table, WorkerTypeInfo info, const LoadedPlugin &plugin);

    const WorkerTypeInfo &info() const { return info_; }
    const std::string &name() const { return info_.name; }
    /// The name of the plugin that offers this type.
    const std::string &plugin_name() const;

    /// Makes a worker. Its service operations go through `gate` (which must
    /// outlive it), and so do its ports and the figures it publishes;
    /// without a gate they are refused as unsupported.
    Result<std::unique_ptr<PluginWorker>> create(WorkerIdentity identity,
                                                 ServiceGate *gate = nullptr) const;

    /// The desired-state JSON object for a worker's config (JSON). Needs no
    /// worker: used by config checks too. A config the plugin refuses is an
    /// invalid_argument error whose message is the plugin's own words.
    Result<std::string> derive_desired(const WorkerIdentity &identity,
                                       std::string_view config_json) const;

    /// The observed-state JSON object.
    Result<std::string> collect(PluginWorker &worker, const WorkerSnapshot &snapshot,
                                const warden_cancel &cancel) const;

    /// The decision; an error when next fails or decides something invalid
    /// (a state and an action, an undeclared name).
    Result<Decision> next(PluginWorker &worker, const WorkerSnapshot &snapshot) const;

    Result<void> execute(PluginWorker &worker, std::string_view action,
                         const WorkerSnapshot &snapshot, const warden_cancel &cancel) const;

    /// Whether the type offers the optional check_config hook (ABI 1.2).
    bool has_check_config() const { return check_config_ != nullptr; }

    /// Checks a worker's desired state (JSON) the way deploying it would,
    /// with no worker made, as `warden --check-config` does: its ports are
    /// reserved in `ports` (a scratch registry the caller shares among the
    /// workers of one check), and the hook has WARDEN_MAX_CHECK_CONFIG_MS
    /// (60 s). A config the plugin refuses (invalid argument, conflict) is an
    /// error of that kind whose message is the plugin's own words. Without
    /// the hook: success.
    Result<void> check_config(const WorkerIdentity &identity, std::string_view desired_json,
                              PortRegistry &ports) const;

private:
    friend class PluginWorker;

    Error hook_failed(std::string_view hook, warden_status status, std::string text) const;
    Result<std::string> json_object(std::string_view hook, std::string text) const;

    const warden_worker_type &table_;
    warden_worker_check_config_fn check_config_ = nullptr;  // within struct_size, or none
    WorkerTypeInfo info_;
    const LoadedPlugin &plugin_;
};

}  // namespace warden::host
