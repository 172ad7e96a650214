// SPDX-License-Identifier: Apache-2.0
// An action's description as a function: the table holds a string.
// expect: an action's description must be a public `static constexpr std::string_view
#include "minimal_plugin.hpp"

#include <string_view>

struct Poke : minimal::Poke {
    static constexpr std::string_view description() { return "pokes"; }
};

using Plugin = minimal::Plugin<minimal::Worker<minimal::Idle, Poke>>;
WARDEN_PLUGIN(Plugin)
