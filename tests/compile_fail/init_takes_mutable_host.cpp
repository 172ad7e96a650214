// SPDX-License-Identifier: Apache-2.0
// init taking a Host it may change: the wrapper calls init with a const Host,
// so this init would compile and never run.
// expect: init must be a public `static void init(const warden::Host &)`
#include "minimal_plugin.hpp"

struct Plugin : minimal::Plugin<> {
    static void init(warden::Host &) {}
};

WARDEN_PLUGIN(Plugin)
