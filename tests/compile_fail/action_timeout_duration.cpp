// SPDX-License-Identifier: Apache-2.0
// An action's timeout_ms as a std::chrono duration: the table holds
// milliseconds as a number.
// expect: an action's timeout_ms must be a public `static constexpr uint32_t timeout_ms`
#include "minimal_plugin.hpp"

#include <chrono>

struct Poke : minimal::Poke {
    static constexpr std::chrono::milliseconds timeout_ms{5000};
};

using Plugin = minimal::Plugin<minimal::Worker<minimal::Idle, Poke>>;
WARDEN_PLUGIN(Plugin)
