// SPDX-License-Identifier: Apache-2.0
// A state's description as a C string instead of a std::string_view.
// expect: a state's description must be a public `static constexpr std::string_view
#include "minimal_plugin.hpp"

struct Idle : minimal::Idle {
    static constexpr const char *description = "nothing runs";
};

WARDEN_PLUGIN(minimal::Plugin<minimal::Worker<Idle>>)
