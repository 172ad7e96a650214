// SPDX-License-Identifier: Apache-2.0
// An action's timeout_ms as a data member: the table is built from the
// class, not from an object.
// expect: an action's timeout_ms must be a public `static constexpr uint32_t timeout_ms`
#include "minimal_plugin.hpp"

#include <cstdint>

struct Poke : minimal::Poke {
    uint32_t timeout_ms = 5000;
};

using Plugin = minimal::Plugin<minimal::Worker<minimal::Idle, Poke>>;
WARDEN_PLUGIN(Plugin)
