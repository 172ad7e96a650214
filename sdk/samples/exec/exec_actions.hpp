// exec_actions.hpp — what the `exec` worker does to the world.
//
// An action is a small class with a name, a timeout and an `execute` the host
// runs later, on the worker's executor thread, with the snapshot that asked
// for it. Actions are idempotent: the host runs one again if the next
// decision asks for it again (after a failure, with a growing delay), so each
// one says what it wants ("the service exists with this config") rather than
// what to change.
#pragma once

#include <warden/plugin.hpp>

namespace exec_sample {

class ExecWorker;

/// Create the service, or update it in place to the current config.
struct CreateService {
    static constexpr std::string_view name = "create_service";
    static constexpr uint32_t timeout_ms = 10'000;
    static constexpr std::string_view description =
        "create the s6 service, or update it in place to the current config";
    void execute(ExecWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

/// Want the service up, now and after a reboot (removes its `down` file).
struct StartService {
    static constexpr std::string_view name = "start_service";
    static constexpr uint32_t timeout_ms = 5'000;
    static constexpr std::string_view description = "start the process and keep it wanted up";
    void execute(ExecWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

/// Want the service down, now and after a reboot; keep the service.
struct StopService {
    static constexpr std::string_view name = "stop_service";
    static constexpr uint32_t timeout_ms = 15'000;
    static constexpr std::string_view description = "stop the process and keep it down";
    void execute(ExecWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

/// Remove the service; its logs stay.
struct RemoveService {
    static constexpr std::string_view name = "remove_service";
    static constexpr uint32_t timeout_ms = 15'000;
    static constexpr std::string_view description = "stop the process and remove the service";
    void execute(ExecWorker &worker, const warden::Snapshot &snapshot,
                 const warden::Cancel &cancel) const;
};

}  // namespace exec_sample
