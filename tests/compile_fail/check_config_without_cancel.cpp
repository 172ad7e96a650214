// SPDX-License-Identifier: Apache-2.0
// check_config without the cancel token the hook is given.
// expect: check_config must be a public `static void check_config(const warden::Host &,
#include "minimal_plugin.hpp"

#include <string_view>

class Worker : public minimal::Worker<> {
public:
    using minimal::Worker<>::Worker;
    static void check_config(const warden::Host &, const warden::Identity &, std::string_view) {}
};

WARDEN_PLUGIN(minimal::Plugin<Worker>)
