// SPDX-License-Identifier: Apache-2.0
// A state's description as a data member: the table is built from the class,
// not from an object.
// expect: a state's description must be a public `static constexpr std::string_view
#include "minimal_plugin.hpp"

#include <string_view>

struct Idle : minimal::Idle {
    std::string_view description = "nothing runs";
};

WARDEN_PLUGIN(minimal::Plugin<minimal::Worker<Idle>>)
