// SPDX-License-Identifier: Apache-2.0
// benthos_states.hpp — the `benthos` worker's own states.
//
//   stopped --> starting --> idle <--> active
//      ^           |   ^       \        /
//      |           v   |        degraded
//      +------- stopping <--------+
//
// Stopped, starting, degraded and stopping are the worker kit's: starting
// lints the config (`benthos lint`), deploys it, and waits for /ping and
// /ready to hold for a few seconds; degraded restarts in place a pipeline
// that stays up but not ready past not_ready_restart_ms, each further time
// after twice the wait before. Running and healthy has two states here:
// active while input arrived in the last minute, idle otherwise. Degraded
// also covers errors that grew within the error window.
#pragma once

#include <warden/kit/lifecycle.hpp>

namespace benthos_plugin {

class BenthosWorker;

/// Live and ready must hold this long before the pipeline counts as running
/// (and before the restarts for not being ready are counted from zero again).
inline constexpr uint32_t kReadyHoldMs = 3'000;

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

}  // namespace benthos_plugin
