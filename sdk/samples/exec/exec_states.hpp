// exec_states.hpp — the `exec` worker's state machine.
//
//   stopped --> starting --> running <--> degraded
//      ^                        |            |
//      +------- stopping <------+------------+
//
// Each state is a small class: a name, a lifecycle phase, and a pure `next`
// that looks at the snapshot (desired and observed state) and returns one
// decision — move to another state, run an action, or stay — with a reason a
// person can act on. `next` never does I/O: the host may call it at any time,
// while an action or a collect is still running.
#pragma once

#include <warden/plugin.hpp>

namespace exec_sample {

/// No process runs (and none should, or the worker is being removed).
struct Stopped {
    static constexpr std::string_view name = "stopped";
    static constexpr warden::Phase phase = warden::Phase::stopped;
    static constexpr std::string_view description = "no process runs";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// The service is being created or started; the process has not yet stayed up.
struct Starting {
    static constexpr std::string_view name = "starting";
    static constexpr warden::Phase phase = warden::Phase::starting;
    static constexpr std::string_view description =
        "creating or starting the service, waiting for the process to stay up";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// The process has stayed up for `stable_after_ms`.
struct Running {
    static constexpr std::string_view name = "running";
    static constexpr warden::Phase phase = warden::Phase::running_healthy;
    static constexpr std::string_view description = "the process is up and stays up";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// The process should run but keeps exiting (s6 restarts it), or was stopped
/// behind the host's back.
struct Degraded {
    static constexpr std::string_view name = "degraded";
    static constexpr warden::Phase phase = warden::Phase::running_degraded;
    static constexpr std::string_view description = "the process exits and s6 restarts it";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// The process is being stopped (and the service removed, on shutdown).
struct Stopping {
    static constexpr std::string_view name = "stopping";
    static constexpr warden::Phase phase = warden::Phase::stopping;
    static constexpr std::string_view description = "stopping the process";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

}  // namespace exec_sample
