// SPDX-License-Identifier: Apache-2.0
// graphql_states.hpp — the `graphql` worker's own states.
//
//   stopped --> starting --> idle <--> active
//      ^           |   ^       \        /
//      |           v   |        degraded
//      +------- stopping <--------+
//
// Stopped, starting, degraded and stopping are the worker kit's: starting
// deploys the server and waits for its health endpoint, its readiness and
// `{ __typename }` to hold for a moment (degraded when that takes longer
// than start_timeout_ms). Running and healthy has two states here: active
// while clients' requests arrived within the activity window, idle
// otherwise. Degraded also covers GraphQL error results that grew within the
// error window.
#pragma once

#include <warden/kit/lifecycle.hpp>

namespace graphql_plugin {

class GraphqlWorker;

/// Live, ready and answering must hold this long before the server counts
/// as running.
inline constexpr uint32_t kReadyHoldMs = 2'000;

/// Running and healthy; no requests within the activity window.
struct Idle {
    static constexpr std::string_view name = "idle";
    static constexpr warden::Phase phase = warden::Phase::running_healthy;
    static constexpr std::string_view description =
        "running and answering; no requests within the activity window";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

/// Running and healthy; requests arrived within the activity window.
struct Active {
    static constexpr std::string_view name = "active";
    static constexpr warden::Phase phase = warden::Phase::running_healthy;
    static constexpr std::string_view description =
        "running and answering; requests arrived within the activity window";
    warden::Decision next(const warden::Snapshot &snapshot) const;
};

}  // namespace graphql_plugin
