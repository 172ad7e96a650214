// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/service_structs.cpp
#include "plugin_services/service_structs.hpp"

#include <cstddef>
#include <cstring>
#include <string>

namespace warden::host {
namespace {

std::string copy(const warden_str &s) {
    return std::string(rules::text_of(s));
}

}  // namespace

Result<ServiceSpec> service_spec_from(const warden_service_spec &c, const rules::HostAccount &host,
                                      const rules::AccountDirectory &accounts) {
    if (rules::Refusal refused = rules::service_spec_problem(c)) return error_from(refused);
    rules::SettledAccount account;
    if (rules::Refusal refused =
            rules::settle_service_account("service '" + copy(c.name) + "'", rules::spec_user(c),
                                          rules::spec_group(c), host, accounts, account))
        return error_from(refused);
    ServiceSpec spec;
    spec.name = copy(c.name);
    for (std::size_t i = 0; i < c.argc; ++i) spec.argv.push_back(copy(c.argv[i]));
    for (std::size_t i = 0; i < c.env_count; ++i) spec.env.push_back(copy(c.env[i]));
    spec.working_dir = copy(c.working_dir);
    for (std::size_t i = 0; i < c.file_count; ++i) {
        const warden_service_file *f = c.files[i];
        spec.files.push_back(
            ServiceDataFile{copy(f->path), copy(f->content), rules::file_mode_or_default(f->mode)});
    }
    spec.notification_fd = c.notification_fd;
    spec.down_signal = rules::down_signal_or_default(c.down_signal);
    // The S6Client's 0 is "never": the ABI's UINT32_MAX.
    spec.kill_timeout_ms =
        c.kill_timeout_ms == UINT32_MAX ? 0 : rules::kill_timeout_or_default(c.kill_timeout_ms);
    spec.start_down = (c.flags & WARDEN_SPEC_START_DOWN) != 0;
    spec.log_max_files = rules::log_files_or_default(c.log_max_files);
    spec.log_max_file_bytes = rules::log_file_bytes_or_default(c.log_max_file_bytes);
    // Only a switch reaches the run script: a service that runs as the host
    // gets the run script it always had.
    if (account.switched) {
        spec.user = std::move(account.user);
        spec.group = std::move(account.group);
    }
    return spec;
}

void write_service_status(const ServiceStatus &status, warden_service_status *out) {
    warden_service_status s = WARDEN_INIT(warden_service_status);
    s.flags =
        (status.exists ? WARDEN_STATUS_EXISTS : 0u) |
        (status.supervised ? WARDEN_STATUS_SUPERVISED : 0u) | (status.up ? WARDEN_STATUS_UP : 0u) |
        (status.ready ? WARDEN_STATUS_READY : 0u) | (status.want_up ? WARDEN_STATUS_WANT_UP : 0u) |
        (status.normally_up ? WARDEN_STATUS_NORMALLY_UP : 0u) |
        (status.finishing ? WARDEN_STATUS_FINISHING : 0u) | (status.died ? WARDEN_STATUS_DIED : 0u);
    s.pid = status.pid;
    s.since_ns = status.since_ns;
    s.ready_since_ns = status.ready_since_ns;
    s.last_exit_code = status.last_exit_code;
    s.last_signal = status.last_signal;
    s.restart_count = status.restart_count;
    const std::size_t size = out->struct_size < sizeof s ? out->struct_size : sizeof s;
    if (size > sizeof s.struct_size)
        std::memcpy(reinterpret_cast<char *>(out) + sizeof s.struct_size,
                    reinterpret_cast<const char *>(&s) + sizeof s.struct_size,
                    size - sizeof s.struct_size);
}

warden_status status_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid_argument: return WARDEN_ERR_INVALID_ARGUMENT;
        case ErrorKind::not_found: return WARDEN_ERR_NOT_FOUND;
        case ErrorKind::not_permitted: return WARDEN_ERR_NOT_PERMITTED;
        case ErrorKind::not_supervised: return WARDEN_ERR_NOT_SUPERVISED;
        case ErrorKind::unsupported: return WARDEN_ERR_UNSUPPORTED;
        case ErrorKind::timeout: return WARDEN_ERR_TIMEOUT;
        case ErrorKind::cancelled: return WARDEN_ERR_CANCELLED;
        case ErrorKind::conflict: return WARDEN_ERR_CONFLICT;
        case ErrorKind::failed: break;
    }
    return WARDEN_ERR;
}

ErrorKind kind_for(warden_status status) {
    switch (status) {
        case WARDEN_ERR_INVALID_ARGUMENT: return ErrorKind::invalid_argument;
        case WARDEN_ERR_NOT_FOUND: return ErrorKind::not_found;
        case WARDEN_ERR_NOT_PERMITTED: return ErrorKind::not_permitted;
        case WARDEN_ERR_NOT_SUPERVISED: return ErrorKind::not_supervised;
        case WARDEN_ERR_UNSUPPORTED: return ErrorKind::unsupported;
        case WARDEN_ERR_TIMEOUT: return ErrorKind::timeout;
        case WARDEN_ERR_CANCELLED: return ErrorKind::cancelled;
        case WARDEN_ERR_CONFLICT: return ErrorKind::conflict;
        default: return ErrorKind::failed;
    }
}

Error error_from(const rules::Refusal &refusal) {
    return Error{refusal.text, kind_for(refusal.status)};
}

}  // namespace warden::host
