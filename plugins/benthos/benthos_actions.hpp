// benthos_actions.hpp — what the `benthos` worker does to the world.
//
// Each action states what it wants: "lint says these bytes are valid", "the
// service runs these bytes", "the service is up"; all but the restart are
// idempotent, and the host decides again only once it has seen the result.
#pragma once

#include <warden/plugin.hpp>

namespace benthos_plugin {

class BenthosWorker;

/// Run `benthos lint` on the config as it would be deployed, and record the verdict.
struct LintConfig {
    static constexpr std::string_view name = "lint_config";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description =
        "run benthos lint on the rendered config before it is deployed";
    void execute(BenthosWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

/// Create the service, or update it in place (same service, logs kept) to
/// the rendered config lint passed.
struct DeployService {
    static constexpr std::string_view name = "deploy_service";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description =
        "create the s6 service, or update it in place to the linted config";
    void execute(BenthosWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

/// Want the service up, now and after a reboot.
struct StartService {
    static constexpr std::string_view name = "start_service";
    static constexpr uint32_t timeout_ms = 5'000;
    static constexpr std::string_view description = "start the pipeline and keep it wanted up";
    void execute(BenthosWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

/// Restart the pipeline's process in place (same service, logs kept): it
/// stayed not live and ready past its deadline. Counted for the backoff.
struct RestartService {
    static constexpr std::string_view name = "restart_service";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description =
        "restart a pipeline that stays not ready, in place";
    void execute(BenthosWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

/// Want the service down, now and after a reboot; keep the service.
struct StopService {
    static constexpr std::string_view name = "stop_service";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description = "stop the pipeline and keep it down";
    void execute(BenthosWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

/// Remove the service; its logs stay.
struct RemoveService {
    static constexpr std::string_view name = "remove_service";
    static constexpr uint32_t timeout_ms = 30'000;
    static constexpr std::string_view description = "stop the pipeline and remove the service";
    void execute(BenthosWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

}  // namespace benthos_plugin
