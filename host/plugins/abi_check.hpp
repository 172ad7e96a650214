// host/plugins/abi_check.hpp — deciding whether a plugin table can be used.
//
// Pure functions over the C tables: no loading, no logging, so every rule
// can be tested with tables built in memory. The loader calls check_abi
// first (magic, size, versions: the "ABI check" step) and read_plugin_table
// second (names, worker types, states, actions: the "worker type check"
// step). Each error's message is the cause alone; the loader adds the file
// and the step.
#pragma once

#include "common/result.hpp"
#include "plugins/worker_type_info.hpp"

#include <warden/plugin.h>

#include <cstdint>

namespace warden::host {

/// Refuses a table with the wrong magic, a struct_size smaller than ABI 1.0's,
/// another major version, or a min_host_minor newer than `host_abi_version`.
Result<void> check_abi(const warden_plugin &table, uint32_t host_abi_version = WARDEN_ABI_VERSION);

/// Reads and checks the plugin's name, version and worker types: names
/// valid, hooks present, states and actions declared once each, initial
/// state declared, phases known. Call only after check_abi accepted `table`.
Result<PluginInfo> read_plugin_table(const warden_plugin &table);

/// Whether `name` may name a worker type, state or action: [a-z][a-z0-9_]{0,31}.
bool valid_fsm_name(std::string_view name);

}  // namespace warden::host
