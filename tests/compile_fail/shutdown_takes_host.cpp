// SPDX-License-Identifier: Apache-2.0
// shutdown expecting a Host: the host's shutdown hook has none to give.
// expect: shutdown must be a public `static void shutdown()`
#include "minimal_plugin.hpp"

struct Plugin : minimal::Plugin<> {
    static void shutdown(const warden::Host &) {}
};

WARDEN_PLUGIN(Plugin)
