// SPDX-License-Identifier: Apache-2.0
// warden/kit/plan.hpp — what a worker wants running, and how to judge it.
//
// A Plan is a pure function of a worker's desired state (and, where a worker
// needs it, of what it observed: a reserved port). The kit's states compute
// it at every `next` to compare what runs with what should, and its actions
// compute it again to deploy exactly that. It names the worker's s6
// services, the program's own config check to pass before anything is
// deployed, and the timings the states judge health by.
//
//     static warden::kit::Plan plan(const warden::Snapshot &s, const warden::kit::Observed &) {
//         warden::kit::Plan p;
//         p.services.push_back(spec_from(s.desired_json()));
//         p.ready_hold_ms = 2'000;
//         return p;
//     }
//
// THREADING: a plain value.
#ifndef WARDEN_KIT_PLAN_HPP
#define WARDEN_KIT_PLAN_HPP

#include <warden/host.hpp>
#include <warden/kit/fingerprint.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace warden::kit {

/// A program's own check of a config it would run (`benthos lint`,
/// `nginx -t`): run through the host on the exact files to be deployed.
struct ConfigCheck {
    std::string what;  ///< how reasons name it: "benthos lint"
    Command command;   ///< exit 0 = the config passed
};

struct Plan {
    /// The worker's services, each named in its scope (Identity::service_name).
    std::vector<ServiceSpec> services;
    /// Run before deploying; only what passed is deployed. None = deploy at once.
    std::optional<ConfigCheck> check;
    /// Non-empty: nothing can be deployed yet, and why ("no HTTP port: ...").
    /// The services are still named, so they can be observed and stopped.
    std::string waiting;

    /// Ready without a break this long before the worker counts as running.
    uint32_t ready_hold_ms = 1'000;
    /// Up but not ready this long in starting: degraded, not starting.
    uint32_t start_grace_ms = 10'000;
    /// Up but not ready this long: restart in place, each further restart
    /// after twice the wait before, at most max_restart_wait_ms. 0 = never.
    uint32_t not_ready_restart_ms = 0;
    uint32_t max_restart_wait_ms = 30 * 60'000;
    /// What reasons call the thing that runs: "process", "pipeline", "broker".
    std::string noun = "process";

    /// The fingerprint of every service as specified: what "deployed" compares.
    std::string fingerprint() const {
        Fingerprint f;
        f.add(uint64_t{services.size()});
        for (const ServiceSpec &spec : services) f.add(spec);
        return f.hex();
    }

    /// How long a process must stay not ready before the restart after
    /// `restarts` such restarts in a row.
    int64_t restart_wait_ms(uint32_t restarts) const {
        int64_t wait = not_ready_restart_ms;
        for (uint32_t i = 0; i < restarts && wait < max_restart_wait_ms; ++i) wait *= 2;
        return std::min<int64_t>(wait, max_restart_wait_ms);
    }

    /// Whether the plan names a service `name`.
    bool find_service(const std::string &name) const {
        for (const ServiceSpec &spec : services)
            if (spec.name == name) return true;
        return false;
    }

    /// "exec-web", or "exec-web, exec-web-db": the services as reasons name them.
    std::string service_names() const {
        std::string out;
        for (const ServiceSpec &spec : services) out += (out.empty() ? "" : ", ") + spec.name;
        return out;
    }
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_PLAN_HPP
