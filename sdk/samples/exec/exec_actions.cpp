// exec_actions.cpp — the `exec` worker's actions, written against the host's
// service operations (warden::Host wraps the C slots). A failing host call
// throws warden::Error with the host's reason; the wrapper returns its status
// and the host shows the reason beside the action in the worker's status.
#include "exec_actions.hpp"

#include "exec_desired.hpp"
#include "exec_worker.hpp"

namespace exec_sample {

// CreateService shows the create-or-update contract of service_create: the
// same spec twice leaves the process alone, a changed spec rewrites the
// service and restarts the process in place. Once the host has it, the worker
// records what it deployed, which is how `next` later tells "config changed".
void CreateService::execute(ExecWorker &worker, const warden::Snapshot &snapshot,
                            const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    const ExecDesired desired = ExecDesired::from_json(snapshot.desired_json());
    worker.host().create_service(desired.service_spec());
    worker.set_deployed(desired.fingerprint());
}

// StartService and StopService use the persistent commands: the service's
// `down` file follows the desired state, so after a reboot s6 starts exactly
// the services that should run, before the host is even back.
void StartService::execute(ExecWorker &worker, const warden::Snapshot &,
                           const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    worker.host().control_service(worker.service_name(), warden::ServiceCommand::start_persist);
}

void StopService::execute(ExecWorker &worker, const warden::Snapshot &,
                          const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    worker.host().control_service(worker.service_name(), warden::ServiceCommand::stop_persist);
}

// RemoveService keeps the logs: a removed worker's last words are often the
// reason it was removed. Removing a service that is already gone succeeds.
void RemoveService::execute(ExecWorker &worker, const warden::Snapshot &,
                            const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    worker.host().remove_service(worker.service_name());
    worker.set_deployed({});
}

}  // namespace exec_sample
