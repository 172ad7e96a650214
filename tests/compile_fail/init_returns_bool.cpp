// SPDX-License-Identifier: Apache-2.0
// init returning false to refuse the host: the value would be dropped. A
// plugin refuses by throwing warden::Error.
// expect: init must be a public `static void init(const warden::Host &)`
#include "minimal_plugin.hpp"

struct Plugin : minimal::Plugin<> {
    static bool init(const warden::Host &) { return false; }
};

WARDEN_PLUGIN(Plugin)
