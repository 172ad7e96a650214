// SPDX-License-Identifier: Apache-2.0
// min_host_minor as a data member: there is no plugin object to read it from.
// expect: min_host_minor must be a public `static constexpr uint32_t min_host_minor`
#include "minimal_plugin.hpp"

#include <cstdint>

struct Plugin : minimal::Plugin<> {
    uint32_t min_host_minor = 2;
};

WARDEN_PLUGIN(Plugin)
