// SPDX-License-Identifier: Apache-2.0
// host/app/signals.hpp — the signals the host acts on (SIGTERM, SIGINT:
// exit; SIGHUP: reload), read from a signalfd in the main loop instead of
// handled asynchronously.
//
// THREADING: open() blocks the signals in the calling thread, and every
// thread started after it inherits the mask: open it first, before any
// thread starts, so no other thread takes them.
#pragma once

#include "common/result.hpp"

#include <optional>

namespace warden::host {

class SignalReader {
public:
    static Result<SignalReader> open();
    SignalReader(SignalReader &&other) noexcept;
    SignalReader &operator=(SignalReader &&) = delete;
    ~SignalReader();

    /// For poll(): readable when a signal is pending.
    int fd() const { return fd_; }
    /// The next pending signal, or nothing; never blocks.
    std::optional<int> take();

private:
    explicit SignalReader(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace warden::host
