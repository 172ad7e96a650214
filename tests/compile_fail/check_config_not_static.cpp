// SPDX-License-Identifier: Apache-2.0
// check_config as a member function: `warden --check-config` calls it with
// no worker made.
// expect: check_config must be a public `static void check_config(const warden::Host &,
#include "minimal_plugin.hpp"

#include <string_view>

class Worker : public minimal::Worker<> {
public:
    using minimal::Worker<>::Worker;
    void check_config(const warden::Host &, const warden::Identity &, std::string_view,
                      const warden::Cancel &) {}
};

WARDEN_PLUGIN(minimal::Plugin<Worker>)
