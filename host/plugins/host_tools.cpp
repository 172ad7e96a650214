// host/plugins/host_tools.cpp
#include "plugins/host_tools.hpp"

#include "net/http_probe.hpp"
#include "net/port_registry.hpp"
#include "plugins/host_services.hpp"
#include "plugins/service_structs.hpp"
#include "process/run_command.hpp"

#include <warden/validation.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace warden::host {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kHttpRequestSizeV1_0 =
    offsetof(warden_http_request, timeout_ms) + sizeof(uint32_t);
constexpr std::size_t kCommandSizeV1_2 = offsetof(warden_command, timeout_ms) + sizeof(uint32_t);
constexpr std::size_t kFileSizeV1_0 = offsetof(warden_service_file, mode) + sizeof(uint32_t);

std::string_view text_of(warden_str s) {
    return s.ptr == nullptr ? std::string_view() : std::string_view(s.ptr, s.len);
}

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

Result<Command> command_from(const warden_command &c, const warden_cancel *cancel) {
    if (c.struct_size < kCommandSizeV1_2)
        return fail_as(ErrorKind::invalid_argument,
                       "command: struct_size is smaller than ABI 1.2's");
    if ((c.argc > 0 && c.argv == nullptr) || (c.file_count > 0 && c.files == nullptr))
        return fail_as(ErrorKind::invalid_argument,
                       "command: an array is NULL but its count is not 0");
    Command command;
    for (std::size_t i = 0; i < c.argc; ++i) command.argv.emplace_back(text_of(c.argv[i]));
    for (std::size_t i = 0; i < c.file_count; ++i) {
        const warden_service_file *f = c.files[i];
        if (f == nullptr || f->struct_size < kFileSizeV1_0)
            return fail_as(ErrorKind::invalid_argument,
                           "command: a file entry is NULL or smaller than ABI 1.0's");
        command.files.push_back(CommandFile{std::string(text_of(f->path)),
                                            std::string(text_of(f->content)),
                                            f->mode == 0 ? 0644u : f->mode});
    }
    command.timeout = std::chrono::milliseconds(c.timeout_ms);
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
    if (r == nullptr || r->struct_size < kHttpRequestSizeV1_0)
        return refuse(fail_as(ErrorKind::invalid_argument,
                              "http_probe: the request is NULL or smaller than ABI 1.0's"));
    HttpRequest request;
    request.method = r->method.len == 0 ? std::string_view("GET") : text_of(r->method);
    request.port = r->port;
    request.path = text_of(r->path);
    request.content_type = text_of(r->content_type);
    request.body = text_of(r->body);
    request.timeout = std::chrono::milliseconds(r->timeout_ms);

    if (Result<void> valid = check_http_request(request); !valid) return refuse(valid.error());
    // Scoped like the service slots: a worker probes the ports it holds.
    if (caller.worker_type.empty())
        return refuse(fail_as(ErrorKind::not_permitted, caller.label,
                              " is a plugin, not a worker; only workers probe their ports"));
    if (caller.ports != nullptr &&
        !caller.ports->holds(caller.worker_type, caller.worker_name, request.port))
        return refuse(fail_as(ErrorKind::not_permitted, "http_probe: port ",
                              std::to_string(request.port), " is not reserved by worker ",
                              caller.label, "; reserve it with port_reserve first"));
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
    if (caller.worker_type.empty())
        port = fail_as(ErrorKind::not_permitted, caller.label,
                       " is a plugin, not a worker; only workers reserve ports");
    else if (caller.ports == nullptr)
        port = fail_as(ErrorKind::unsupported,
                       "port reservations need the host's port registry, "
                       "and worker ",
                       caller.label, " was made without one");
    else if (out_port == nullptr)
        port = fail_as(ErrorKind::invalid_argument, "port_reserve: NULL out_port");
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
    if (c == nullptr) {
        ran = fail_as(ErrorKind::invalid_argument, "command_run: NULL command");
    } else if (Result<Command> command = command_from(*c, cancel); !command) {
        ran = command.error();
    } else {
        program =
            command.value().argv.empty() ? std::string() : printable(command.value().argv[0], 200);
        ran = run_command(command.value());
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

}  // namespace warden::host
