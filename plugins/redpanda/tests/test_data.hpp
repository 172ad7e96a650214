// SPDX-License-Identifier: Apache-2.0
// test_data.hpp — the bodies a real Redpanda v24.3.8 returned, which the
// Redpanda stand-in serves too (tests/fixtures/redpanda_fixture/data).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace redpanda_plugin {

/// The whole of data file `name` ("public_metrics.txt", "cluster_config.json").
inline std::string data_file(const std::string &name) {
    std::ifstream in(std::string(REDPANDA_TEST_DATA) + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace redpanda_plugin
