// SPDX-License-Identifier: Apache-2.0
// A worker class's description as a function: the table holds a string.
// expect: a worker class's description must be a public `static constexpr std::string_view
#include "minimal_plugin.hpp"

#include <string_view>

class Worker : public minimal::Worker<> {
public:
    using minimal::Worker<>::Worker;
    static std::string_view description() { return "does nothing"; }
};

WARDEN_PLUGIN(minimal::Plugin<Worker>)
