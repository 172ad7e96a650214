// SPDX-License-Identifier: Apache-2.0
// min_host_minor of another type than the table's field.
// expect: min_host_minor must be a public `static constexpr uint32_t min_host_minor`
#include "minimal_plugin.hpp"

struct Plugin : minimal::Plugin<> {
    static constexpr int min_host_minor = 2;
};

WARDEN_PLUGIN(Plugin)
