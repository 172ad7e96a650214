// SPDX-License-Identifier: Apache-2.0
// host/app/service_manager.hpp — telling the service manager that started
// the host (systemd, with Type=notify) how the host is doing, through
// libsystemd's sd_notify: ready once the config is loaded and every worker
// has made its first observation of what runs, reloading, stopping, a
// one-line status, and the watchdog's keep-alive. For a host no service
// manager started (no NOTIFY_SOCKET), every call does nothing.
//
// THREADING: one thread (the host's main loop).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace warden::host {

class ServiceManager {
public:
    /// Reads whether the manager listens and asks for a watchdog.
    ServiceManager();

    /// The manager listens for notifications.
    bool listening() const { return listening_; }
    /// How often to call keep_alive(): half the manager's watchdog
    /// interval; none when it set no watchdog.
    std::optional<std::chrono::microseconds> keep_alive_every() const { return keep_alive_every_; }

    void ready(std::string_view status) const;
    void reloading(std::string_view status) const;
    void stopping(std::string_view status) const;
    void status(std::string_view status) const;
    void keep_alive() const;

private:
    void notify(std::string_view state, std::string_view status) const;

    bool listening_ = false;
    std::optional<std::chrono::microseconds> keep_alive_every_;
};

}  // namespace warden::host
