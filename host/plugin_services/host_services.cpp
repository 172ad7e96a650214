// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/host_services.cpp — the table of host services, every
// slot of ABI 1.5 filled: logging, errors, clocks, sinks and cancellation
// (1.0); the service (s6) operations, through the caller's ServiceGate (1.1);
// the HTTP probe, port reservations, service log reads and command runs (1.2,
// the first three through host_tools.hpp, log reads through the gate; the
// probe takes PUT from 1.3); service accounts (1.4); published figures
// (1.5, through host_tools.hpp into the worker's PluginFigures). Every rule
// a call meets first is the SDK's (warden/host_rules.hpp), shared with the
// fake host.
#include "plugin_services/host_services.hpp"

#include "common/clock.hpp"

#include "plugin_services/handles.hpp"
#include "plugin_services/host_tools.hpp"
#include "plugin_services/service_gate.hpp"

#include <warden/host_rules.hpp>
#include <warden/validation.hpp>

#include <spdlog/spdlog.h>

#include <time.h>

#include <cstddef>
#include <mutex>
#include <optional>
#include <string_view>

namespace warden::host {
namespace {

thread_local std::string t_hook_error;     // set_error, read by HookError
thread_local std::string t_service_error;  // why the last host service failed

// Who the host is for service accounts (set_service_accounts).
struct ServiceAccounts {
    std::mutex mutex;
    std::optional<rules::HostAccount> host;  // made at first use: this process
    const rules::AccountDirectory *accounts = nullptr;
};
ServiceAccounts &service_accounts() {
    static ServiceAccounts accounts;
    return accounts;
}

using rules::text_of;

spdlog::level::level_enum spdlog_level(int32_t level) {
    switch (level) {
        case WARDEN_LOG_TRACE: return spdlog::level::trace;
        case WARDEN_LOG_DEBUG: return spdlog::level::debug;
        case WARDEN_LOG_INFO: return spdlog::level::info;
        case WARDEN_LOG_WARN: return spdlog::level::warn;
        default: return spdlog::level::err;
    }
}

const char *label_of(const warden_host_ctx *ctx) {
    return ctx == nullptr ? "unknown plugin" : ctx->label.c_str();
}

// Every service is noexcept: nothing the host does may throw into a
// plugin's C frames. Allocation failure is the only thing that could.

bool log_enabled(warden_host_ctx *, int32_t level) noexcept {
    return spdlog::default_logger_raw()->should_log(spdlog_level(level));
}

// One line per call: control characters in a plugin's message are escaped.
void log_write(warden_host_ctx *ctx, int32_t level, warden_str message) noexcept {
    try {
        spdlog::default_logger_raw()->log(spdlog_level(level), "[{}] {}", label_of(ctx),
                                          rules::log_text(text_of(message)));
    } catch (...) {
    }
}

void set_error(warden_host_ctx *, warden_str message) noexcept {
    try {
        t_hook_error = rules::error_text(text_of(message));
    } catch (...) {
        t_hook_error.clear();
    }
}

// The callback gets a copy: it may call host services, which change the
// thread's text.
void last_service_error(warden_host_ctx *, warden_receive_fn on_text, void *user) noexcept {
    if (on_text == nullptr) return;
    try {
        const std::string text = t_service_error;
        on_text(user, warden_str{text.data(), text.size()});
    } catch (...) {
        on_text(user, warden_str{nullptr, 0});
    }
}

int64_t host_monotonic_ns() noexcept {
    return monotonic_ns();
}
int64_t host_unix_ns() noexcept {
    return unix_ns();
}

// Records why a service failed for last_service_error, and returns `status`.
warden_status service_failed(warden_status status, const char *text) noexcept {
    try {
        t_service_error = text;
    } catch (...) {
        t_service_error.clear();
    }
    return status;
}

// Records a refusal of one of the SDK's rules for last_service_error.
warden_status refused(const rules::Refusal &refusal) noexcept {
    try {
        t_service_error = refusal.text;
    } catch (...) {
        t_service_error.clear();
    }
    return refusal.status;
}

warden_status json_sink_write(warden_json_sink *sink, warden_str text) noexcept {
    t_service_error.clear();
    try {
        return refused(rules::append_json(sink == nullptr ? nullptr : &sink->text, text));
    } catch (...) {
        return service_failed(WARDEN_ERR, "json_sink_write: out of memory");
    }
}

// A refused decision stays refused: the sink keeps the first error, and the
// caller treats it as a plugin error whatever `next` returns [WP-FSM-3].
warden_status decision_submit(warden_decision_sink *sink, const warden_decision *d) noexcept {
    t_service_error.clear();
    if (sink == nullptr || d == nullptr)
        return service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                              "decision_submit: NULL sink or decision");
    try {
        std::string problem = decision_problem(*sink->type, *d, sink->submitted);
        sink->submitted = true;
        if (!problem.empty()) {
            sink->refused = true;
            if (sink->error.empty()) sink->error = problem;
            t_service_error = std::move(problem);
            return WARDEN_ERR_INVALID_ARGUMENT;
        }
        // The reason goes into the log and the status: one line, bounded.
        sink->decision = Decision{std::string(text_of(d->state)), std::string(text_of(d->action)),
                                  rules::reason_text(text_of(d->reason)), d->signal};
        return WARDEN_OK;
    } catch (...) {
        sink->submitted = true;
        sink->refused = true;
        return service_failed(WARDEN_ERR, "decision_submit: out of memory");
    }
}

// A caller the host gave no gate. A plugin's own context is refused as a
// gate refuses it (its name first, then: not a worker), with the same
// warning audit line; a worker context made without a scan dir (for
// derive_desired_state and check_config) offers no service operation.
warden_status without_gate(const warden_host_ctx *ctx, const char *operation,
                           std::string_view name) {
    if (ctx == nullptr || !ctx->worker_type.empty()) return refused(rules::no_services());
    static const rules::ServiceScope no_workers;
    const rules::Refusal refusal = no_workers.admit(caller_of(*ctx), name);
    if (refusal.status == WARDEN_ERR_NOT_PERMITTED)
        spdlog::warn("audit worker={} operation={} service={} result=\"{}\" duration_us=0: {}",
                     ctx->label, operation, printable(name, 80), warden_status_name(refusal.status),
                     refusal.text);
    return refused(refusal);
}

// The service slots hand the call to the calling worker's gate.
template <typename Call>
warden_status through_gate(warden_host_ctx *ctx, const char *operation, std::string_view name,
                           Call &&call) noexcept {
    try {
        if (ctx == nullptr || ctx->gate == nullptr) return without_gate(ctx, operation, name);
        return call(*ctx->gate);
    } catch (...) {
        return service_failed(WARDEN_ERR, "service operation failed: out of memory");
    }
}

warden_status service_create(warden_host_ctx *ctx, const warden_service_spec *spec) noexcept {
    if (spec == nullptr && (ctx == nullptr || ctx->gate == nullptr))
        return refused(rules::null_argument("service spec"));
    return through_gate(ctx, "create", spec == nullptr ? std::string_view() : text_of(spec->name),
                        [&](ServiceGate &gate) { return gate.create(*ctx, spec); });
}

warden_status service_observe(warden_host_ctx *ctx, warden_str name,
                              warden_service_status *out) noexcept {
    return through_gate(ctx, "observe", text_of(name),
                        [&](ServiceGate &gate) { return gate.observe(*ctx, name, out); });
}

warden_status service_control(warden_host_ctx *ctx, warden_str name, int32_t command,
                              int32_t signal_number) noexcept {
    return through_gate(ctx, "control", text_of(name), [&](ServiceGate &gate) {
        return gate.control(*ctx, name, command, signal_number);
    });
}

warden_status service_remove(warden_host_ctx *ctx, warden_str name, uint32_t flags) noexcept {
    return through_gate(ctx, "remove", text_of(name),
                        [&](ServiceGate &gate) { return gate.remove(*ctx, name, flags); });
}

warden_status service_list(warden_host_ctx *ctx, warden_str prefix, warden_receive_fn on_name,
                           void *user) noexcept {
    return through_gate(ctx, "list", text_of(prefix),
                        [&](ServiceGate &gate) { return gate.list(*ctx, prefix, on_name, user); });
}

warden_status service_log_read(warden_host_ctx *ctx, warden_str name, uint32_t max_lines,
                               warden_receive_fn on_line, void *user) noexcept {
    return through_gate(ctx, "log_read", text_of(name), [&](ServiceGate &gate) {
        return gate.log_read(*ctx, name, max_lines, on_line, user);
    });
}

// A context with a gate asks it (a worker's, with the host's service_user);
// any other, the host's accounts.
warden_status service_account(warden_host_ctx *ctx, warden_str user, warden_str group,
                              warden_service_account *out) noexcept {
    try {
        if (ctx != nullptr && ctx->gate != nullptr) return ctx->gate->account(user, group, out);
        return settle_account(service_host_account(), service_account_directory(), user, group,
                              out);
    } catch (...) {
        return service_failed(WARDEN_ERR, "service_account: out of memory");
    }
}

// The slots that need no gate still need to know who calls.
template <typename Call>
warden_status as_caller(warden_host_ctx *ctx, const char *null_context, Call &&call) noexcept {
    if (ctx == nullptr) return service_failed(WARDEN_ERR_INVALID_ARGUMENT, null_context);
    try {
        return call(*ctx);
    } catch (...) {
        return service_failed(WARDEN_ERR, "host service failed: out of memory");
    }
}

warden_status http_probe(warden_host_ctx *ctx, const warden_http_request *request,
                         warden_http_response *response, warden_receive_fn on_body,
                         void *user) noexcept {
    return as_caller(ctx, "http_probe: NULL context", [&](const warden_host_ctx &caller) {
        return probe_http(caller, request, response, on_body, user);
    });
}

warden_status port_reserve(warden_host_ctx *ctx, warden_str purpose, uint32_t requested,
                           uint32_t *out_port) noexcept {
    return as_caller(ctx, "port_reserve: NULL context", [&](const warden_host_ctx &caller) {
        return reserve_port(caller, purpose, requested, out_port);
    });
}

warden_status command_run(warden_host_ctx *ctx, const warden_command *command,
                          const warden_cancel *cancel, warden_command_result *result,
                          warden_receive_fn on_output, void *user) noexcept {
    return as_caller(ctx, "command_run: NULL context", [&](const warden_host_ctx &caller) {
        return run_command_for(caller, command, cancel, result, on_output, user);
    });
}

warden_status figure_publish(warden_host_ctx *ctx, const warden_figure *figure) noexcept {
    return as_caller(ctx, "figure_publish: NULL context",
                     [&](const warden_host_ctx &caller) { return publish_figure(caller, figure); });
}

bool cancel_requested(const warden_cancel *cancel) noexcept {
    return cancel != nullptr && cancel->requested.load(std::memory_order_relaxed);
}

int64_t cancel_deadline_ns(const warden_cancel *cancel) noexcept {
    return cancel == nullptr ? INT64_MAX : cancel->deadline_ns;
}

constexpr warden_host_services kHostServices = {
    sizeof(warden_host_services),
    WARDEN_ABI_VERSION,
    &log_enabled,
    &log_write,
    &set_error,
    &last_service_error,
    &host_monotonic_ns,
    &host_unix_ns,
    &json_sink_write,
    &decision_submit,
    &cancel_requested,
    &cancel_deadline_ns,
    &service_create,
    &service_observe,
    &service_control,
    &service_remove,
    &service_list,
    &http_probe,
    &port_reserve,
    &service_log_read,
    &command_run,
    &service_account,
    &figure_publish,
};

}  // namespace

const warden_host_services *host_services() {
    return &kHostServices;
}

void set_service_accounts(rules::HostAccount host, const rules::AccountDirectory &accounts) {
    ServiceAccounts &current = service_accounts();
    std::lock_guard<std::mutex> lock(current.mutex);
    current.host = std::move(host);
    current.accounts = &accounts;
}

rules::HostAccount service_host_account() {
    ServiceAccounts &current = service_accounts();
    std::lock_guard<std::mutex> lock(current.mutex);
    if (!current.host) current.host = this_host_account();
    return *current.host;
}

const rules::AccountDirectory &service_account_directory() {
    ServiceAccounts &current = service_accounts();
    std::lock_guard<std::mutex> lock(current.mutex);
    return current.accounts != nullptr ? *current.accounts : system_accounts();
}

warden_status settle_account(const rules::HostAccount &host,
                             const rules::AccountDirectory &accounts, warden_str user,
                             warden_str group, warden_service_account *out) noexcept {
    try {
        if (out == nullptr) return refused(rules::null_argument("account"));
        rules::SettledAccount settled;
        const rules::Refusal refusal = rules::settle_service_account(
            {}, text_of(user), text_of(group), host, accounts, settled);
        if (!refusal) rules::write_service_account(settled, out);
        return refused(refusal);
    } catch (...) {
        return service_failed(WARDEN_ERR, "service_account: out of memory");
    }
}

void set_service_error(std::string text) noexcept {
    try {
        t_service_error = std::move(text);
    } catch (...) {
        t_service_error.clear();
    }
}

void clear_service_error() noexcept {
    t_service_error.clear();
}

HookError::HookError() {
    t_hook_error.clear();
}

std::string HookError::take() {
    std::string text;
    text.swap(t_hook_error);
    return text;
}

}  // namespace warden::host
