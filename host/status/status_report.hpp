// SPDX-License-Identifier: Apache-2.0
// host/status/status_report.hpp — what `warden --status` shows: per worker
// its status from the supervisor and the s6 services it owns, carried from
// the running host as one JSON object per line, and printed as a table
// (or, with --json, as the document of status_json.hpp). The wire form is
// the host's own: only `--status --json` is a stable interface.
#pragma once

#include "supervisor/worker_status.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace warden::host {

/// One s6 service a worker owns, as observed when the report was made.
struct ServiceView {
    std::string name;
    bool supervised = false;
    bool up = false;
    int64_t pid = 0;
    int64_t since = 0;  ///< unix ns: up since, or down since
    uint32_t restarts = 0;
    bool ready = false;  ///< up and notified readiness
};

struct WorkerReport {
    WorkerStatus worker;
    std::vector<ServiceView> services;
};

/// The first line of a report: the host itself.
struct HostReport {
    int64_t pid = 0;
    int64_t started = 0;  ///< unix ns
    std::string config_file;
    int64_t config_loaded = 0;  ///< unix ns of the last accepted (re)load
};

/// A worker's main service: the one named after it (TYPE-NAME), else its
/// first; nullptr when it owns none. Points into `r`.
const ServiceView *main_service(const WorkerReport &r);

/// The wire form: the host line, then one line per worker.
std::string encode_report(const HostReport &host, const std::vector<WorkerReport> &workers);
/// Reads encode_report's output back; false when it is not one.
bool decode_report(const std::string &text, HostReport &host, std::vector<WorkerReport> &workers);

/// A header line, then one line per worker: type, name, state, phase, since
/// when, last action and its result, pid and uptime of its main service
/// (the one named after the worker, else the first), and the reason.
std::string format_table(const HostReport &host, const std::vector<WorkerReport> &workers,
                         int64_t now);

/// "5s", "3m12s", "2h05m", "4d03h".
std::string short_duration(int64_t nanoseconds);

}  // namespace warden::host
