// SPDX-License-Identifier: Apache-2.0
// shutdown as a member function: there is no plugin object to call it on.
// expect: shutdown must be a public `static void shutdown()`
#include "minimal_plugin.hpp"

struct Plugin : minimal::Plugin<> {
    void shutdown() {}
};

WARDEN_PLUGIN(Plugin)
