// SPDX-License-Identifier: Apache-2.0
// benthos_plugin.cpp — the plugin: its name, version, worker types and the
// one exported symbol.
#include "benthos_worker.hpp"

#include <warden/plugin.hpp>

namespace benthos_plugin {

// The worker needs the HTTP probe, port reservations, log reading and the
// command runner, which Warden's host offers from ABI 1.2 on: an older host
// refuses the plugin at load, saying why.
struct BenthosPlugin {
    static constexpr std::string_view name = "benthos";
    static constexpr std::string_view version = "1.0.0";
    static constexpr uint32_t min_host_minor = 2;
    using WorkerTypes = warden::WorkerTypes<BenthosWorker>;
};

}  // namespace benthos_plugin

WARDEN_PLUGIN(benthos_plugin::BenthosPlugin)
