// SPDX-License-Identifier: Apache-2.0
// exec_worker.hpp — the `exec` worker type: one command, run as an s6 service.
//
// The worker class is where a worker type comes together. Built on the SDK's
// worker kit, it says only what is new about `exec`: its name, how a config
// becomes its desired state (ExecDesired), and what that runs (its plan: one
// s6 service). The kit brings the rest: the states (stopped, starting,
// running, degraded, stopping) with their reasons, the actions (deploy,
// start, stop, restart, remove), and a collect that observes the service.
// One ExecWorker object exists per `exec` entry in warden.yaml.
//
// THREADING: as kit::ServiceWorker: collect on the worker's collector thread,
// actions on its executor; `plan` is pure and touches no worker.
#pragma once

#include "exec_desired.hpp"

#include <warden/kit/service_worker.hpp>

#include <string>
#include <string_view>

namespace exec_sample {

class ExecWorker : public warden::kit::ServiceWorker<ExecWorker> {
public:
    static constexpr std::string_view type_name = "exec";
    static constexpr std::string_view description = "runs one command as an s6 service";

    using ServiceWorker::ServiceWorker;

    /// The desired state (JSON) for a config (JSON); throws warden::ConfigError.
    /// Static: the host may call it with no worker made, to check a config.
    static std::string derive_desired(const warden::Host &, const warden::Identity &identity,
                                      std::string_view config_json) {
        return ExecDesired::from_config(identity, config_json).to_json();
    }

    /// What `warden --check-config` checks beyond the config itself: the
    /// user and group exist, and this host may run the service as them.
    /// Static, like derive_desired: no worker is made for a check.
    static void check_config(const warden::Host &host, const warden::Identity &,
                             std::string_view desired_json, const warden::Cancel &) {
        ExecDesired::from_json(desired_json).run_as.check(host);
    }

    /// What runs: the one service, healthy once it has stayed up for
    /// stable_after_ms (or signalled readiness, with ready_fd, and held it).
    static warden::kit::Plan plan(const warden::Snapshot &snapshot, const warden::kit::Observed &) {
        const ExecDesired desired = ExecDesired::from_json(snapshot.desired_json());
        warden::kit::Plan plan;
        plan.services.push_back(desired.service_spec());
        plan.ready_hold_ms = desired.stable_after_ms;
        return plan;
    }
};

}  // namespace exec_sample
