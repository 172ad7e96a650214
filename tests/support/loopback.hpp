// SPDX-License-Identifier: Apache-2.0
// tests/support/loopback.hpp — TCP ports on 127.0.0.1 for tests: a port
// nobody listens on, and a listener the test holds (to occupy a port, or to
// be the peer a program connects to).
#pragma once

#include <cstdint>

namespace warden::test {

/// A port on 127.0.0.1 that was free a moment ago, outside the host's
/// reservation range and the kernel's ephemeral ports, and claimed for this
/// process until it exits (no other test process gets it).
uint16_t free_port();

/// Listens on 127.0.0.1:`port` until destroyed or closed. Connections are
/// accepted by the kernel's backlog, never read.
class Listener {
public:
    explicit Listener(uint16_t port);
    ~Listener();
    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    bool listening() const { return fd_ >= 0; }
    void close();

private:
    int fd_ = -1;
};

}  // namespace warden::test
