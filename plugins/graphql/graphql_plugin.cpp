// SPDX-License-Identifier: Apache-2.0
// graphql_plugin.cpp — the plugin: its name, version, worker types and the
// one exported symbol.
#include "graphql_worker.hpp"

#include <warden/plugin.hpp>

namespace graphql_plugin {

// The worker needs the HTTP probe (with POST), port reservations and log
// reading, which Warden's host offers from ABI 1.2 on: an older host refuses
// the plugin at load, saying why.
struct GraphqlPlugin {
    static constexpr std::string_view name = "graphql";
    static constexpr std::string_view version = "1.0.0";
    static constexpr uint32_t min_host_minor = 2;
    using WorkerTypes = warden::WorkerTypes<GraphqlWorker>;
};

}  // namespace graphql_plugin

WARDEN_PLUGIN(graphql_plugin::GraphqlPlugin)
