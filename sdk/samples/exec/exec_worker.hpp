// exec_worker.hpp — the `exec` worker type: one command, run as an s6 service.
//
// The worker class is where a worker type comes together: its name, its
// states and actions, how it derives its desired state from the config, and
// how it observes its service. One ExecWorker object exists per `exec` entry
// in warden.yaml.
//
// THREADING: collect runs on the worker's collector thread and the actions on
// its executor thread, at the same time. The one member both touch, the
// fingerprint of what was deployed, is behind a mutex. States never touch the
// worker at all.
#pragma once

#include "exec_actions.hpp"
#include "exec_states.hpp"

#include <warden/plugin.hpp>

#include <mutex>
#include <string>
#include <string_view>

namespace exec_sample {

class ExecWorker : public warden::Worker {
public:
    static constexpr std::string_view type_name = "exec";
    static constexpr std::string_view description = "runs one command as an s6 service";
    using States = warden::States<Stopped, Starting, Running, Degraded, Stopping>;
    using Actions = warden::Actions<CreateService, StartService, StopService, RemoveService>;
    using InitialState = Stopped;

    using Worker::Worker;

    /// The desired state (JSON) for a config (JSON); throws warden::ConfigError.
    static std::string derive_desired(const warden::Host &host, const warden::Identity &identity,
                                      std::string_view config_json);

    /// The observed state (JSON): the service's s6 status and what was deployed.
    std::string collect(const warden::Snapshot &snapshot, const warden::Cancel &cancel);

    /// Set by create_service and remove_service.
    void set_deployed(std::string fingerprint);

private:
    std::mutex mutex_;
    std::string deployed_;  // fingerprint of the desired state the service was made from
};

}  // namespace exec_sample
