// SPDX-License-Identifier: Apache-2.0
// host/plugins/worker_type.cpp
#include "plugins/worker_type.hpp"

#include "common/clock.hpp"
#include "plugin_services/host_services.hpp"
#include "plugin_services/json_document.hpp"
#include "plugin_services/service_gate.hpp"
#include "plugins/plugin_loader.hpp"

#include <warden/host_rules.hpp>

#include <spdlog/spdlog.h>

#include <utility>

namespace warden::host {
namespace {

warden_str c_str(std::string_view s) {
    return warden_str{s.data(), s.size()};
}

// A warden_identity and a warden_snapshot pointing into host-owned strings;
// valid while the strings it was made from are.
class CSnapshot {
public:
    CSnapshot(const WorkerIdentity &id, const WorkerSnapshot &s) {
        identity_.type = c_str(id.type);
        identity_.name = c_str(id.name);
        identity_.created_at_ns = id.created_at_ns;
        snapshot_.identity = &identity_;
        snapshot_.state = c_str(s.state);
        snapshot_.state_since_ns = s.state_since_ns;
        snapshot_.now_ns = s.now_ns;
        snapshot_.desired_state = s.desired_state;
        snapshot_.flags = s.shutdown_requested ? WARDEN_SNAPSHOT_SHUTDOWN_REQUESTED : 0u;
        snapshot_.desired_json = c_str(s.desired_json);
        snapshot_.observed_json = c_str(s.observed_json);
        snapshot_.observed_at_ns = s.observed_at_ns;
        snapshot_.last_action = c_str(s.last_action);
        snapshot_.last_action_status = s.last_action_status;
        snapshot_.last_action_error = c_str(s.last_action_error);
        snapshot_.last_action_finished_ns = s.last_action_finished_ns;
    }
    CSnapshot(const CSnapshot &) = delete;
    CSnapshot &operator=(const CSnapshot &) = delete;

    const warden_snapshot *get() const { return &snapshot_; }

private:
    warden_identity identity_ = WARDEN_INIT(warden_identity);
    warden_snapshot snapshot_ = WARDEN_INIT(warden_snapshot);
};

warden_identity c_identity(const WorkerIdentity &id) {
    warden_identity c = WARDEN_INIT(warden_identity);
    c.type = c_str(id.type);
    c.name = c_str(id.name);
    c.created_at_ns = id.created_at_ns;
    return c;
}

warden_host_ctx worker_context(const WorkerIdentity &id) {
    return warden_host_ctx{id.type + "/" + id.name, id.type, id.name};
}

// Calls one hook: collects what it says through set_error, and stops any C++
// exception a plugin built without the SDK's wrapper lets escape [WP-ABI-4].
struct HookOutcome {
    warden_status status;
    std::string error;
};

template <typename Hook>
HookOutcome call_hook(Hook &&hook) noexcept {
    try {
        HookError error;
        const warden_status status = hook();
        return {status, status == WARDEN_OK ? std::string() : error.take()};
    } catch (const std::exception &e) {
        return {WARDEN_ERR,
                "a C++ exception crossed the plugin boundary: " + std::string(e.what())};
    } catch (...) {
        return {WARDEN_ERR, "a C++ exception crossed the plugin boundary"};
    }
}

}  // namespace

PluginWorker::PluginWorker(const WorkerType &type, WorkerIdentity identity, ServiceGate *gate)
    : plugin_(type.plugin_.shared_from_this()),
      type_(type),
      identity_(std::move(identity)),
      ctx_(worker_context(identity_)) {
    ctx_.gate = gate;
    ctx_.ports = gate != nullptr ? gate->ports() : nullptr;
    ctx_.figures = gate != nullptr ? gate->figures() : nullptr;
    if (gate != nullptr) gate->attach(identity_.type, identity_.name);
}

PluginWorker::~PluginWorker() {
    if (ctx_.gate != nullptr) ctx_.gate->detach(identity_.type, identity_.name);
    if (handle_ == nullptr) return;
    const HookOutcome destroyed = call_hook([&] {
        type_.table_.destroy(handle_);
        return WARDEN_OK;
    });
    if (destroyed.status != WARDEN_OK)
        spdlog::error("{}",
                      type_.hook_failed("destroy", destroyed.status, destroyed.error).message);
}

WorkerType::WorkerType(const warden_worker_type &table, WorkerTypeInfo info,
                       const LoadedPlugin &plugin)
    : table_(table), info_(std::move(info)), plugin_(plugin) {
    if (WARDEN_HAS_FIELD(&table, warden_worker_type, check_config))
        check_config_ = table.check_config;
}

const std::string &WorkerType::plugin_name() const {
    return plugin_.info().name;
}

Error WorkerType::hook_failed(std::string_view hook, warden_status status, std::string text) const {
    return fail("worker type '", info_.name, "' (plugin ", plugin_name(), "): ", hook, " failed (",
                warden_status_name(status),
                "): ", text.empty() ? "it gave no reason" : rules::log_text(text));
}

// Checked on every observation (json_document.hpp).
Result<std::string> WorkerType::json_object(std::string_view hook, std::string text) const {
    Result<std::string> document = finish_document(hook, std::move(text));
    if (!document)
        return fail("worker type '", info_.name, "' (plugin ", plugin_name(),
                    "): ", document.error().message);
    return document;
}

Result<std::unique_ptr<PluginWorker>> WorkerType::create(WorkerIdentity identity,
                                                         ServiceGate *gate) const {
    std::unique_ptr<PluginWorker> worker(new PluginWorker(*this, std::move(identity), gate));
    const warden_identity id = c_identity(worker->identity_);
    const HookOutcome created =
        call_hook([&] { return table_.create(&worker->ctx_, &id, &worker->handle_); });
    if (created.status != WARDEN_OK) {
        worker->handle_ = nullptr;
        return hook_failed("create", created.status, created.error);
    }
    if (worker->handle_ == nullptr)
        return hook_failed("create", WARDEN_ERR, "it returned success but no worker");
    return worker;
}

Result<std::string> WorkerType::derive_desired(const WorkerIdentity &identity,
                                               std::string_view config_json) const {
    warden_host_ctx ctx = worker_context(identity);
    const warden_identity id = c_identity(identity);
    warden_json_sink sink;
    const HookOutcome derived = call_hook(
        [&] { return table_.derive_desired_state(&ctx, &id, c_str(config_json), &sink); });
    // A config the plugin refuses is the user's to fix: its words alone.
    if (derived.status == WARDEN_ERR_INVALID_ARGUMENT && !derived.error.empty())
        return fail_as(ErrorKind::invalid_argument, rules::log_text(derived.error));
    if (derived.status != WARDEN_OK)
        return hook_failed("derive_desired_state", derived.status, derived.error);
    return json_object("derive_desired_state", std::move(sink.text));
}

Result<std::string> WorkerType::collect(PluginWorker &worker, const WorkerSnapshot &snapshot,
                                        const warden_cancel &cancel) const {
    const CSnapshot c(worker.identity_, snapshot);
    warden_json_sink sink;
    const HookOutcome collected = call_hook(
        [&] { return table_.collect_observed_state(worker.handle_, c.get(), &cancel, &sink); });
    if (collected.status != WARDEN_OK)
        return hook_failed("collect_observed_state", collected.status, collected.error);
    return json_object("collect_observed_state", std::move(sink.text));
}

Result<Decision> WorkerType::next(PluginWorker &worker, const WorkerSnapshot &snapshot) const {
    const CSnapshot c(worker.identity_, snapshot);
    warden_decision_sink sink(table_);
    const HookOutcome decided =
        call_hook([&] { return table_.next(worker.handle_, c.get(), &sink); });
    if (sink.refused) return hook_failed("next", WARDEN_ERR_INVALID_ARGUMENT, sink.error);
    if (decided.status != WARDEN_OK) return hook_failed("next", decided.status, decided.error);
    return std::move(sink.decision);
}

Result<void> WorkerType::execute(PluginWorker &worker, std::string_view action,
                                 const WorkerSnapshot &snapshot,
                                 const warden_cancel &cancel) const {
    if (info_.find_action(action) == nullptr)
        return fail("worker type '", info_.name, "' (plugin ", plugin_name(), "): no action '",
                    printable(action), "'");
    const CSnapshot c(worker.identity_, snapshot);
    const HookOutcome executed = call_hook(
        [&] { return table_.execute_action(worker.handle_, c_str(action), c.get(), &cancel); });
    if (executed.status != WARDEN_OK)
        return hook_failed("execute_action(" + std::string(action) + ")", executed.status,
                           executed.error);
    return {};
}

// No thread cancels a check: the deadline is what the hook (and any
// command it runs) is held to.
constexpr int64_t kCheckConfigBudgetNs = int64_t{WARDEN_MAX_CHECK_CONFIG_MS} * 1'000'000;

Result<void> WorkerType::check_config(const WorkerIdentity &identity, std::string_view desired_json,
                                      PortRegistry &ports) const {
    if (check_config_ == nullptr) return {};
    warden_host_ctx ctx = worker_context(identity);
    ctx.ports = &ports;
    const warden_identity id = c_identity(identity);
    warden_cancel cancel;
    cancel.deadline_ns = monotonic_ns() + kCheckConfigBudgetNs;
    const HookOutcome checked =
        call_hook([&] { return check_config_(&ctx, &id, c_str(desired_json), &cancel); });
    if (checked.status == WARDEN_OK) return {};
    // A config the plugin refuses is the user's to fix: its words alone.
    if ((checked.status == WARDEN_ERR_INVALID_ARGUMENT || checked.status == WARDEN_ERR_CONFLICT) &&
        !checked.error.empty())
        return fail_as(checked.status == WARDEN_ERR_CONFLICT ? ErrorKind::conflict
                                                             : ErrorKind::invalid_argument,
                       rules::log_text(checked.error));
    return hook_failed("check_config", checked.status, checked.error);
}

}  // namespace warden::host
