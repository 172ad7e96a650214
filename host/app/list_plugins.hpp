// SPDX-License-Identifier: Apache-2.0
// host/app/list_plugins.hpp — `warden --list-plugins`.
#pragma once

#include "plugins/plugin_registry.hpp"

#include <ostream>

namespace warden::host {

/// One line per plugin file (or refused directory): what it offers and any
/// warning about it ("; warning: exports 2 symbols besides ..."), or why it
/// was refused. Returns the exit status: 0 when at least one plugin loaded.
int list_plugins(const PluginRegistry &registry, std::ostream &out);

}  // namespace warden::host
