// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/host_services.hpp — the table of host services plugins call.
//
// THREADING: every service in the table is thread-safe. Errors are kept per
// thread: set_error from a hook lands in the calling thread's hook error, and
// a failing host service leaves its text in the thread's service error.
#pragma once

#include "plugin_services/system_accounts.hpp"

#include <warden/plugin.h>
#include <warden/host_rules.hpp>

#include <string>

namespace warden::host {

/// The host services table handed to every plugin's init, ABI 1.5 with
/// every slot filled. Static: it lives for the whole process. The service
/// slots and service_log_read go to the calling worker's ServiceGate; the
/// HTTP probe, port_reserve, command_run and figure_publish to
/// host_tools.hpp (a worker publishes into the PluginFigures its gate holds);
/// service_account to the caller's gate, or for a context without one to
/// the host's accounts below. Every slot applies the SDK's rules
/// (warden/host_rules.hpp) first, as the fake host does.
const warden_host_services *host_services();

/// Who the host is, with its default service user, and the account
/// database it settles who services run as against [WP-SVC-3]: what a
/// ServiceGate made afterwards settles with (unless given its own), and
/// what service_account answers for a context without a gate (the plugin's
/// own, derive_desired_state's, check_config's). By default this process
/// (this_host_account()) without a default service user, and the machine's
/// users and groups. The running host sets its service_user here before it
/// makes its gate; `accounts` must outlive every call.
void set_service_accounts(rules::HostAccount host,
                          const rules::AccountDirectory &accounts = system_accounts());
rules::HostAccount service_host_account();
const rules::AccountDirectory &service_account_directory();

/// service_account for `host` against `accounts`: settles who a spec naming
/// `user` and `group` runs as, writes `out` within its struct_size, and
/// leaves the thread's error text.
warden_status settle_account(const rules::HostAccount &host,
                             const rules::AccountDirectory &accounts, warden_str user,
                             warden_str group, warden_service_account *out) noexcept;

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
