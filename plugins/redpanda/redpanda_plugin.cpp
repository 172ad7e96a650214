// SPDX-License-Identifier: Apache-2.0
// redpanda_plugin.cpp — the plugin: its name, version, worker types and the
// one exported symbol.
#include "redpanda_worker.hpp"

#include <warden/plugin.hpp>

namespace redpanda_plugin {

// The worker sends cluster properties with PUT, which Warden's host's HTTP
// probe takes from ABI 1.3 on: an older host refuses the plugin at load,
// saying why.
struct RedpandaPlugin {
    static constexpr std::string_view name = "redpanda";
    static constexpr std::string_view version = "1.0.0";
    static constexpr uint32_t min_host_minor = 3;
    using WorkerTypes = warden::WorkerTypes<RedpandaWorker>;
};

}  // namespace redpanda_plugin

WARDEN_PLUGIN(redpanda_plugin::RedpandaPlugin)
