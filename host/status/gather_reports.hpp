// SPDX-License-Identifier: Apache-2.0
// host/status/gather_reports.hpp — the status report of a running host: the
// supervisor's view of each worker, and each s6 service the worker owns,
// observed now (`warden --status`) or as the worker last observed it (the
// metrics endpoint). Observed now costs one read of the scan dir and, per
// service, what S6Client::observe costs: for a settled service a lookup in
// its status cache, which the scan dir's watch keeps (no read of s6).
#pragma once

#include "plugin_services/service_gate.hpp"
#include "s6/s6_client.hpp"
#include "status/status_report.hpp"
#include "supervisor/worker_status.hpp"

#include <vector>

namespace warden::host {

/// `workers` from Supervisor::status(); the gate knows who owns what. Each
/// service owned by a worker, as `client` observes it now.
std::vector<WorkerReport> gather_reports(std::vector<WorkerStatus> workers, S6Client &client,
                                         const ServiceGate &gate);

/// The same, each service as its worker last observed it
/// (ServiceGate::last_observed): no read of s6, for frequent askers such as
/// the metrics endpoint.
std::vector<WorkerReport> last_observed_reports(std::vector<WorkerStatus> workers,
                                                const ServiceGate &gate);

}  // namespace warden::host
