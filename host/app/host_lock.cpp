// SPDX-License-Identifier: Apache-2.0
// host/app/host_lock.cpp
#include "app/host_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace warden::host {

Result<HostLock> HostLock::take(const std::filesystem::path &state_dir) {
    const std::filesystem::path file = state_dir / "host.lock";
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return fail("cannot open ", file.string(), ": ", std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        char pid[32] = {};
        const ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
        ::close(fd);
        if (err == EWOULDBLOCK)
            return fail(
                "another warden host",
                n > 0 ? std::string(" (pid ") + std::string(pid, static_cast<std::size_t>(n)) + ")"
                      : std::string(),
                " runs on scan dir ", state_dir.parent_path().string());
        return fail("cannot lock ", file.string(), ": ", std::strerror(err));
    }
    const std::string pid = std::to_string(::getpid());
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        const int err = errno;
        ::close(fd);
        return fail("cannot write ", file.string(), ": ", std::strerror(err));
    }
    return HostLock(fd);
}

HostLock::HostLock(HostLock &&other) noexcept : fd_(other.fd_) {
    other.fd_ = -1;
}

HostLock::~HostLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace warden::host
