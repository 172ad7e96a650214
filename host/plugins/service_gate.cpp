// host/plugins/service_gate.cpp
#include "plugins/service_gate.hpp"

#include "plugins/host_services.hpp"
#include "plugins/service_structs.hpp"
#include "s6/log_tail.hpp"
#include "s6/service_name.hpp"

#include <warden/validation.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace warden::host {
namespace {

std::string_view text_of(warden_str s) {
    return s.ptr == nullptr ? std::string_view() : std::string_view(s.ptr, s.len);
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// Whether `service` is `owner` itself or one of its "owner-*" services.
bool within(std::string_view service, const std::string &owner) {
    return service == owner || starts_with(service, owner + "-");
}

std::optional<ServiceCommand> command_from(int32_t command) {
    switch (command) {
        case WARDEN_SERVICE_START: return ServiceCommand::start;
        case WARDEN_SERVICE_STOP: return ServiceCommand::stop;
        case WARDEN_SERVICE_RESTART: return ServiceCommand::restart;
        case WARDEN_SERVICE_SIGNAL: return ServiceCommand::signal;
        case WARDEN_SERVICE_START_PERSIST: return ServiceCommand::start_persist;
        case WARDEN_SERVICE_STOP_PERSIST: return ServiceCommand::stop_persist;
        default: return std::nullopt;
    }
}

}  // namespace

void ServiceGate::attach(const std::string &type, const std::string &name) {
    std::lock_guard<std::mutex> lock(mutex_);
    workers_.emplace(type, name);
}

void ServiceGate::detach(const std::string &type, const std::string &name) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = workers_.find({type, name});
    if (it != workers_.end()) workers_.erase(it);
}

Result<void> ServiceGate::admit(const warden_host_ctx &caller, std::string_view name) const {
    if (Result<void> valid = check_service_name(name); !valid) return valid;
    if (caller.worker_type.empty())
        return fail_as(ErrorKind::not_permitted, "service '", std::string(name),
                       "': ", caller.label,
                       " is a plugin, not a worker; only workers own services");
    const std::string own = caller.worker_type + "-" + caller.worker_name;
    if (!within(name, own))
        return fail_as(ErrorKind::not_permitted, "service '", std::string(name),
                       "' is outside the scope of ", caller.label, " (", own, ", ", own, "-*)");
    // Workers with a longer name that begins with the caller's and a dash,
    // found in the sorted set without a walk over every worker.
    const std::string longer = caller.worker_name + "-";
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = workers_.lower_bound({caller.worker_type, longer});
         it != workers_.end() && it->first == caller.worker_type && starts_with(it->second, longer);
         ++it)
        if (within(name, it->first + "-" + it->second))
            return fail_as(ErrorKind::not_permitted, "service '", std::string(name),
                           "' belongs to worker ", it->first, "/", it->second, ", not to ",
                           caller.label);
    return {};
}

std::optional<std::pair<std::string, std::string>> ServiceGate::owner(
    std::string_view service) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<std::pair<std::string, std::string>> best;
    std::size_t best_length = 0;
    for (const auto &[type, worker] : workers_) {
        const std::string prefix = type + "-" + worker;
        if (prefix.size() > best_length && within(service, prefix)) {
            best = std::make_pair(type, worker);
            best_length = prefix.size();
        }
    }
    return best;
}

warden_status ServiceGate::finish(const warden_host_ctx &caller, const char *operation,
                                  std::string_view service, const Result<void> &result,
                                  Clock::time_point started) const {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    const std::string target = printable(service, 80);
    if (result) {
        clear_service_error();
        spdlog::debug("audit worker={} operation={} service={} result=ok duration_us={}",
                      caller.label, operation, target, micros);
        return WARDEN_OK;
    }
    const warden_status status = status_for(result.error().kind);
    set_service_error(result.error().message);
    const auto level = result.error().kind == ErrorKind::not_permitted ? spdlog::level::warn
                                                                       : spdlog::level::debug;
    spdlog::log(level, "audit worker={} operation={} service={} result=\"{}\" duration_us={}: {}",
                caller.label, operation, target, warden_status_name(status), micros,
                result.error().message);
    return status;
}

warden_status ServiceGate::create(const warden_host_ctx &caller, const warden_service_spec *c) {
    const auto started = Clock::now();
    if (c == nullptr)
        return finish(caller, "create", "",
                      fail_as(ErrorKind::invalid_argument, "NULL service spec"), started);
    const std::string_view name = text_of(c->name);
    Result<void> result = admit(caller, name);
    if (result) {
        Result<ServiceSpec> spec = service_spec_from(*c);
        if (!spec) {
            result = spec.error();
        } else if (Result<CreateOutcome> created = client_.create(spec.value()); !created) {
            result = created.error();
        }
    }
    return finish(caller, "create", name, result, started);
}

warden_status ServiceGate::observe(const warden_host_ctx &caller, warden_str name,
                                   warden_service_status *out) {
    const auto started = Clock::now();
    Result<void> result = admit(caller, text_of(name));
    if (result && out == nullptr) result = fail_as(ErrorKind::invalid_argument, "NULL status");
    if (result) {
        Result<ServiceStatus> status = client_.observe(text_of(name));
        if (status)
            write_service_status(status.value(), out);
        else
            result = status.error();
    }
    return finish(caller, "observe", text_of(name), result, started);
}

warden_status ServiceGate::control(const warden_host_ctx &caller, warden_str name, int32_t command,
                                   int32_t signal_number) {
    const auto started = Clock::now();
    Result<void> result = admit(caller, text_of(name));
    const std::optional<ServiceCommand> known = command_from(command);
    if (result && !known)
        result =
            fail_as(ErrorKind::unsupported, "unknown service command ", std::to_string(command));
    if (result) result = client_.control(text_of(name), *known, signal_number);
    return finish(caller, "control", text_of(name), result, started);
}

warden_status ServiceGate::remove(const warden_host_ctx &caller, warden_str name, uint32_t flags) {
    const auto started = Clock::now();
    Result<void> result = admit(caller, text_of(name));
    if (result && (flags & ~WARDEN_SERVICE_REMOVE_LOGS) != 0)
        result = fail_as(ErrorKind::unsupported, "unknown remove flags ", std::to_string(flags));
    if (result) result = client_.remove(text_of(name), (flags & WARDEN_SERVICE_REMOVE_LOGS) != 0);
    return finish(caller, "remove", text_of(name), result, started);
}

warden_status ServiceGate::list(const warden_host_ctx &caller, warden_str prefix,
                                warden_receive_fn on_name, void *user) {
    const auto started = Clock::now();
    Result<void> result = admit(caller, text_of(prefix));
    if (result && on_name == nullptr)
        result = fail_as(ErrorKind::invalid_argument, "NULL callback");
    if (result) {
        Result<std::vector<std::string>> names = client_.list(text_of(prefix));
        if (!names) {
            result = names.error();
        } else {
            for (const std::string &name : names.value())
                if (admit(caller, name)) on_name(user, warden_str{name.data(), name.size()});
        }
    }
    return finish(caller, "list", text_of(prefix), result, started);
}

warden_status ServiceGate::log_read(const warden_host_ctx &caller, warden_str name,
                                    uint32_t max_lines, warden_receive_fn on_line, void *user) {
    const auto started = Clock::now();
    Result<void> result = admit(caller, text_of(name));
    if (result && on_line == nullptr)
        result = fail_as(ErrorKind::invalid_argument, "NULL callback");
    if (result) {
        const std::size_t wanted = max_lines == 0 ? 100 : std::min<uint32_t>(max_lines, 1000);
        auto lines = read_last_lines(client_.log_dir(text_of(name)) / "current", wanted);
        if (!lines) {
            result = lines.error();
        } else {
            for (const std::string &line : lines.value())
                on_line(user, warden_str{line.data(), line.size()});
        }
    }
    return finish(caller, "log_read", text_of(name), result, started);
}

void ServiceGate::release_ports(const std::string &type, const std::string &name) {
    if (ports_ == nullptr) return;
    auto released = ports_->release_worker(type, name);
    if (!released) {
        spdlog::warn("worker {}/{}: {}", type, name, released.error().message);
        return;
    }
    if (released.value().empty()) return;
    std::string ports;
    for (const uint32_t port : released.value())
        ports += (ports.empty() ? "" : ", ") + std::to_string(port);
    spdlog::info("worker {}/{} removed from the config: released port{} {}", type, name,
                 released.value().size() == 1 ? "" : "s", ports);
}

}  // namespace warden::host
