// SPDX-License-Identifier: Apache-2.0
// tests/bench/placements.hpp — timing an observation against a service on
// either core, and the host's own HTTP probe as the observation makes it.
//
// A loopback round trip costs more when the peer's thread runs on the other
// core than on this one, and the scheduler's choice sticks to a connection
// for a while: back to back, the worker benchmarks measure each placement
// pinned.
//
// THREADING: call from the benchmark's one thread.
#pragma once

#include "timing.hpp"

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace warden::bench {

/// GET 127.0.0.1:`port``path` through the host's http_probe (the slot's
/// libcurl handle); the answer's body in `body`. Throws with the probe's words.
void host_get(uint32_t port, std::string_view path, std::string &body,
              std::chrono::milliseconds timeout);

/// rows(calls, group) with this thread on core 0 and process `peer` (the
/// `peer_name`, "broker") on core 0, then on core 1 (one core: unpinned,
/// once); `after` gets each placement's figures. Unpins both at the end.
void rows_per_placement(int calls, const std::vector<Measure> &group, pid_t peer,
                        const std::string &peer_name,
                        const std::function<void(const std::vector<Spread> &)> &after);

}  // namespace warden::bench
