// SPDX-License-Identifier: Apache-2.0
// host/config/config_problem.hpp — one thing wrong with a config file.
#pragma once

#include <string>

namespace warden::host {

struct ConfigProblem {
    int line = 0;  ///< 1-based; 0 when it concerns the whole file
    std::string message;
};

}  // namespace warden::host
