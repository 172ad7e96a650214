// SPDX-License-Identifier: Apache-2.0
// redpanda_states.hpp — the `redpanda` worker's own states.
//
//   stopped --> starting --> idle <--> active
//      ^           |   ^       \        /
//      |           v   |        degraded
//      +------- stopping <--------+
//
// Stopped, starting, degraded and stopping are the worker kit's: starting
// deploys redpanda.yaml and waits for /v1/status/ready to say "ready" for a
// moment, and turns degraded when the broker is still not ready at its
// start deadline. Running and healthy has two states here: active while
// bytes were produced or consumed within the activity window, idle
// otherwise. Before either, the cluster config is brought to what the YAML
// asks; a broker restarted for it goes back to starting. Degraded also
// covers a storage space alert, partitions without quorum and a cluster
// property Redpanda refused.
#pragma once

#include <warden/kit/lifecycle.hpp>

namespace redpanda_plugin {

class RedpandaWorker;

/// Live and ready must hold this long before the broker counts as running.
inline constexpr uint32_t kReadyHoldMs = 2'000;

/// Running and healthy; nothing produced or consumed within the window.
struct Idle {
    static constexpr std::string_view name = "idle";
    static constexpr warden::Phase phase = warden::Phase::running_healthy;
    static constexpr std::string_view description =
        "running; nothing produced or consumed within the activity window";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// Running and healthy; bytes produced or consumed within the window.
struct Active {
    static constexpr std::string_view name = "active";
    static constexpr warden::Phase phase = warden::Phase::running_healthy;
    static constexpr std::string_view description =
        "running; bytes produced or consumed within the activity window";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

}  // namespace redpanda_plugin
