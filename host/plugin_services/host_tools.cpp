// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/host_tools.cpp
#include "plugin_services/host_tools.hpp"

#include "metrics/plugin_figures.hpp"
#include "net/http_probe.hpp"
#include "net/port_registry.hpp"
#include "plugin_services/host_services.hpp"
#include "plugin_services/service_structs.hpp"
#include "process/run_command.hpp"

#include <warden/host_rules.hpp>
#include <warden/validation.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace warden::host {
namespace {

using Clock = std::chrono::steady_clock;
using rules::text_of;

long long micros_since(Clock::time_point started) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
}

// Leaves the text for last_service_error and returns the status.
warden_status refuse(const Error &error) {
    set_service_error(error.message);
    return status_for(error.kind);
}

void deliver(warden_receive_fn on_data, void *user, const std::string &data) {
    if (on_data != nullptr && !data.empty()) on_data(user, warden_str{data.data(), data.size()});
}

// The command as host/process runs it; `c` passed rules::command_problem.
Command command_from(const warden_command &c, const warden_cancel *cancel) {
    Command command;
    for (std::size_t i = 0; i < c.argc; ++i) command.argv.emplace_back(text_of(c.argv[i]));
    for (std::size_t i = 0; i < c.file_count; ++i) {
        const warden_service_file *f = c.files[i];
        command.files.push_back(CommandFile{std::string(text_of(f->path)),
                                            std::string(text_of(f->content)),
                                            rules::file_mode_or_default(f->mode)});
    }
    command.timeout = std::chrono::milliseconds(rules::command_timeout_ms(c.timeout_ms));
    if (cancel != nullptr) {
        command.deadline_ns = cancel->deadline_ns;
        command.cancel_requested = [cancel] {
            return cancel->requested.load(std::memory_order_relaxed);
        };
    }
    return command;
}

// Why a command that was killed ended, for the plugin's error text.
std::string killed_because(const std::string &program, const CommandOutcome &outcome) {
    const std::string after = std::to_string(outcome.duration.count()) + " ms";
    switch (outcome.end) {
        case CommandEnd::timed_out:
            return "command " + program + ": killed after its timeout of " +
                   std::to_string(outcome.timeout.count()) + " ms";
        case CommandEnd::deadline:
            return "command " + program + ": killed at the calling hook's deadline, after " + after;
        case CommandEnd::cancelled:
            return "command " + program + ": cancelled by the host, killed after " + after;
        case CommandEnd::finished: break;
    }
    return {};
}

}  // namespace

warden_status probe_http(const warden_host_ctx &caller, const warden_http_request *r,
                         warden_http_response *response, warden_receive_fn on_body, void *user) {
    const auto started = Clock::now();
    if (rules::Refusal bad = rules::http_request_problem(r)) return refuse(error_from(bad));
    HttpRequest request;
    request.method = text_of(r->method);
    request.port = r->port;
    request.path = text_of(r->path);
    request.content_type = text_of(r->content_type);
    request.body = text_of(r->body);
    request.timeout = std::chrono::milliseconds(rules::http_timeout_ms(r->timeout_ms));

    if (request.method.empty()) request.method = "GET";
    // Scoped like the service slots: a worker probes the ports it holds (a
    // worker made without a port registry holds none).
    const bool holds = caller.ports != nullptr &&
                       caller.ports->holds(caller.worker_type, caller.worker_name, request.port);
    if (rules::Refusal out = rules::http_scope_problem(caller_of(caller), request.port, holds))
        return refuse(error_from(out));
    std::string body;
    const Result<int> answer = http_probe(request, body);
    const std::string target = http_target(request);
    if (!answer) {
        spdlog::debug(
            "audit worker={} operation=http_probe target=\"{}\" result=\"{}\" "
            "duration_us={}: {}",
            caller.label, target, warden_status_name(status_for(answer.error().kind)),
            micros_since(started), answer.error().message);
        return refuse(answer.error());
    }
    spdlog::debug(
        "audit worker={} operation=http_probe target=\"{}\" result={} body_bytes={} "
        "duration_us={}",
        caller.label, target, answer.value(), body.size(), micros_since(started));
    if (response != nullptr && WARDEN_HAS_FIELD(response, warden_http_response, status_code))
        response->status_code = answer.value();
    deliver(on_body, user, body);
    clear_service_error();  // after the plugin's callback, which may call services itself
    return WARDEN_OK;
}

warden_status reserve_port(const warden_host_ctx &caller, warden_str purpose, uint32_t requested,
                           uint32_t *out_port) {
    const auto started = Clock::now();
    Result<uint32_t> port = Error{};
    if (rules::Refusal bad = rules::port_request_problem(caller_of(caller), caller.ports != nullptr,
                                                         out_port, text_of(purpose), requested))
        port = error_from(bad);
    else
        port = caller.ports->reserve(caller.worker_type, caller.worker_name, text_of(purpose),
                                     requested);
    const std::string what = printable(text_of(purpose), 40);
    if (!port) {
        spdlog::debug(
            "audit worker={} operation=port_reserve purpose={} requested={} "
            "result=\"{}\" duration_us={}: {}",
            caller.label, what, requested, warden_status_name(status_for(port.error().kind)),
            micros_since(started), port.error().message);
        return refuse(port.error());
    }
    spdlog::debug(
        "audit worker={} operation=port_reserve purpose={} requested={} result={} "
        "duration_us={}",
        caller.label, what, requested, port.value(), micros_since(started));
    clear_service_error();
    *out_port = port.value();
    return WARDEN_OK;
}

warden_status run_command_for(const warden_host_ctx &caller, const warden_command *c,
                              const warden_cancel *cancel, warden_command_result *result,
                              warden_receive_fn on_output, void *user) {
    const auto started = Clock::now();
    Result<CommandOutcome> ran = Error{};
    std::string program;
    if (rules::Refusal bad = rules::command_problem(c)) {
        ran = error_from(bad);
    } else {
        const Command command = command_from(*c, cancel);
        program = printable(command.argv[0], 200);
        ran = run_command(command);
    }
    if (!ran) {
        spdlog::warn(
            "audit worker={} operation=command_run program={} result=\"{}\" "
            "duration_us={}: {}",
            caller.label, program, warden_status_name(status_for(ran.error().kind)),
            micros_since(started), ran.error().message);
        return refuse(ran.error());
    }
    const CommandOutcome &outcome = ran.value();
    if (result != nullptr && WARDEN_HAS_FIELD(result, warden_command_result, exit_code))
        result->exit_code = outcome.exit_code;
    if (result != nullptr && WARDEN_HAS_FIELD(result, warden_command_result, signal))
        result->signal = outcome.signal;
    const std::string ended = outcome.signal != 0 ? "signal " + std::to_string(outcome.signal)
                                                  : "exit " + std::to_string(outcome.exit_code);
    if (outcome.end == CommandEnd::finished) {
        spdlog::debug(
            "audit worker={} operation=command_run program={} result=\"{}\" "
            "output_bytes={} duration_us={}",
            caller.label, program, ended, outcome.output_bytes, micros_since(started));
        deliver(on_output, user, outcome.output);
        clear_service_error();  // after the plugin's callback, which may call services itself
        return WARDEN_OK;
    }
    const std::string why = killed_because(program, outcome);
    const warden_status status =
        outcome.end == CommandEnd::cancelled ? WARDEN_ERR_CANCELLED : WARDEN_ERR_TIMEOUT;
    spdlog::warn(
        "audit worker={} operation=command_run program={} result=\"{}\" "
        "output_bytes={} duration_us={}: {}",
        caller.label, program, warden_status_name(status), outcome.output_bytes,
        micros_since(started), why);
    deliver(on_output, user, outcome.output);
    set_service_error(why);
    return status;
}

warden_status publish_figure(const warden_host_ctx &caller, const warden_figure *figure) {
    if (rules::Refusal bad =
            rules::figure_caller_problem(caller_of(caller), caller.figures != nullptr))
        return refuse(error_from(bad));
    if (rules::Refusal bad = rules::figure_struct_problem(figure)) return refuse(error_from(bad));
    const Result<void> published = caller.figures->publish(caller.worker_type, caller.worker_name,
                                                           rules::figure_view(*figure));
    if (!published) return refuse(published.error());
    clear_service_error();
    return WARDEN_OK;
}

}  // namespace warden::host
