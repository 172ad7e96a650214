// SPDX-License-Identifier: Apache-2.0
// warden/types.hpp — the C ABI's scalars as C++ types, and string conversions.
//
// Part of the header-only C++ wrapper over warden/plugin.h (namespace warden).
// Everything here is a plain value: thread-safe to use from any thread.
#ifndef WARDEN_TYPES_HPP
#define WARDEN_TYPES_HPP

#include <warden/plugin.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace warden {

/// A view of a C string; valid as long as the bytes it points to.
inline std::string_view view(warden_str s) noexcept {
    return s.len == 0 ? std::string_view() : std::string_view(s.ptr, s.len);
}

/// A C string over the bytes of `s`; valid as long as `s`'s bytes.
constexpr warden_str str(std::string_view s) noexcept {
    return warden_str{s.data(), s.size()};
}

enum class Level : int32_t {
    trace = WARDEN_LOG_TRACE,
    debug = WARDEN_LOG_DEBUG,
    info = WARDEN_LOG_INFO,
    warn = WARDEN_LOG_WARN,
    error = WARDEN_LOG_ERROR,
};

enum class Phase : int32_t {
    stopped = WARDEN_PHASE_STOPPED,
    starting = WARDEN_PHASE_STARTING,
    running_healthy = WARDEN_PHASE_RUNNING_HEALTHY,
    running_degraded = WARDEN_PHASE_RUNNING_DEGRADED,
    stopping = WARDEN_PHASE_STOPPING,
};

enum class Signal : int32_t {
    none = WARDEN_SIGNAL_NONE,
    needs_removal = WARDEN_SIGNAL_NEEDS_REMOVAL,
    needs_restart = WARDEN_SIGNAL_NEEDS_RESTART,
};

enum class DesiredState : int32_t {
    running = WARDEN_DESIRED_RUNNING,
    stopped = WARDEN_DESIRED_STOPPED,
};

/// A failure a plugin means to report: its message reaches the host through
/// set_error and its status is the hook's return value. Throw it from any
/// hook; the wrapper's trampolines catch it.
class Error : public std::runtime_error {
public:
    Error(warden_status status, const std::string &message)
        : std::runtime_error(message), status_(status) {}
    warden_status status() const noexcept { return status_; }

private:
    warden_status status_;
};

/// A worker config the plugin cannot use; the message names the key and the
/// problem ("command: must be an absolute path, got 'sleep'").
class ConfigError : public Error {
public:
    explicit ConfigError(const std::string &message)
        : Error(WARDEN_ERR_INVALID_ARGUMENT, message) {}
};

}  // namespace warden

#endif  // WARDEN_TYPES_HPP
