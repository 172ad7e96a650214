// SPDX-License-Identifier: Apache-2.0
// host/plugins/plugin_table.hpp — copying what a plugin declares out of its
// tables, once they passed warden::check_plugin_table (the SDK's rules,
// shared with the fake host), into values the host owns.
#pragma once

#include "plugins/worker_type_info.hpp"

#include <warden/plugin.h>

namespace warden::host {

/// The plugin's name, version and worker types, with their states and
/// actions (default action timeouts applied). `table` must have passed
/// warden::check_plugin_table.
PluginInfo read_plugin_table(const warden_plugin &table);

}  // namespace warden::host
