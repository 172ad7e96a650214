// SPDX-License-Identifier: Apache-2.0
// host/status/gather_reports.cpp
#include "status/gather_reports.hpp"

#include <map>

namespace warden::host {

namespace {

ServiceView view_of(const std::string &service, const ServiceStatus &s) {
    return ServiceView{service, s.supervised, s.up, s.pid, s.since_ns, s.restart_count, s.ready};
}

// The reports of `workers`, each given its services of those `each_service`
// hands over with their owner.
template <typename EachService>
std::vector<WorkerReport> reports_of(std::vector<WorkerStatus> workers, EachService each_service) {
    std::vector<WorkerReport> reports;
    std::map<std::pair<std::string, std::string>, std::size_t> by_owner;
    for (WorkerStatus &w : workers) {
        by_owner[{w.type, w.name}] = reports.size();
        reports.push_back(WorkerReport{std::move(w), {}});
    }
    each_service([&](const std::pair<std::string, std::string> &owner, const std::string &service,
                     const ServiceStatus &status) {
        const auto at = by_owner.find(owner);
        if (at != by_owner.end()) reports[at->second].services.push_back(view_of(service, status));
    });
    return reports;
}

}  // namespace

std::vector<WorkerReport> gather_reports(std::vector<WorkerStatus> workers, S6Client &client,
                                         const ServiceGate &gate) {
    return reports_of(std::move(workers), [&](const auto &add) {
        // One read of the scan dir; observe refuses a directory Warden did
        // not make, and answers a settled service from its status cache.
        auto services = client.list_directories("");
        if (!services) return;
        for (const std::string &service : services.value())
            if (const auto owner = gate.owner(service))
                if (auto observed = client.observe(service)) add(*owner, service, observed.value());
    });
}

std::vector<WorkerReport> last_observed_reports(std::vector<WorkerStatus> workers,
                                                const ServiceGate &gate) {
    return reports_of(std::move(workers), [&](const auto &add) {
        for (const auto &[service, status] : gate.last_observed())
            if (const auto owner = gate.owner(service)) add(*owner, service, status);
    });
}

}  // namespace warden::host
