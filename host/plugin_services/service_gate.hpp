// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/service_gate.hpp — the one place every service
// operation a plugin asks for passes through [WP-SVC-1].
//
// The gate checks the call against the SDK's rules (warden/host_rules.hpp,
// which the fake host applies too): the name against the calling worker's
// scope, then the spec, command or flags, then who a spec's process runs as
// (rules::settle_service_account, against the host's account and the
// machine's users and groups) [WP-SVC-3]. It lets the S6Client do the work,
// and writes one audit line: worker, operation, service, result, duration
// (debug; a refused name at warn). It also hands workers the host's port
// registry and its store of published figures, and lets go of a worker's
// ports, figures and last observations when the worker leaves the config
// for good (forget_worker). A worker of type T named X owns services
// named T-X and T-X-*, except those a worker with a longer name owns: with
// workers "web" and "web-2", exec-web-2-db belongs to web-2, not to web.
//
// THREADING: every method is thread-safe; the S6Client it wraps is too.
#pragma once

#include "common/result.hpp"
#include "metrics/plugin_figures.hpp"
#include "net/port_registry.hpp"
#include "plugin_services/handles.hpp"
#include "plugin_services/host_services.hpp"
#include "s6/s6_client.hpp"

#include <warden/plugin.h>
#include <warden/host_rules.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::host {

class ServiceGate {
public:
    /// `ports` (may be null: port reservations are then refused), `figures`
    /// (may be null: figure_publish is then unsupported) and `accounts` must
    /// outlive the gate and every worker made with it. `host` is who the
    /// host is, with its default service user (warden.yaml's service_user),
    /// fixed for the gate's life: by default what set_service_accounts last
    /// set (host_services.hpp).
    explicit ServiceGate(S6Client &client, PortRegistry *ports = nullptr,
                         PluginFigures *figures = nullptr,
                         rules::HostAccount host = service_host_account(),
                         const rules::AccountDirectory &accounts = service_account_directory());
    ServiceGate(const ServiceGate &) = delete;
    ServiceGate &operator=(const ServiceGate &) = delete;

    /// A worker exists from attach to detach; the gate uses the set of
    /// workers to give each service its most specific owner.
    void attach(const std::string &type, const std::string &name) { scope_.attach(type, name); }
    void detach(const std::string &type, const std::string &name) { scope_.detach(type, name); }

    // One per service slot of the host services table. Each returns the
    // status for the plugin and leaves the error text for last_service_error.
    warden_status create(const warden_host_ctx &caller, const warden_service_spec *spec);
    warden_status observe(const warden_host_ctx &caller, warden_str name,
                          warden_service_status *out);
    warden_status control(const warden_host_ctx &caller, warden_str name, int32_t command,
                          int32_t signal_number);
    warden_status remove(const warden_host_ctx &caller, warden_str name, uint32_t flags);
    warden_status list(const warden_host_ctx &caller, warden_str prefix, warden_receive_fn on_name,
                       void *user);
    /// The last `max_lines` (0 = WARDEN_DEFAULT_LOG_LINES, at most
    /// WARDEN_MAX_LOG_LINES) lines of the service's log, oldest first, read
    /// from the end of s6-log's `current` [WP-LOG-1].
    warden_status log_read(const warden_host_ctx &caller, warden_str name, uint32_t max_lines,
                           warden_receive_fn on_line, void *user);

    /// service_account: who a spec naming `user` and `group` would run as,
    /// settled as create settles it. Not audited: it is a lookup.
    warden_status account(warden_str user, warden_str group, warden_service_account *out) const;

    /// Who the host is, as the gate settles accounts.
    const rules::HostAccount &host_account() const { return host_; }

    /// The registry workers made with this gate reserve ports in; may be null.
    PortRegistry *ports() const { return ports_; }
    /// The store workers made with this gate publish figures to; may be null.
    PluginFigures *figures() const { return figures_; }
    /// Lets go of what worker (type, name) held, once it left the config
    /// for good and its plugin's destroy returned (never for one that
    /// restarts, nor for a host that exits): its ports (logged, or why they
    /// could not be), the figures it published and what it last observed of
    /// its services.
    void forget_worker(const std::string &type, const std::string &name);

    /// Whether `caller` may touch the service (or list the prefix) `name`.
    Result<void> admit(const warden_host_ctx &caller, std::string_view name) const;

    /// Each service as its worker last observed it (through observe), by
    /// name: what the workers see, every observation interval and at once on
    /// any change s6 makes, without another read of s6. A service removed,
    /// or whose worker left, is forgotten.
    std::vector<std::pair<std::string, ServiceStatus>> last_observed() const;

    /// The attached worker (type, name) that owns `service`, if any: the one
    /// with the longest matching prefix.
    std::optional<std::pair<std::string, std::string>> owner(std::string_view service) const {
        return scope_.owner(service);
    }

private:
    using Clock = std::chrono::steady_clock;
    warden_status finish(const warden_host_ctx &caller, const char *operation,
                         std::string_view service, const Result<void> &result,
                         Clock::time_point started) const;

    S6Client &client_;
    PortRegistry *const ports_;
    PluginFigures *const figures_;
    const rules::HostAccount host_;
    const rules::AccountDirectory &accounts_;
    rules::ServiceScope scope_;
    mutable std::mutex seen_mutex_;                           // the two below
    std::map<std::string, ServiceStatus, std::less<>> seen_;  // last_observed, by service
    // Removals so far: an observe that raced a remove (a collect beside an
    // action) does not bring the removed service back into seen_.
    uint64_t removals_ = 0;
};

}  // namespace warden::host
