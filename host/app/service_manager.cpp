// SPDX-License-Identifier: Apache-2.0
// host/app/service_manager.cpp
#include "app/service_manager.hpp"

#include <warden/validation.hpp>

#include <systemd/sd-daemon.h>

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace warden::host {
namespace {

// A status line is shown by `systemctl status`: one short printable line.
constexpr std::size_t kMaxStatusText = 200;

}  // namespace

ServiceManager::ServiceManager() {
    const char *socket = std::getenv("NOTIFY_SOCKET");
    listening_ = socket != nullptr && *socket != '\0';
    uint64_t usec = 0;
    if (listening_ && sd_watchdog_enabled(0, &usec) > 0 && usec >= 2)
        keep_alive_every_ = std::chrono::microseconds(usec / 2);
}

void ServiceManager::notify(std::string_view state, std::string_view status) const {
    if (!listening_) return;
    std::string message(state);
    if (!status.empty()) {
        if (!message.empty()) message += '\n';
        message += "STATUS=" + printable(status, kMaxStatusText);
    }
    if (const int r = sd_notify(0, message.c_str()); r < 0)
        spdlog::warn("cannot tell the service manager ({}): {}",
                     state.empty() ? std::string_view("STATUS") : state, std::strerror(-r));
}

void ServiceManager::ready(std::string_view status) const {
    notify("READY=1", status);
}
void ServiceManager::reloading(std::string_view status) const {
    notify("RELOADING=1", status);
}
void ServiceManager::stopping(std::string_view status) const {
    notify("STOPPING=1", status);
}
void ServiceManager::status(std::string_view status) const {
    notify("", status);
}
void ServiceManager::keep_alive() const {
    notify("WATCHDOG=1", "");
}

}  // namespace warden::host
