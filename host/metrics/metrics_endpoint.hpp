// SPDX-License-Identifier: Apache-2.0
// host/metrics/metrics_endpoint.hpp — the host's Prometheus endpoint: an
// HTTP server answering GET /metrics with what a Collectable gives, in
// Prometheus's text format (prometheus-cpp's Exposer, on civetweb).
//
// OWNERSHIP: the endpoint keeps a weak reference to the collectable: the
// owner keeps it alive, and destroys the endpoint first.
// THREADING: the server answers on threads of its own (kServerThreads),
// each scrape calling the collectable's Collect there. Start and destroy
// from one thread; the destructor returns once no scrape runs.
#pragma once

#include "common/result.hpp"
#include "net/listen_address.hpp"

#include <prometheus/collectable.h>

#include <memory>

namespace prometheus {
class Exposer;
}

namespace warden::host {

class MetricsEndpoint {
public:
    /// Scrapes answered at once; one more waits for a thread.
    static constexpr int kServerThreads = 2;
    /// A client that has not sent its request, or taken the answer, by then
    /// is closed: a silent one holds a thread no longer.
    static constexpr int kRequestTimeoutMs = 5000;

    /// Listens on `address` (an IPv6 one for IPv6 only). The error names
    /// the address and the cause (taken: ErrorKind::conflict; not on this
    /// machine, not permitted).
    static Result<std::unique_ptr<MetricsEndpoint>> start(
        const ListenAddress &address, std::weak_ptr<prometheus::Collectable> source);
    ~MetricsEndpoint();
    MetricsEndpoint(const MetricsEndpoint &) = delete;
    MetricsEndpoint &operator=(const MetricsEndpoint &) = delete;

    const ListenAddress &address() const { return address_; }

private:
    MetricsEndpoint(ListenAddress address, std::unique_ptr<prometheus::Exposer> exposer);

    const ListenAddress address_;
    std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace warden::host
