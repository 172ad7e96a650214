// SPDX-License-Identifier: Apache-2.0
// host/status/gather_reports.cpp
#include "status/gather_reports.hpp"

#include <map>

namespace warden::host {

std::vector<WorkerReport> gather_reports(std::vector<WorkerStatus> workers, S6Client &client,
                                         const ServiceGate &gate) {
    std::vector<WorkerReport> reports;
    std::map<std::string, std::size_t> by_label;
    for (WorkerStatus &w : workers) {
        by_label[w.label()] = reports.size();
        reports.push_back(WorkerReport{std::move(w), {}});
    }
    auto services = client.list("");
    if (!services) return reports;
    for (const std::string &service : services.value()) {
        const auto owner = gate.owner(service);
        if (!owner) continue;
        const auto at = by_label.find(owner->first + "/" + owner->second);
        if (at == by_label.end()) continue;
        auto observed = client.observe(service);
        if (!observed) continue;
        const ServiceStatus &s = observed.value();
        reports[at->second].services.push_back(
            ServiceView{service, s.supervised, s.up, s.pid, s.since_ns, s.restart_count, s.ready});
    }
    return reports;
}

}  // namespace warden::host
