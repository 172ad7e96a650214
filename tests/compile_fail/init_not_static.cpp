// SPDX-License-Identifier: Apache-2.0
// init as a member function: there is no plugin object to call it on.
// expect: init must be a public `static void init(const warden::Host &)`
#include "minimal_plugin.hpp"

struct Plugin : minimal::Plugin<> {
    void init(const warden::Host &) {}
};

WARDEN_PLUGIN(Plugin)
