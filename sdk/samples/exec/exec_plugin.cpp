// SPDX-License-Identifier: Apache-2.0
// exec_plugin.cpp — the plugin itself: a name, a version, the worker types
// it offers, and the one exported symbol.
//
// WARDEN_PLUGIN emits `warden_plugin_entry`, which returns a table the
// wrapper built at compile time from these classes: no code runs when the
// library is loaded. The host checks the table's ABI version, then calls
// init (none needed here), then makes workers as warden.yaml asks.
#include "exec_worker.hpp"

#include <warden/plugin.hpp>

namespace exec_sample {

// The worker needs the host's service operations, which Warden's host fills
// from ABI 1.1 on: an older host refuses the plugin at load, saying why.
struct ExecPlugin {
    static constexpr std::string_view name = "exec";
    static constexpr std::string_view version = "1.0.0";
    static constexpr uint32_t min_host_minor = 1;
    using WorkerTypes = warden::WorkerTypes<ExecWorker>;
};

}  // namespace exec_sample

WARDEN_PLUGIN(exec_sample::ExecPlugin)
