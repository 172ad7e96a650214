// SPDX-License-Identifier: Apache-2.0
// host/supervisor/backoff.hpp — how long to wait after the n-th failure in a
// row: base, 2 base, 4 base, ... up to a cap. Used for a failing action, a
// collector that keeps timing out and a worker whose plugin keeps breaking
// the contract, so nothing failing is retried in a hot loop.
#pragma once

#include <warden/plugin.h>

#include <algorithm>
#include <chrono>

namespace warden::host {

struct Backoff {
    std::chrono::milliseconds base{WARDEN_MIN_RETRY_DELAY_MS};
    std::chrono::milliseconds cap{WARDEN_MAX_RETRY_DELAY_MS};

    /// The wait after `failures` failures in a row; zero after none.
    std::chrono::milliseconds after(int failures) const {
        if (failures <= 0) return std::chrono::milliseconds(0);
        std::chrono::milliseconds wait = base;
        for (int i = 1; i < failures && wait < cap; ++i) wait *= 2;
        return std::min(wait, cap);
    }

    bool operator==(const Backoff &o) const { return base == o.base && cap == o.cap; }
    bool operator!=(const Backoff &o) const { return !(*this == o); }
};

}  // namespace warden::host
