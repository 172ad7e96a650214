// benthos_states.hpp — the `benthos` worker's state machine.
//
//   stopped --> starting --> idle <--> active
//      ^           |   ^       \        /
//      |           v   |        degraded
//      +------- stopping <--------+
//
// starting: the config is linted, then deployed, then the worker waits for
// /ping and /ready to hold for a few seconds. idle and active are both
// running and healthy: active while input arrived in the last minute.
// degraded: not ready, crash-looping, or errors grew in the recent window —
// or a config change that lint rejected while the previous config runs on.
// A process that stays up but not live and ready past not_ready_restart_ms
// is restarted in place from degraded, each further time after twice the
// wait before.
// Every `next` is pure: it reads the snapshot and nothing else.
#pragma once

#include <warden/plugin.hpp>

#include <cstdint>

namespace benthos_plugin {

/// Live and ready must hold this long before the pipeline counts as running
/// (and before the restarts for not being ready are counted from zero again).
constexpr int64_t kReadyHoldMs = 3'000;

/// No pipeline runs (and none should, or the worker is being removed).
struct Stopped {
    static constexpr std::string_view name = "stopped";
    static constexpr warden::Phase phase = warden::Phase::stopped;
    static constexpr std::string_view description = "no pipeline runs";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// Linting and deploying the config, then waiting for live and ready to hold.
struct Starting {
    static constexpr std::string_view name = "starting";
    static constexpr warden::Phase phase = warden::Phase::starting;
    static constexpr std::string_view description =
        "linting and deploying the config, waiting for /ping and /ready to hold";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// Running and healthy; no input in the last minute.
struct Idle {
    static constexpr std::string_view name = "idle";
    static constexpr warden::Phase phase = warden::Phase::running_healthy;
    static constexpr std::string_view description = "running; no input in the last minute";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// Running and healthy; input arrived in the last minute.
struct Active {
    static constexpr std::string_view name = "active";
    static constexpr warden::Phase phase = warden::Phase::running_healthy;
    static constexpr std::string_view description = "running; input arrived in the last minute";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// Should run but is not well: not ready, crash-looping, errors in the recent
/// window, or a config change lint rejected.
struct Degraded {
    static constexpr std::string_view name = "degraded";
    static constexpr warden::Phase phase = warden::Phase::running_degraded;
    static constexpr std::string_view description =
        "not ready, crash-looping, errors in the recent window, or a rejected config change";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// Stopping the pipeline (and removing the service, on shutdown).
struct Stopping {
    static constexpr std::string_view name = "stopping";
    static constexpr warden::Phase phase = warden::Phase::stopping;
    static constexpr std::string_view description = "stopping the pipeline";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

}  // namespace benthos_plugin
