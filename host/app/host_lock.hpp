// SPDX-License-Identifier: Apache-2.0
// host/app/host_lock.hpp — one host per scan dir. Two hosts deciding for the
// same services would fight; the second one to start is refused, with the
// pid of the first.
//
// The lock is a flock on <scan dir>/.warden/host.lock, which holds the
// owner's pid; the kernel lets go of it when the process dies, however it
// dies, so a crashed host never blocks the next one.
#pragma once

#include "common/result.hpp"

#include <filesystem>

namespace warden::host {

class HostLock {
public:
    /// Takes the lock in `state_dir`; the error names the other host's pid.
    static Result<HostLock> take(const std::filesystem::path &state_dir);
    HostLock(HostLock &&other) noexcept;
    HostLock &operator=(HostLock &&) = delete;
    ~HostLock();

private:
    explicit HostLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace warden::host
