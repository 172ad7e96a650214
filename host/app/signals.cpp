// SPDX-License-Identifier: Apache-2.0
// host/app/signals.cpp
#include "app/signals.hpp"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace warden::host {
namespace {

sigset_t host_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

Result<SignalReader> SignalReader::open() {
    // A signal the parent left ignored (a shell's background job ignores
    // SIGINT) would be discarded, not queued: take them back first.
    for (const int sig : {SIGTERM, SIGINT, SIGHUP}) ::signal(sig, SIG_DFL);
    const sigset_t set = host_signals();
    if (const int err = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0)
        return fail("cannot block signals: ", std::strerror(err));
    const int fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0) return fail("cannot read signals: signalfd: ", std::strerror(errno));
    return SignalReader(fd);
}

SignalReader::SignalReader(SignalReader &&other) noexcept : fd_(other.fd_) {
    other.fd_ = -1;
}

SignalReader::~SignalReader() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<int> SignalReader::take() {
    signalfd_siginfo info{};
    ssize_t n;
    do {
        n = ::read(fd_, &info, sizeof info);
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof info)) return std::nullopt;
    return static_cast<int>(info.ssi_signo);
}

}  // namespace warden::host
