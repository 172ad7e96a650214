// SPDX-License-Identifier: Apache-2.0
// host/s6/service_status.cpp
#include "s6/service_status.hpp"

#include <cstdint>

#include "s6/file_ops.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace warden::host {
namespace {

constexpr std::size_t kStatusSize = 35;      // s6 2.11, 2.12, 2.14
constexpr std::size_t kStatusSizePgid = 43;  // s6 2.13.0 - 2.13.2
constexpr uint64_t kTaiEpoch = uint64_t{1} << 62;
constexpr int64_t kTaiMinusUnix = 37;

uint64_t big_endian(const unsigned char *p, int bytes) {
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value = (value << 8) | p[i];
    return value;
}

}  // namespace

int64_t tai64n_to_unix_ns(const unsigned char *label) {
    const uint64_t seconds = big_endian(label, 8);
    const uint64_t nanos = big_endian(label + 8, 4);
    // Before the epoch, or past what unix nanoseconds hold (the year 2262),
    // or not a nanosecond count: no time s6 writes; 0 = unknown.
    constexpr uint64_t kLastSecond = INT64_MAX / 1'000'000'000 - 1;
    if (seconds < kTaiEpoch + kTaiMinusUnix || seconds - kTaiEpoch > kLastSecond ||
        nanos >= 1'000'000'000)
        return 0;
    const int64_t unix_seconds = static_cast<int64_t>(seconds - kTaiEpoch) - kTaiMinusUnix;
    return unix_seconds * 1'000'000'000 + static_cast<int64_t>(nanos);
}

Result<StatusRecord> decode_status(std::string_view bytes) {
    if (bytes.size() != kStatusSize && bytes.size() != kStatusSizePgid)
        return fail("supervise/status is ", std::to_string(bytes.size()),
                    " bytes long; s6 writes 35 (or 43 with a process group)");
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const std::size_t tail = bytes.size() - 3;  // wait status (2 bytes), then flags
    StatusRecord r;
    r.stamp_ns = tai64n_to_unix_ns(p);
    r.ready_stamp_ns = tai64n_to_unix_ns(p + 12);
    const uint64_t pid = big_endian(p + 24, 8);
    if (pid > static_cast<uint64_t>(INT32_MAX))
        return fail("supervise/status names pid ", std::to_string(pid),
                    ", which no process can have");
    r.pid = static_cast<int64_t>(pid);
    const auto wstat = static_cast<unsigned>(big_endian(p + tail, 2));
    r.exited = (wstat & 0x7f) == 0;
    r.exit_code = r.exited ? static_cast<int32_t>((wstat >> 8) & 0xff) : 0;
    r.signal = r.exited ? 0 : static_cast<int32_t>(wstat & 0x7f);
    const unsigned flags = p[tail + 2];
    r.paused = (flags & 0x01) != 0;
    r.finishing = (flags & 0x02) != 0;
    r.want_up = (flags & 0x04) != 0;
    r.ready_flag = (flags & 0x08) != 0;
    return r;
}

Result<std::optional<std::string>> read_status_file(const std::filesystem::path &service_dir) {
    // One read: the file is at most 43 bytes, and s6 replaces it whole.
    const std::filesystem::path path = service_dir / "supervise" / "status";
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::optional<std::string>();
        return file_error("cannot open", path, errno);
    }
    char buffer[64];
    ssize_t n;
    do {
        n = ::read(fd, buffer, sizeof buffer);
    } while (n < 0 && errno == EINTR);
    const int err = errno;
    ::close(fd);
    if (n < 0) return file_error("cannot read", path, err);
    return std::optional<std::string>(std::string(buffer, static_cast<std::size_t>(n)));
}

std::optional<StatusRecord> current_status(const std::filesystem::path &service_dir) {
    auto bytes = read_status_file(service_dir);
    if (!bytes || !bytes.value()) return std::nullopt;
    auto status = decode_status(*bytes.value());
    if (!status) return std::nullopt;
    return status.value();
}

int64_t DeathTally::last_death_ns() const {
    return count() == 0 ? 0 : tai64n_to_unix_ns(record(count() - 1));
}

int32_t DeathTally::last_exit_code() const {
    return count() == 0 || last_signal() != 0 ? 0 : record(count() - 1)[12];
}

int32_t DeathTally::last_signal() const {
    return count() == 0 ? 0 : record(count() - 1)[13];
}

uint32_t DeathTally::deaths_after(int64_t stamp_ns) const {
    uint32_t after = 0;
    for (uint32_t i = 0; i < count(); ++i)
        if (tai64n_to_unix_ns(record(i)) > stamp_ns) ++after;
    return after;
}

}  // namespace warden::host
