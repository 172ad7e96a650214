// SPDX-License-Identifier: Apache-2.0
// A worker class's description as a std::string: not a constant the table,
// built at compile time, can point at.
// expect: a worker class's description must be a public `static constexpr std::string_view
#include "minimal_plugin.hpp"

#include <string>

class Worker : public minimal::Worker<> {
public:
    using minimal::Worker<>::Worker;
    static inline const std::string description = "does nothing";
};

WARDEN_PLUGIN(minimal::Plugin<Worker>)
