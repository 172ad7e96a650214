// SPDX-License-Identifier: Apache-2.0
// tests/bench/placements.cpp
#include "placements.hpp"

#include "proc_stats.hpp"

#include "net/http_probe.hpp"

#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace warden::bench {

void host_get(uint32_t port, std::string_view path, std::string &body,
              std::chrono::milliseconds timeout) {
    host::HttpRequest request;
    request.port = port;
    request.path = path;
    request.timeout = timeout;
    if (auto answer = host::http_probe(request, body); !answer)
        throw std::runtime_error(answer.error().message);
}

void rows_per_placement(int calls, const std::vector<Measure> &group, pid_t peer,
                        const std::string &peer_name,
                        const std::function<void(const std::vector<Spread> &)> &after) {
    const bool two_cores = ::sysconf(_SC_NPROCESSORS_ONLN) >= 2;
    for (const int core : two_cores ? std::vector<int>{0, 1} : std::vector<int>{-1}) {
        pin_to_cpu(0, core < 0 ? -1 : 0);
        pin_to_cpu(peer, core);
        const std::string where = core < 0 ? "one core"
                                  : core == 0
                                      ? "this thread and the " + peer_name + "'s on core 0"
                                      : "this thread on core 0, the " + peer_name + "'s on core 1";
        std::printf(" back to back, %d rounds, %s\n", calls, where.c_str());
        after(rows(calls, group));
    }
    pin_to_cpu(0, -1);
    pin_to_cpu(peer, -1);
}

}  // namespace warden::bench
