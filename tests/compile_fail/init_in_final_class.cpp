// SPDX-License-Identifier: Apache-2.0
// init taking a Host it may change, in a final class: the wrapper finds a
// final class's members another way, and refuses this one all the same.
// expect: init must be a public `static void init(const warden::Host &)`
#include "minimal_plugin.hpp"

struct Plugin final : minimal::Plugin<> {
    static void init(warden::Host &) {}
};

WARDEN_PLUGIN(Plugin)
