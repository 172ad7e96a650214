// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/service_gate.cpp
#include "plugin_services/service_gate.hpp"

#include "plugin_services/host_services.hpp"
#include "plugin_services/service_structs.hpp"
#include "s6/log_tail.hpp"

#include <warden/validation.hpp>

#include <spdlog/spdlog.h>

namespace warden::host {
namespace {

using rules::text_of;

ServiceCommand command_from(int32_t command) {
    switch (command) {
        case WARDEN_CONTROL_START: return ServiceCommand::start;
        case WARDEN_CONTROL_STOP: return ServiceCommand::stop;
        case WARDEN_CONTROL_RESTART: return ServiceCommand::restart;
        case WARDEN_CONTROL_SIGNAL: return ServiceCommand::signal;
        case WARDEN_CONTROL_START_PERSIST: return ServiceCommand::start_persist;
        default: return ServiceCommand::stop_persist;  // the rule let no other through
    }
}

Result<void> checked(const rules::Refusal &refusal) {
    if (refusal) return error_from(refusal);
    return {};
}

}  // namespace

ServiceGate::ServiceGate(S6Client &client, PortRegistry *ports, PluginFigures *figures,
                         rules::HostAccount host, const rules::AccountDirectory &accounts)
    : client_(client),
      ports_(ports),
      figures_(figures),
      host_(std::move(host)),
      accounts_(accounts) {
    // A service_user this host cannot switch to refuses every service
    // without a user of its own: said once, here, as well as at each.
    if (host_.root() || host_.service_user.empty()) return;
    rules::SettledAccount settled;
    const rules::Refusal refusal =
        rules::settle_service_account({}, {}, {}, host_, accounts_, settled);
    if (refusal)
        spdlog::warn("{}; every service whose worker names no user of its own is refused",
                     refusal.text);
}

Result<void> ServiceGate::admit(const warden_host_ctx &caller, std::string_view name) const {
    return checked(scope_.admit(caller_of(caller), name));
}

warden_status ServiceGate::finish(const warden_host_ctx &caller, const char *operation,
                                  std::string_view service, const Result<void> &result,
                                  Clock::time_point started) const {
    if (result) {
        clear_service_error();
        // The audit line of a call that went well is debug: not even
        // formatted unless asked for (an observe is often a map lookup).
        if (spdlog::should_log(spdlog::level::debug))
            spdlog::debug(
                "audit worker={} operation={} service={} result=ok duration_us={}", caller.label,
                operation, printable(service, 80),
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started)
                    .count());
        return WARDEN_OK;
    }
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    const std::string target = printable(service, 80);
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
        return finish(caller, "create", "", error_from(rules::null_argument("service spec")),
                      started);
    const std::string_view name = text_of(c->name);
    Result<void> result = admit(caller, name);
    if (result) {
        Result<ServiceSpec> spec = service_spec_from(*c, host_, accounts_);
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
    if (result && out == nullptr) result = error_from(rules::null_argument("status"));
    if (result) {
        uint64_t removals = 0;
        {
            std::lock_guard<std::mutex> lock(seen_mutex_);
            removals = removals_;
        }
        Result<ServiceStatus> status = client_.observe(text_of(name));
        if (status) {
            write_service_status(status.value(), out);
            // Kept unless a remove ran meanwhile (what was read may be gone;
            // the next observe says).
            std::lock_guard<std::mutex> lock(seen_mutex_);
            if (removals == removals_) {
                const auto it = seen_.find(text_of(name));
                if (!status.value().exists) {
                    if (it != seen_.end()) seen_.erase(it);
                } else if (it != seen_.end()) {
                    it->second = status.value();
                } else {
                    seen_.emplace(std::string(text_of(name)), status.value());
                }
            }
        } else {
            result = status.error();
        }
    }
    return finish(caller, "observe", text_of(name), result, started);
}

warden_status ServiceGate::control(const warden_host_ctx &caller, warden_str name, int32_t command,
                                   int32_t signal_number) {
    const auto started = Clock::now();
    Result<void> result = admit(caller, text_of(name));
    if (result) result = checked(rules::control_problem(command, signal_number));
    if (result) result = client_.control(text_of(name), command_from(command), signal_number);
    return finish(caller, "control", text_of(name), result, started);
}

warden_status ServiceGate::remove(const warden_host_ctx &caller, warden_str name, uint32_t flags) {
    const auto started = Clock::now();
    Result<void> result = admit(caller, text_of(name));
    if (result) result = checked(rules::remove_flags_problem(flags));
    if (result) result = client_.remove(text_of(name), (flags & WARDEN_REMOVE_LOGS) != 0);
    if (result) {
        std::lock_guard<std::mutex> lock(seen_mutex_);
        ++removals_;
        if (auto it = seen_.find(text_of(name)); it != seen_.end()) seen_.erase(it);
    }
    return finish(caller, "remove", text_of(name), result, started);
}

std::vector<std::pair<std::string, ServiceStatus>> ServiceGate::last_observed() const {
    std::lock_guard<std::mutex> lock(seen_mutex_);
    return {seen_.begin(), seen_.end()};
}

warden_status ServiceGate::list(const warden_host_ctx &caller, warden_str prefix,
                                warden_receive_fn on_name, void *user) {
    const auto started = Clock::now();
    Result<void> result = admit(caller, text_of(prefix));
    if (result && on_name == nullptr) result = error_from(rules::null_argument("callback"));
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
    if (result && on_line == nullptr) result = error_from(rules::null_argument("callback"));
    if (result) {
        auto lines = read_last_lines(client_.log_dir(text_of(name)) / "current",
                                     rules::log_lines(max_lines), WARDEN_MAX_LOG_READ_BYTES);
        if (!lines) {
            result = lines.error();
        } else {
            for (const std::string &line : lines.value())
                on_line(user, warden_str{line.data(), line.size()});
        }
    }
    return finish(caller, "log_read", text_of(name), result, started);
}

warden_status ServiceGate::account(warden_str user, warden_str group,
                                   warden_service_account *out) const {
    return settle_account(host_, accounts_, user, group, out);
}

void ServiceGate::forget_worker(const std::string &type, const std::string &name) {
    if (figures_ != nullptr) figures_->forget(type, name);
    {
        // Its services: under its prefix, and owned by no worker still
        // attached (a worker with a longer name keeps its own).
        const std::string own = type + "-" + name;
        std::lock_guard<std::mutex> lock(seen_mutex_);
        for (auto it = seen_.lower_bound(own);
             it != seen_.end() && it->first.compare(0, own.size(), own) == 0;) {
            const auto owner = scope_.owner(it->first);
            if (rules::within(it->first, own) && (!owner || *owner == std::pair{type, name}))
                it = seen_.erase(it);
            else
                ++it;
        }
    }
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
