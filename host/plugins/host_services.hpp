// host/plugins/host_services.hpp — the table of host services plugins call.
//
// THREADING: every service in the table is thread-safe. Errors are kept per
// thread: set_error from a hook lands in the calling thread's hook error, and
// a failing host service leaves its text in the thread's service error.
#pragma once

#include <warden/plugin.h>

#include <string>

namespace warden::host {

/// The host services table handed to every plugin's init. Static: it lives
/// for the whole process. ABI 1.0: the service and HTTP probe slots are NULL.
const warden_host_services *host_services();

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
