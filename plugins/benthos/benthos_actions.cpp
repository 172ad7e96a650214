// benthos_actions.cpp — the `benthos` worker's actions, on the host's
// service operations and command runner. A failing host call throws
// warden::Error with the host's reason, which the host shows beside the action.
#include "benthos_actions.hpp"

#include "benthos_config.hpp"
#include "benthos_lint.hpp"
#include "benthos_render.hpp"
#include "benthos_worker.hpp"

namespace benthos_plugin {
namespace {

Rendering rendering_for(BenthosWorker &worker, const warden::Snapshot &snapshot) {
    const BenthosConfig config = BenthosConfig::from_json(snapshot.desired_json());
    return render(config, worker.http_port(config));
}

}  // namespace

// A rejected config is a verdict the states show, not a failed action:
// retrying lint on the same bytes would only say the same thing again.
void LintConfig::execute(BenthosWorker &worker, const warden::Snapshot &snapshot,
                         const warden::Cancel &cancel) const {
    worker.set_lint(lint(worker.host(), rendering_for(worker, snapshot), cancel));
}

// service_create either creates the service, finds it identical (a host
// restart: the pipeline keeps running), or rewrites its files and restarts
// the process in the same service, logs kept. Only bytes lint passed go out.
void DeployService::execute(BenthosWorker &worker, const warden::Snapshot &snapshot,
                            const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    const Rendering rendering = rendering_for(worker, snapshot);
    if (!worker.lint_passed(rendering.fingerprint))
        throw warden::Error(WARDEN_ERR_INVALID_ARGUMENT,
                            "deploy_service: the config changed since it was linted; lint first");
    const BenthosConfig config = BenthosConfig::from_json(snapshot.desired_json());
    worker.host().create_service(rendering.service_spec(config.service));
    worker.set_deployed(rendering.fingerprint);
}

void StartService::execute(BenthosWorker &worker, const warden::Snapshot &,
                           const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    worker.host().control_service(worker.service_name(), warden::ServiceCommand::start_persist);
}

// s6 sends the down signal (Benthos finishes its in-flight messages) and
// starts the process again; the host returns once the old one has ended.
void RestartService::execute(BenthosWorker &worker, const warden::Snapshot &,
                             const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    worker.host().control_service(worker.service_name(), warden::ServiceCommand::restart);
    worker.count_not_ready_restart();
}

// A pipeline stopped on purpose and started again starts its count of
// not-ready restarts over.
void StopService::execute(BenthosWorker &worker, const warden::Snapshot &,
                          const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    worker.host().control_service(worker.service_name(), warden::ServiceCommand::stop_persist);
    worker.forget_not_ready_restarts();
}

// Logs stay: a removed pipeline's last words often say why it was removed.
void RemoveService::execute(BenthosWorker &worker, const warden::Snapshot &,
                            const warden::Cancel &cancel) const {
    cancel.throw_if_requested(name);
    worker.host().remove_service(worker.service_name());
    worker.set_deployed({});
}

}  // namespace benthos_plugin
