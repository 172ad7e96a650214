// SPDX-License-Identifier: Apache-2.0
// tests/bench/ports.cpp
#include "ports.hpp"

#include "net/port_registry.hpp"

#include <stdexcept>
#include <string>

namespace warden::bench {

std::vector<uint32_t> free_ports(int count) {
    std::vector<uint32_t> out;
    for (uint32_t port = kFirstPort; port <= kLastPort && static_cast<int>(out.size()) < count;
         ++port) {
        if (host::port_bindable(port)) out.push_back(port);
    }
    if (static_cast<int>(out.size()) < count)
        throw std::runtime_error("fewer than " + std::to_string(count) + " free ports in " +
                                 std::to_string(kFirstPort) + "-" + std::to_string(kLastPort));
    return out;
}

}  // namespace warden::bench
