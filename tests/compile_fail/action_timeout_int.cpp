// SPDX-License-Identifier: Apache-2.0
// An action's timeout_ms of another type than the table's field: a negative
// one would turn into a timeout of 49 days.
// expect: an action's timeout_ms must be a public `static constexpr uint32_t timeout_ms`
#include "minimal_plugin.hpp"

struct Poke : minimal::Poke {
    static constexpr int timeout_ms = 5000;
};

using Plugin = minimal::Plugin<minimal::Worker<minimal::Idle, Poke>>;
WARDEN_PLUGIN(Plugin)
