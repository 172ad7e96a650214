// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/host_services.hpp — the table of host services plugins call.
//
// THREADING: every service in the table is thread-safe. Errors are kept per
// thread: set_error from a hook lands in the calling thread's hook error, and
// a failing host service leaves its text in the thread's service error.
#pragma once

#include <warden/plugin.h>

#include <string>

namespace warden::host {

/// The host services table handed to every plugin's init, ABI 1.3 with
/// every slot filled. Static: it lives for the whole process. The service
/// slots and service_log_read go to the calling worker's ServiceGate; the
/// HTTP probe, port_reserve and command_run to host_tools.hpp. Every slot
/// applies the SDK's rules (warden/host_rules.hpp) first, as the fake host
/// does.
const warden_host_services *host_services();

/// The text last_service_error gives the calling thread (set by the
/// services that fail, cleared by those that succeed).
void set_service_error(std::string text) noexcept;
void clear_service_error() noexcept;

/// Catches what a hook reports through set_error on this thread: construct it
/// right before calling the hook, take() right after.
class HookError {
public:
    HookError();
    HookError(const HookError &) = delete;
    HookError &operator=(const HookError &) = delete;

    /// The text the hook set, or "" if it set none.
    std::string take();
};

}  // namespace warden::host
