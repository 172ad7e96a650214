// host/plugins/service_structs.cpp
#include "plugins/service_structs.hpp"

#include <cstddef>
#include <cstring>
#include <string>

namespace warden::host {
namespace {

constexpr std::size_t kSpecSizeV1_0 =
    offsetof(warden_service_spec, log_max_file_bytes) + sizeof(uint64_t);
constexpr std::size_t kFileSizeV1_0 = offsetof(warden_service_file, mode) + sizeof(uint32_t);

std::string copy(const warden_str &s) {
    return s.len == 0 ? std::string() : std::string(s.ptr, s.len);
}

Error refused(const char *what) {
    return fail_as(ErrorKind::invalid_argument, "service spec: ", what);
}

}  // namespace

Result<ServiceSpec> service_spec_from(const warden_service_spec &c) {
    if (c.struct_size < kSpecSizeV1_0) return refused("struct_size is smaller than ABI 1.0's");
    if ((c.flags & ~WARDEN_SERVICE_START_DOWN) != 0)
        return fail_as(ErrorKind::unsupported, "service spec: unknown flags ",
                       std::to_string(c.flags & ~WARDEN_SERVICE_START_DOWN));
    if ((c.argc > 0 && c.argv == nullptr) || (c.env_count > 0 && c.env == nullptr) ||
        (c.file_count > 0 && c.files == nullptr))
        return refused("an array is NULL but its count is not 0");
    ServiceSpec spec;
    spec.name = copy(c.name);
    for (std::size_t i = 0; i < c.argc; ++i) spec.argv.push_back(copy(c.argv[i]));
    for (std::size_t i = 0; i < c.env_count; ++i) spec.env.push_back(copy(c.env[i]));
    spec.working_dir = copy(c.working_dir);
    for (std::size_t i = 0; i < c.file_count; ++i) {
        const warden_service_file *f = c.files[i];
        if (f == nullptr || f->struct_size < kFileSizeV1_0)
            return refused("a file entry is NULL or smaller than ABI 1.0's");
        spec.files.push_back(
            ServiceDataFile{copy(f->path), copy(f->content), f->mode == 0 ? 0644u : f->mode});
    }
    spec.notification_fd = c.notification_fd;
    spec.down_signal = c.down_signal == 0 ? 15 : c.down_signal;
    spec.kill_timeout_ms = c.kill_timeout_ms == 0            ? 10000
                           : c.kill_timeout_ms == UINT32_MAX ? 0
                                                             : c.kill_timeout_ms;
    spec.start_down = (c.flags & WARDEN_SERVICE_START_DOWN) != 0;
    spec.log_max_files = c.log_max_files == 0 ? 10 : c.log_max_files;
    spec.log_max_file_bytes = c.log_max_file_bytes == 0 ? 1000000 : c.log_max_file_bytes;
    return spec;
}

void write_service_status(const ServiceStatus &status, warden_service_status *out) {
    warden_service_status s = WARDEN_INIT(warden_service_status);
    s.flags = (status.exists ? WARDEN_SERVICE_EXISTS : 0u) |
              (status.supervised ? WARDEN_SERVICE_SUPERVISED : 0u) |
              (status.up ? WARDEN_SERVICE_UP : 0u) | (status.ready ? WARDEN_SERVICE_READY : 0u) |
              (status.want_up ? WARDEN_SERVICE_WANT_UP : 0u) |
              (status.normally_up ? WARDEN_SERVICE_NORMALLY_UP : 0u) |
              (status.finishing ? WARDEN_SERVICE_FINISHING : 0u) |
              (status.died ? WARDEN_SERVICE_DIED : 0u);
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

}  // namespace warden::host
