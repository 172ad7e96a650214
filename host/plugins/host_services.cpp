// host/plugins/host_services.cpp — the host services of ABI 1.0: logging,
// errors, clocks, sinks and cancellation. The service (s6) and HTTP probe
// slots stay NULL until the host implements them.
#include "plugins/host_services.hpp"

#include "plugins/handles.hpp"

#include <spdlog/spdlog.h>

#include <time.h>

#include <cstddef>
#include <string_view>

namespace warden::host {
namespace {

thread_local std::string t_hook_error;     // set_error, read by HookError
thread_local std::string t_service_error;  // why the last host service failed

std::string_view text_of(warden_str s) {
    return s.ptr == nullptr ? std::string_view() : std::string_view(s.ptr, s.len);
}

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

bool log_enabled(warden_host_ctx *, int32_t level) {
    return spdlog::default_logger_raw()->should_log(spdlog_level(level));
}

void log_write(warden_host_ctx *ctx, int32_t level, warden_str message) {
    spdlog::default_logger_raw()->log(spdlog_level(level), "[{}] {}", label_of(ctx),
                                      text_of(message));
}

void set_error(warden_host_ctx *, warden_str message) {
    t_hook_error.assign(text_of(message));
}

void last_service_error(warden_host_ctx *, warden_receive_fn on_text, void *user) {
    if (on_text != nullptr)
        on_text(user, warden_str{t_service_error.data(), t_service_error.size()});
}

int64_t clock_ns(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int64_t monotonic_ns() {
    return clock_ns(CLOCK_MONOTONIC);
}
int64_t wall_ns() {
    return clock_ns(CLOCK_REALTIME);
}

warden_status json_sink_write(warden_json_sink *sink, warden_str text) {
    t_service_error.clear();
    if (sink == nullptr || (text.ptr == nullptr && text.len != 0)) {
        t_service_error = "json_sink_write: NULL sink or text";
        return WARDEN_ERR_INVALID_ARGUMENT;
    }
    sink->text.append(text_of(text));
    return WARDEN_OK;
}

// A refused decision stays refused: the sink keeps the first error, and the
// caller treats it as a plugin error whatever `next` returns [WP-FSM-3].
warden_status decision_submit(warden_decision_sink *sink, const warden_decision *d) {
    t_service_error.clear();
    if (sink == nullptr || d == nullptr) {
        t_service_error = "decision_submit: NULL sink or decision";
        return WARDEN_ERR_INVALID_ARGUMENT;
    }
    const bool again = sink->submitted;
    sink->submitted = true;
    const std::string_view state = text_of(d->state);
    const std::string_view action = text_of(d->action);
    std::string error;
    if (again)
        error = "decision_submit called more than once in one next";
    else if (d->struct_size < offsetof(warden_decision, signal) + sizeof d->signal)
        error = "decision struct_size " + std::to_string(d->struct_size) + " is too small";
    else if (!state.empty() && !action.empty())
        error = "next returned both state '" + std::string(state) + "' and action '" +
                std::string(action) + "'; it must return one or the other";
    else if (!state.empty() && sink->type->find_state(state) == nullptr)
        error = "next returned state '" + std::string(state) + "', which worker type '" +
                sink->type->name + "' does not declare";
    else if (!action.empty() && sink->type->find_action(action) == nullptr)
        error = "next returned action '" + std::string(action) + "', which worker type '" +
                sink->type->name + "' does not declare";
    else if (d->signal < WARDEN_SIGNAL_NONE || d->signal > WARDEN_SIGNAL_NEEDS_RESTART)
        error = "next returned unknown signal " + std::to_string(d->signal);
    if (!error.empty()) {
        if (sink->error.empty()) sink->error = error;
        t_service_error = std::move(error);
        return WARDEN_ERR_INVALID_ARGUMENT;
    }
    sink->decision = Decision{std::string(state), std::string(action),
                              std::string(text_of(d->reason)), d->signal};
    return WARDEN_OK;
}

bool cancel_requested(const warden_cancel *cancel) {
    return cancel != nullptr && cancel->requested.load(std::memory_order_relaxed);
}

int64_t cancel_deadline_ns(const warden_cancel *cancel) {
    return cancel == nullptr ? INT64_MAX : cancel->deadline_ns;
}

constexpr warden_host_services kHostServices = {
    sizeof(warden_host_services),
    WARDEN_ABI_VERSION,
    &log_enabled,
    &log_write,
    &set_error,
    &last_service_error,
    &monotonic_ns,
    &wall_ns,
    &json_sink_write,
    &decision_submit,
    &cancel_requested,
    &cancel_deadline_ns,
    nullptr,  // service_create: not offered by this host yet
    nullptr,  // service_observe
    nullptr,  // service_control
    nullptr,  // service_remove
    nullptr,  // service_list
    nullptr,  // http_probe: not offered by this host yet
};

}  // namespace

const warden_host_services *host_services() {
    return &kHostServices;
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
