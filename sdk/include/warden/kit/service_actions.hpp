// SPDX-License-Identifier: Apache-2.0
// warden/kit/service_actions.hpp — the actions of a worker that runs s6
// services: check, deploy, start, stop, restart, remove.
//
// Each is a class template over the worker class W (a kit::ServiceWorker<W>)
// and each says what it wants rather than what to change, so running it
// again is harmless: "these services exist as planned", "they are up". The
// host runs them on the worker's executor thread; a failing host call throws
// warden::Error with the host's reason, which the host shows beside the
// action and, after a growing delay, the next decision asks again.
//
// Start and stop use s6's persistent commands: each service's `down` file
// follows the desired state, so after a reboot s6 starts exactly the
// services that should run, before the host is even back. Remove keeps the
// logs: a removed worker's last words are often the reason it was removed.
//
//     using Actions = warden::Actions<kit::Check<W>, kit::Deploy<W>, kit::Start<W>,
//                                     kit::Stop<W>, kit::Restart<W>, kit::Remove<W>>;
//
// THREADING: run by the host on the worker's executor thread.
#ifndef WARDEN_KIT_SERVICE_ACTIONS_HPP
#define WARDEN_KIT_SERVICE_ACTIONS_HPP

#include <warden/kit/config_check.hpp>
#include <warden/kit/observed.hpp>
#include <warden/kit/plan.hpp>
#include <warden/snapshot.hpp>

#include <set>
#include <string>
#include <string_view>

namespace warden::kit {

namespace detail {

template <typename W>
Plan plan_of(const Snapshot &snapshot) {
    return W::plan(snapshot, Observed::from_json(snapshot.observed_json()));
}

}  // namespace detail

/// Run the program's own config check on the plan as it would be deployed,
/// and record the verdict. A refused config is a verdict the states show,
/// not a failed action: checking the same bytes again would say the same.
template <typename W>
struct Check {
    static constexpr std::string_view name = "check";
    static constexpr uint32_t timeout_ms = 60'000;
    static constexpr std::string_view description =
        "run the program's own config check on what would be deployed";
    void execute(W &worker, const Snapshot &snapshot, const Cancel &cancel) const {
        const Plan plan = detail::plan_of<W>(snapshot);
        if (!plan.check) throw Error(WARDEN_ERR_INVALID_ARGUMENT, "check: the plan has no check");
        if (!plan.waiting.empty()) throw Error(WARDEN_ERR, "check: " + plan.waiting);
        worker.record_check(run_check(worker.host(), *plan.check, plan.fingerprint(), cancel));
    }
};

/// Create each planned service, or update it in place (same service, logs
/// kept): the same spec again leaves the process alone, a changed one
/// rewrites the service and restarts its process. Services of this worker
/// that the plan no longer names are removed. With a config check, only a
/// plan whose fingerprint passed is deployed.
template <typename W>
struct Deploy {
    static constexpr std::string_view name = "deploy";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description =
        "create the s6 services, or update them in place to the current config";
    void execute(W &worker, const Snapshot &snapshot, const Cancel &cancel) const {
        cancel.throw_if_requested(name);
        const Plan plan = detail::plan_of<W>(snapshot);
        if (!plan.waiting.empty()) throw Error(WARDEN_ERR, "deploy: " + plan.waiting);
        const std::string fingerprint = plan.fingerprint();
        if (plan.check && !worker.check_passed(fingerprint))
            throw Error(
                WARDEN_ERR_INVALID_ARGUMENT,
                "deploy: the config changed since " + plan.check->what + " passed it; check first");
        std::set<std::string> planned;
        for (const ServiceSpec &spec : plan.services) {
            cancel.throw_if_requested(name);
            worker.host().create_service(spec);
            planned.insert(spec.name);
        }
        for (const std::string &stray : worker.host().list_services(worker.service_name()))
            if (planned.count(stray) == 0) worker.host().remove_service(stray);
        worker.record_deployed(fingerprint);
    }
};

/// Want every planned service up, now and after a reboot.
template <typename W>
struct Start {
    static constexpr std::string_view name = "start";
    static constexpr uint32_t timeout_ms = 10'000;
    static constexpr std::string_view description = "start the services and keep them wanted up";
    void execute(W &worker, const Snapshot &snapshot, const Cancel &cancel) const {
        for (const ServiceSpec &spec : detail::plan_of<W>(snapshot).services) {
            cancel.throw_if_requested(name);
            worker.host().control_service(spec.name, ServiceCommand::start_persist);
        }
    }
};

/// Want every service of the worker down, now and after a reboot; keep them.
/// A program stopped on purpose starts its count of not-ready restarts over.
template <typename W>
struct Stop {
    static constexpr std::string_view name = "stop";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description = "stop the services and keep them down";
    void execute(W &worker, const Snapshot &, const Cancel &cancel) const {
        for (const std::string &service : worker.host().list_services(worker.service_name())) {
            cancel.throw_if_requested(name);
            worker.host().control_service(service, ServiceCommand::stop_persist);
        }
        worker.forget_not_ready_restarts();
    }
};

/// Restart the planned services' processes in place (same services, logs
/// kept): they stayed up but not ready past their deadline. s6 sends each
/// its down signal and starts it again; counted for the backoff.
template <typename W>
struct Restart {
    static constexpr std::string_view name = "restart";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description =
        "restart, in place, services that stay up but not ready";
    void execute(W &worker, const Snapshot &snapshot, const Cancel &cancel) const {
        for (const ServiceSpec &spec : detail::plan_of<W>(snapshot).services) {
            cancel.throw_if_requested(name);
            worker.host().control_service(spec.name, ServiceCommand::restart);
        }
        worker.count_not_ready_restart();
    }
};

/// Remove every service of the worker; their logs stay. Removing a service
/// that is already gone succeeds.
template <typename W>
struct Remove {
    static constexpr std::string_view name = "remove";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description = "stop the processes and remove the services";
    void execute(W &worker, const Snapshot &snapshot, const Cancel &cancel) const {
        std::set<std::string> services;
        for (const ServiceSpec &spec : detail::plan_of<W>(snapshot).services)
            services.insert(spec.name);
        for (std::string &service : worker.host().list_services(worker.service_name()))
            services.insert(std::move(service));
        for (const std::string &service : services) {
            cancel.throw_if_requested(name);
            worker.host().remove_service(service);
        }
        worker.record_deployed({});
    }
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_SERVICE_ACTIONS_HPP
