// SPDX-License-Identifier: Apache-2.0
// init in the private part of the class: the wrapper cannot call it.
// expect: init must be a public `static void init(const warden::Host &)`
#include "minimal_plugin.hpp"

class Plugin : public minimal::Plugin<> {
    static void init(const warden::Host &) {}
};

WARDEN_PLUGIN(Plugin)
