// SPDX-License-Identifier: Apache-2.0
// check_config returning false for a bad config: the value would be dropped
// and the config pass. A bad config throws warden::Error.
// expect: check_config must be a public `static void check_config(const warden::Host &,
#include "minimal_plugin.hpp"

#include <string_view>

class Worker : public minimal::Worker<> {
public:
    using minimal::Worker<>::Worker;
    static bool check_config(const warden::Host &, const warden::Identity &, std::string_view,
                             const warden::Cancel &) {
        return false;
    }
};

WARDEN_PLUGIN(minimal::Plugin<Worker>)
